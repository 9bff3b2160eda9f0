import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";

import type { SessionUser } from "~/auth/session.server";
import { getDb } from "~/db/client.server";
import { outboxEmails } from "~/db/schema";
import { demoUser, seedDemo } from "../../tests/support/fixtures";
import { recordingQueue } from "../../tests/support/recording-queue";
import { consumeEmailBatch } from "../../workers/queues/email";
import { consumeEmailDeadLetterBatch } from "../../workers/queues/email-dead-letter";

import { devMailboxAccess } from "./dev-mailbox.server";
import { enqueueEmail, type EmailRequest } from "./outbox.server";
import type { EmailProvider } from "./providers.server";

let data: Awaited<ReturnType<typeof seedDemo>>;

beforeAll(async () => {
  data = await seedDemo();
});

function emailRequest(overrides: Partial<EmailRequest> = {}): EmailRequest {
  return {
    idempotencyKey: `test:${crypto.randomUUID()}`,
    kind: "test",
    to: "kunde@example.com",
    toName: "Kunde",
    subject: "Betreff",
    text: "Text",
    html: "<p>Text</p>",
    ...overrides,
  };
}

/** Writes an e-mail into the outbox without a real queue and returns its id. */
async function writeEmail() {
  return enqueueEmail({ EMAIL_QUEUE: recordingQueue() }, getDb(env), emailRequest());
}

async function loadEmail(emailId: string) {
  return getDb(env).select().from(outboxEmails).where(eq(outboxEmails.id, emailId)).get();
}

/** Returns a provider that records each send, or fails every send when `failing` is true. */
function countingProvider(failing = false) {
  const sent: string[] = [];
  const provider: EmailProvider & { sent: string[] } = {
    name: "local",
    sent,
    async send(email) {
      if (failing) throw new Error("mail API unreachable");
      sent.push(email.id);
      return { providerMessageId: `test:${email.id}` };
    },
  };
  return provider;
}

