import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { and, eq, max } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";

import { getDb } from "~/db/client.server";
import { chatMessages, chatNotificationState, chatReads, notificationSettings, outboxEmails } from "~/db/schema";
import { demoOrder, demoUser, seedDemo } from "../../tests/support/fixtures";
import { recordingQueue, type RecordingQueue } from "../../tests/support/recording-queue";
import { consumeEmailBatch } from "../../workers/queues/email";

import { CHAT_DIGEST_DELAY_SECONDS, notifyChatMessage } from "./chat.server";
import { chatEmailsEnabled, getChatEmailSettings, setChatEmails } from "./settings.server";

let data: Awaited<ReturnType<typeof seedDemo>>;
let orderId: string;
let customerId: string;
let managerId: string;
let queue: RecordingQueue;
let testEnv: Pick<Env, "DB" | "EMAIL_QUEUE"> & { PORTAL_URL: string };

beforeAll(async () => {
  data = await seedDemo();
  orderId = demoOrder(data, "42793.03").id;
  customerId = demoUser(data, "kunde@example.com").id;
  managerId = demoUser(data, "auftragsmanager@example.com").id;
});

beforeEach(async () => {
  const db = getDb(env);
  await db.batch([
    db.delete(chatNotificationState),
    db.delete(chatReads),
    db.delete(chatMessages),
    db.delete(notificationSettings),
    db.delete(outboxEmails),
  ]);
  queue = recordingQueue();
  testEnv = { DB: env.DB, EMAIL_QUEUE: queue, PORTAL_URL: "https://portal.example.com/" };
});

/** Stores a message as the order's room does, then notifies as the room will. */
async function postMessage(authorId: string, body: string, presentUserIds: string[] = [authorId]) {
  const db = getDb(env);
  const last = await db.select({ seq: max(chatMessages.seq) }).from(chatMessages).where(eq(chatMessages.orderId, orderId)).get();
  const seq = (last?.seq ?? 0) + 1;
  await db.insert(chatMessages).values({
    id: crypto.randomUUID(),
    orderId,
    seq,
    clientId: crypto.randomUUID(),
    authorId,
    body,
    createdAt: Date.UTC(2026, 11, 4, 13, 5) + seq * 60_000,
  });
  await notifyChatMessage(testEnv, { orderId, seq, authorId, presentUserIds });
  return seq;
}

/** Returns the digest messages sent to the queue, one per recipient and window. */
function scheduledDigests() {
  return queue.sent.filter((message) => (message.body as { kind: string }).kind === "chat-digest");
}

/** Delivers every scheduled digest to the consumer, as the queue does once the delay is over. */
async function runScheduledDigests() {
  const due = scheduledDigests();
  queue.sent.length = 0;
  for (const message of due) {
    const batch = createMessageBatch("email", [{ id: crypto.randomUUID(), timestamp: Date.now(), attempts: 1, body: message.body }]);
    await consumeEmailBatch(batch, testEnv, { now: Date.now() + CHAT_DIGEST_DELAY_SECONDS * 1000 });
    const result = await getQueueResult(batch, createExecutionContext());
    expect(result.explicitAcks).toHaveLength(1);
  }
}

async function digestEmails() {
  return getDb(env).select().from(outboxEmails).where(eq(outboxEmails.kind, "chat-digest")).all();
}

async function stateOf(userId: string) {
  return getDb(env)
    .select()
    .from(chatNotificationState)
    .where(and(eq(chatNotificationState.orderId, orderId), eq(chatNotificationState.userId, userId)))
    .get();
}

