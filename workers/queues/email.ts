import { and, eq, sql } from "drizzle-orm";
import * as v from "valibot";

import { getDb } from "~/db/client.server";
import { outboxEmails } from "~/db/schema";
import { selectEmailProvider, type EmailProvider } from "~/email/providers.server";
import { emailJobSchema, type EmailJob } from "~/jobs/email-job";
import { sendChatDigest } from "~/notifications/chat-digest.server";

// PORTAL_URL is widened to string: wrangler types declares the local value as its type.
type Environment = Pick<Env, "DB" | "EMAIL_QUEUE"> & { PORTAL_URL?: string };

/** Longest stored error text of a failed attempt. */
const MAX_ERROR_LENGTH = 500;

/** Overrides for tests. */
export interface EmailConsumerOptions {
  /** Provider instead of the one the environment selects. */
  provider?: EmailProvider;
  /** Current time in milliseconds, for chat digests. */
  now?: number;
}

/**
 * Consumes the email queue: sends outbox e-mails through the provider and
 * writes chat digests when they are due. A failed attempt is retried with
 * backoff. After the last retry (max_retries in wrangler.toml) the queue moves
 * the message to `email-dlq`, whose consumer marks the e-mail failed.
 */
export async function consumeEmailBatch(batch: MessageBatch, env: Environment, options?: EmailConsumerOptions): Promise<void> {
  const provider = options?.provider ?? selectEmailProvider(env);

  for (const message of batch.messages) {
    const job = v.safeParse(emailJobSchema, message.body);
    if (!job.success) {
      console.error("email: malformed message dropped", { messageId: message.id });
      message.ack();
      continue;
    }

    try {
      await runEmailJob(env, job.output, provider, options?.now);
      message.ack();
    } catch (error) {
      const delaySeconds = retryDelaySeconds(message.attempts);
      console.error("email: job failed, retrying", { ...describeJob(job.output), attempt: message.attempts, delaySeconds, error: String(error) });
      message.retry({ delaySeconds });
    }
  }
}

async function runEmailJob(env: Environment, job: EmailJob, provider: EmailProvider, now?: number): Promise<void> {
  if (job.kind === "send") await deliverEmail(env, job.emailId, provider);
  else await sendChatDigest(env, job, now);
}

/**
 * Sends one outbox e-mail and marks it sent. An e-mail that is already sent
 * or failed is left alone, so a redelivered message sends nothing twice.
 * A failed attempt is counted with its error and re-thrown for the retry.
 * NOTE: two deliveries of the same message at the same moment could both
 * send; the HTTP adapter's Idempotency-Key is the guard against that.
 */
export async function deliverEmail(env: Pick<Env, "DB">, emailId: string, provider: EmailProvider): Promise<void> {
  const db = getDb(env);
  const email = await db.select().from(outboxEmails).where(eq(outboxEmails.id, emailId)).get();
  if (!email) {
    console.warn("email: outbox row not found", { emailId });
    return;
  }
  if (email.state !== "pending") {
    console.info("email: already handled, nothing sent", { emailId, state: email.state });
    return;
  }

  let providerMessageId: string | null;
  try {
    ({ providerMessageId } = await provider.send(email));
  } catch (error) {
    await db
      .update(outboxEmails)
      .set({ attempts: sql`${outboxEmails.attempts} + 1`, lastError: String(error).slice(0, MAX_ERROR_LENGTH) })
      .where(eq(outboxEmails.id, emailId));
    throw error;
  }

  await db
    .update(outboxEmails)
    .set({ state: "sent", attempts: sql`${outboxEmails.attempts} + 1`, lastError: null, providerMessageId, sentAt: Date.now() })
    .where(and(eq(outboxEmails.id, emailId), eq(outboxEmails.state, "pending")));
  console.info("email: sent", { emailId, kind: email.kind, provider: provider.name, providerMessageId });
}

/** Backoff of the retries: 1, 2, 4, 8 and 16 minutes after the first five attempts. */
function retryDelaySeconds(attempts: number): number {
  return 60 * 2 ** Math.max(0, attempts - 1);
}

/** Returns the ids of a job, for logs. */
export function describeJob(job: EmailJob): Record<string, string> {
  return job.kind === "send" ? { kind: job.kind, emailId: job.emailId } : { kind: job.kind, orderId: job.orderId, userId: job.userId };
}