/** Waits until `condition` resolves to true, polling every 50 ms, or fails after `timeoutMs`. */
async function waitFor(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const start = Date.now();
  while (!(await condition())) {
    if (Date.now() - start > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function deliverTo(queue: "email" | "email-dlq", body: unknown, attempts = 1, provider?: EmailProvider) {
  const batch = createMessageBatch(queue, [{ id: crypto.randomUUID(), timestamp: Date.now(), attempts, body }]);
  const ctx = createExecutionContext();
  if (queue === "email") await consumeEmailBatch(batch, env, { provider });
  else await consumeEmailDeadLetterBatch(batch, env);
  return getQueueResult(batch, ctx);
}

describe("outbox", () => {
  it("writes one row and one message per key", async () => {
    const queue = recordingQueue();
    const request = emailRequest();

    const first = await enqueueEmail({ EMAIL_QUEUE: queue }, getDb(env), request);
    const second = await enqueueEmail({ EMAIL_QUEUE: queue }, getDb(env), { ...request, subject: "Anderer Betreff" });

    expect(second).toBe(first);
    const rows = await getDb(env).select().from(outboxEmails).where(eq(outboxEmails.idempotencyKey, request.idempotencyKey)).all();
    expect(rows).toHaveLength(1);
    expect(rows[0].subject).toBe("Betreff");
    expect(rows[0].state).toBe("pending");
    expect(queue.sent).toEqual([{ body: { kind: "send", emailId: first }, delaySeconds: undefined }]);
  });

  it("removes the row when the queue rejects", async () => {
    const failingQueue = { send: () => Promise.reject(new Error("queue unavailable")) } as unknown as Queue;
    const request = emailRequest();

    await expect(enqueueEmail({ EMAIL_QUEUE: failingQueue }, getDb(env), request)).rejects.toThrow("queue unavailable");

    const rows = await getDb(env).select().from(outboxEmails).where(eq(outboxEmails.idempotencyKey, request.idempotencyKey)).all();
    expect(rows).toHaveLength(0);
  });
});

describe("email consumer", () => {
  it("sends the e-mail and marks it sent", async () => {
    const emailId = await writeEmail();
    const provider = countingProvider();

    const result = await deliverTo("email", { kind: "send", emailId }, 1, provider);

    expect(result.explicitAcks).toHaveLength(1);
    expect(provider.sent).toEqual([emailId]);
    const email = await loadEmail(emailId);
    expect(email?.state).toBe("sent");
    expect(email?.attempts).toBe(1);
    expect(email?.providerMessageId).toBe(`test:${emailId}`);
    expect(email?.sentAt).toBeGreaterThan(0);
  });

  it("sends nothing twice on redelivery", async () => {
    const emailId = await writeEmail();
    const provider = countingProvider();

    await deliverTo("email", { kind: "send", emailId }, 1, provider);
    const sent = await loadEmail(emailId);
    const result = await deliverTo("email", { kind: "send", emailId }, 2, provider);

    expect(result.explicitAcks).toHaveLength(1);
    expect(provider.sent).toEqual([emailId]);
    expect(await loadEmail(emailId)).toEqual(sent);
  });

  it("keeps the local provider's e-mail as sent", async () => {
    const emailId = await writeEmail();

    await deliverTo("email", { kind: "send", emailId });

    const email = await loadEmail(emailId);
    expect(email?.state).toBe("sent");
    expect(email?.providerMessageId).toBe(`local:${emailId}`);
  });

  it("retries with attempts and ends failed", async () => {
    const emailId = await writeEmail();
    const provider = countingProvider(true);

    for (const attempt of [1, 2, 3, 4, 5, 6]) {
      const result = await deliverTo("email", { kind: "send", emailId }, attempt, provider);
      expect(result.retryMessages).toHaveLength(1);
      expect(result.explicitAcks).toHaveLength(0);
    }
    const retried = await loadEmail(emailId);
    expect(retried?.state).toBe("pending");
    expect(retried?.attempts).toBe(6);
    expect(retried?.lastError).toContain("mail API unreachable");

    const result = await deliverTo("email-dlq", { kind: "send", emailId });

    expect(result.explicitAcks).toHaveLength(1);
    const failed = await loadEmail(emailId);
    expect(failed?.state).toBe("failed");
    expect(failed?.attempts).toBe(6);
    expect(failed?.lastError).toContain("mail API unreachable");
    expect(provider.sent).toEqual([]);
  });

  it("leaves a sent e-mail sent on a dead letter", async () => {
    const emailId = await writeEmail();
    await deliverTo("email", { kind: "send", emailId });

    await deliverTo("email-dlq", { kind: "send", emailId });

    expect((await loadEmail(emailId))?.state).toBe("sent");
  });

  it("sends nothing for a failed e-mail", async () => {
    const emailId = await writeEmail();
    await deliverTo("email-dlq", { kind: "send", emailId });
    const provider = countingProvider();

    await deliverTo("email", { kind: "send", emailId }, 1, provider);

    expect(provider.sent).toEqual([]);
    expect((await loadEmail(emailId))?.state).toBe("failed");
  });

  it("delivers through the real queue", async () => {
    const emailId = await enqueueEmail(env, getDb(env), emailRequest());

    await waitFor(async () => (await loadEmail(emailId))?.state === "sent", 10_000);

    expect((await loadEmail(emailId))?.providerMessageId).toBe(`local:${emailId}`);
  });

  it("drops a malformed message", async () => {
    const result = await deliverTo("email", { kind: "send", emailId: 7 });
    expect(result.explicitAcks).toHaveLength(1);
    expect(result.retryMessages).toHaveLength(0);
  });
});

describe("dev mailbox access", () => {
  function sessionUser(email: string): SessionUser {
    const user = demoUser(data, email);
    return { id: user.id, role: user.role, companyId: user.companyId, salutation: user.salutation, name: user.name, email: user.email };
  }

  it("allows staff with the local provider", () => {
    expect(devMailboxAccess({}, sessionUser("auftragsmanager@example.com"))).toBe("allowed");
    expect(devMailboxAccess({}, sessionUser("admin@example.com"))).toBe("allowed");
  });

  it("hides it from customers", () => {
    expect(devMailboxAccess({}, sessionUser("kunde@example.com"))).toBe("not-found");
  });

  it("asks visitors to sign in", () => {
    expect(devMailboxAccess({}, null)).toBe("sign-in");
  });

  it("hides it with the HTTP provider", () => {
    const httpEnv = { EMAIL_API_KEY: "test-key", EMAIL_API_URL: "http://127.0.0.1:9/mail", EMAIL_FROM: "portal@example.com" };
    expect(devMailboxAccess(httpEnv, sessionUser("admin@example.com"))).toBe("not-found");
    expect(devMailboxAccess(httpEnv, null)).toBe("not-found");
  });
});