describe("chat digest", () => {
  it("collects three messages into one e-mail", async () => {
    await postMessage(managerId, "Die Druckdaten sind da.");
    await postMessage(managerId, "Bitte prüfen Sie <b>Seite 2</b> & 3.");
    await postMessage(managerId, "Freigabe bis Freitag?");

    const scheduled = scheduledDigests();
    expect(scheduled).toEqual([
      { body: { kind: "chat-digest", orderId, userId: customerId }, delaySeconds: CHAT_DIGEST_DELAY_SECONDS },
    ]);
    await runScheduledDigests();

    const emails = await digestEmails();
    expect(emails).toHaveLength(1);
    const [email] = emails;
    expect(email.toAddress).toBe("kunde@example.com");
    expect(email.idempotencyKey).toBe(`chat-digest:${orderId}:${customerId}:3`);
    expect(email.subject).toBe("Neue Nachrichten zu Auftrag #240969");
    expect(email.textBody).toContain("Die Druckdaten sind da.");
    expect(email.textBody).toContain("Bitte prüfen Sie <b>Seite 2</b> & 3.");
    expect(email.textBody).toContain("Freigabe bis Freitag?");
    expect(email.textBody).toContain("Guten Tag Frau Beispiel,");
    expect(email.textBody).toContain("Frau Sabine Keller, 04.12.2026, 14:06:");
    expect(email.textBody).toContain(`https://portal.example.com/auftraege/${orderId}`);
    expect(email.textBody).toContain("https://portal.example.com/profil");
    expect(email.textBody).toContain("Lindenblatt Druck GmbH");
    expect(email.htmlBody).toContain("Bitte prüfen Sie &lt;b&gt;Seite 2&lt;/b&gt; &amp; 3.");
    expect(email.htmlBody).not.toContain("<b>Seite 2</b>");
    expect(email.htmlBody).toContain(`href="https://portal.example.com/auftraege/${orderId}"`);
    expect(queue.sent).toEqual([{ body: { kind: "send", emailId: email.id }, delaySeconds: undefined }]);

    const state = await stateOf(customerId);
    expect(state?.lastNotifiedSeq).toBe(3);
    expect(state?.digestDueAt).toBeNull();
  });

  it("notifies no author", async () => {
    await postMessage(managerId, "Nachricht vom Auftragsmanager");
    await runScheduledDigests();

    const emails = await digestEmails();
    expect(emails.map((email) => email.toAddress)).toEqual(["kunde@example.com"]);
    expect(await stateOf(managerId)).toBeUndefined();
  });

  it("notifies the manager of a customer's message", async () => {
    await postMessage(customerId, "Frage zur Lieferung");
    await runScheduledDigests();

    const emails = await digestEmails();
    expect(emails.map((email) => email.toAddress)).toEqual(["auftragsmanager@example.com"]);
  });

  it("skips a recipient present in the room", async () => {
    await postMessage(customerId, "Frage zur Lieferung", [customerId, managerId]);
    await runScheduledDigests();

    expect(scheduledDigests()).toHaveLength(0);
    expect(await digestEmails()).toHaveLength(0);
  });

  it("skips a recipient who read them", async () => {
    const first = await postMessage(managerId, "Erste Nachricht");
    const second = await postMessage(managerId, "Zweite Nachricht");
    expect(first).toBe(1);
    await getDb(env).insert(chatReads).values({ orderId, userId: customerId, lastReadSeq: second, updatedAt: Date.now() });

    await runScheduledDigests();

    expect(await digestEmails()).toHaveLength(0);
    const state = await stateOf(customerId);
    expect(state?.lastNotifiedSeq).toBe(second);
    expect(state?.digestDueAt).toBeNull();
  });

  it("lists only the unread messages", async () => {
    await postMessage(managerId, "Schon gelesen");
    await getDb(env).insert(chatReads).values({ orderId, userId: customerId, lastReadSeq: 1, updatedAt: Date.now() });
    await postMessage(managerId, "Noch ungelesen");

    await runScheduledDigests();

    const [email] = await digestEmails();
    expect(email.textBody).toContain("Noch ungelesen");
    expect(email.textBody).not.toContain("Schon gelesen");
    expect(email.textBody).toContain("eine neue Nachricht");
  });

  it("respects opt-out for the order", async () => {
    await setChatEmails(getDb(env), customerId, orderId, false);

    await postMessage(managerId, "Nachricht");
    await runScheduledDigests();

    expect(await digestEmails()).toHaveLength(0);
  });

  it("respects opt-out for all orders", async () => {
    await setChatEmails(getDb(env), customerId, null, false);

    await postMessage(managerId, "Nachricht");
    await runScheduledDigests();

    expect(await digestEmails()).toHaveLength(0);
  });

  it("respects opt-out during the window", async () => {
    await postMessage(managerId, "Nachricht");
    await setChatEmails(getDb(env), customerId, orderId, false);

    await runScheduledDigests();

    expect(await digestEmails()).toHaveLength(0);
    expect((await stateOf(customerId))?.digestDueAt).toBeNull();
  });

  it("lets the order's setting override all orders", async () => {
    await setChatEmails(getDb(env), customerId, null, false);
    await setChatEmails(getDb(env), customerId, orderId, true);

    await postMessage(managerId, "Nachricht");
    await runScheduledDigests();

    expect(await digestEmails()).toHaveLength(1);
  });

  it("writes one e-mail on redelivery", async () => {
    await postMessage(managerId, "Nachricht");
    const [digest] = scheduledDigests();

    await runScheduledDigests();
    queue.sent.push(digest);
    await runScheduledDigests();

    expect(await digestEmails()).toHaveLength(1);
    expect(queue.sent).toHaveLength(0);
  });

  it("starts a new window after a digest", async () => {
    await postMessage(managerId, "Erste Nachricht");
    await runScheduledDigests();
    await postMessage(managerId, "Zweite Nachricht");
    expect(scheduledDigests()).toHaveLength(1);

    await runScheduledDigests();

    const emails = await digestEmails();
    expect(emails.map((email) => email.idempotencyKey).sort()).toEqual([
      `chat-digest:${orderId}:${customerId}:1`,
      `chat-digest:${orderId}:${customerId}:2`,
    ]);
    const second = emails.find((email) => email.idempotencyKey.endsWith(":2"));
    expect(second?.textBody).toContain("Zweite Nachricht");
    expect(second?.textBody).not.toContain("Erste Nachricht");
  });

  it("ignores a digest before its window closes", async () => {
    await postMessage(managerId, "Nachricht");
    const [digest] = scheduledDigests();

    const batch = createMessageBatch("email", [{ id: crypto.randomUUID(), timestamp: Date.now(), attempts: 1, body: digest.body }]);
    await consumeEmailBatch(batch, testEnv, { now: Date.now() });

    expect(await digestEmails()).toHaveLength(0);
    expect((await stateOf(customerId))?.digestDueAt).not.toBeNull();
  });

  it("replaces a lost digest", async () => {
    await postMessage(managerId, "Erste Nachricht");
    const lostDueAt = Date.now() - 2 * 60 * 60 * 1000;
    await getDb(env)
      .update(chatNotificationState)
      .set({ digestDueAt: lostDueAt })
      .where(and(eq(chatNotificationState.orderId, orderId), eq(chatNotificationState.userId, customerId)));
    queue.sent.length = 0;

    await postMessage(managerId, "Zweite Nachricht");
    expect(scheduledDigests()).toHaveLength(1);
    await runScheduledDigests();

    const [email] = await digestEmails();
    expect(email.textBody).toContain("Erste Nachricht");
    expect(email.textBody).toContain("Zweite Nachricht");
  });

  it("never throws for an unknown order", async () => {
    await expect(
      notifyChatMessage(testEnv, { orderId: crypto.randomUUID(), seq: 1, authorId: managerId, presentUserIds: [] }),
    ).resolves.toBeUndefined();
    expect(queue.sent).toHaveLength(0);
  });
});

describe("chat e-mail settings", () => {
  it("keeps one row per scope", async () => {
    const db = getDb(env);
    await setChatEmails(db, customerId, null, false);
    await setChatEmails(db, customerId, null, true);
    await setChatEmails(db, customerId, orderId, false);
    await setChatEmails(db, customerId, orderId, false);

    const rows = await db.select().from(notificationSettings).where(eq(notificationSettings.userId, customerId)).all();
    expect(rows).toHaveLength(2);
    const settings = await getChatEmailSettings(db, customerId, orderId);
    expect(settings).toEqual({ allOrders: true, order: false });
    expect(chatEmailsEnabled(settings)).toBe(false);
  });

  it("defaults to on", async () => {
    const settings = await getChatEmailSettings(getDb(env), managerId, orderId);
    expect(settings).toEqual({ allOrders: true, order: null });
    expect(chatEmailsEnabled(settings)).toBe(true);
  });
});
