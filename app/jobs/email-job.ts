import * as v from "valibot";

/** Body of a message on the email queue: an outbox e-mail to send, or a chat digest that is due. */
export const emailJobSchema = v.variant("kind", [
  v.object({
    kind: v.literal("send"),
    emailId: v.pipe(v.string(), v.minLength(1)),
  }),
  v.object({
    kind: v.literal("chat-digest"),
    orderId: v.pipe(v.string(), v.minLength(1)),
    userId: v.pipe(v.string(), v.minLength(1)),
  }),
]);

export type EmailJob = v.InferOutput<typeof emailJobSchema>;

export async function enqueueEmailJob(queue: Queue, job: EmailJob, options?: { delaySeconds?: number }): Promise<void> {
  await queue.send(v.parse(emailJobSchema, job), { contentType: "json", delaySeconds: options?.delaySeconds });
}
