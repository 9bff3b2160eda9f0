import { and, eq } from "drizzle-orm";
import * as v from "valibot";

import { getDb } from "~/db/client.server";
import { chatNotificationState, outboxEmails } from "~/db/schema";
import { emailJobSchema, type EmailJob } from "~/jobs/email-job";

import { describeJob } from "./email";

/**
 * Consumes `email-dlq`, where the queue moves an email message after its last
 * retry. An e-mail still pending is marked failed and keeps the error of its
 * last attempt. A chat digest that could not be written ends its window, so
 * the recipient's next message schedules a new digest.
 */
export async function consumeEmailDeadLetterBatch(batch: MessageBatch, env: Pick<Env, "DB">): Promise<void> {
  for (const message of batch.messages) {
    const job = v.safeParse(emailJobSchema, message.body);
    if (!job.success) {
      console.error("email-dlq: malformed message dropped", { messageId: message.id });
      message.ack();
      continue;
    }

    try {
      await giveUpJob(env, job.output);
      message.ack();
    } catch (error) {
      console.error("email-dlq: update failed, retrying", { ...describeJob(job.output), attempt: message.attempts, error: String(error) });
      message.retry({ delaySeconds: 2 ** message.attempts });
    }
  }
}

async function giveUpJob(env: Pick<Env, "DB">, job: EmailJob): Promise<void> {
  const db = getDb(env);
  if (job.kind === "send") {
    const failed = await db
      .update(outboxEmails)
      .set({ state: "failed" })
      .where(and(eq(outboxEmails.id, job.emailId), eq(outboxEmails.state, "pending")))
      .returning({ attempts: outboxEmails.attempts, lastError: outboxEmails.lastError })
      .get();
    if (failed) console.error("email-dlq: e-mail marked failed", { emailId: job.emailId, attempts: failed.attempts, lastError: failed.lastError });
    else console.info("email-dlq: e-mail already handled", { emailId: job.emailId });
    return;
  }

  await db
    .update(chatNotificationState)
    .set({ digestDueAt: null })
    .where(and(eq(chatNotificationState.orderId, job.orderId), eq(chatNotificationState.userId, job.userId)));
  console.error("email-dlq: chat digest given up", { orderId: job.orderId, userId: job.userId });
}
