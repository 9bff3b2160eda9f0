import { eq } from "drizzle-orm";

import type { Database } from "~/db/client.server";
import { outboxEmails } from "~/db/schema";
import { enqueueEmailJob } from "~/jobs/email-job";

export type OutboxEmail = typeof outboxEmails.$inferSelect;

export interface EmailRequest {
  /** Names the e-mail: a second request with the same key writes and sends nothing. */
  idempotencyKey: string;
  /** Kind of e-mail, such as "chat-digest", for logs and the dev mailbox. */
  kind: string;
  to: string;
  toName: string | null;
  subject: string;
  text: string;
  html: string;
}

/**
 * Writes the e-mail into the outbox and puts a message naming it on the email
 * queue, whose consumer sends it. Returns the row's id. A request whose key
 * is already in the outbox changes nothing and returns the existing row's id.
 */
export async function enqueueEmail(env: Pick<Env, "EMAIL_QUEUE">, db: Database, request: EmailRequest): Promise<string> {
  const inserted = await db
    .insert(outboxEmails)
    .values({
      id: crypto.randomUUID(),
      idempotencyKey: request.idempotencyKey,
      kind: request.kind,
      toAddress: request.to,
      toName: request.toName,
      subject: request.subject,
      textBody: request.text,
      htmlBody: request.html,
      state: "pending",
      createdAt: Date.now(),
    })
    .onConflictDoNothing({ target: outboxEmails.idempotencyKey })
    .returning({ id: outboxEmails.id })
    .get();

  if (!inserted) {
    const existing = await db
      .select({ id: outboxEmails.id })
      .from(outboxEmails)
      .where(eq(outboxEmails.idempotencyKey, request.idempotencyKey))
      .get();
    console.info("outbox: e-mail already queued", { idempotencyKey: request.idempotencyKey, emailId: existing?.id });
    if (!existing) throw new Error(`outbox row with idempotency key ${request.idempotencyKey} vanished`);
    return existing.id;
  }

  try {
    await enqueueEmailJob(env.EMAIL_QUEUE, { kind: "send", emailId: inserted.id });
  } catch (error) {
    // A row without a queue message would never be sent, because a retry with
    // the same key finds the row and does nothing. Removing it lets the retry write it again.
    await db.delete(outboxEmails).where(eq(outboxEmails.id, inserted.id));
    throw error;
  }
  console.info("outbox: e-mail queued", { emailId: inserted.id, kind: request.kind, idempotencyKey: request.idempotencyKey });
  return inserted.id;
}
