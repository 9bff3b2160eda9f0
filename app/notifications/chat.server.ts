import { and, eq, inArray, isNull, lt, or } from "drizzle-orm";

import { getDb, type Database } from "~/db/client.server";
import { chatNotificationState, orders, users } from "~/db/schema";
import { enqueueEmailJob } from "~/jobs/email-job";

import { chatEmailsEnabled, getChatEmailSettings } from "./settings.server";

/** Messages to one recipient within this window after the first one go into one e-mail. */
export const CHAT_DIGEST_DELAY_SECONDS = 300;

/**
 * A digest still pending this long after it was due counts as lost, so the
 * next message starts a new window. It is longer than the queue's retries of
 * a digest take (about 31 minutes of backoff, see workers/queues/email.ts).
 */
const LOST_DIGEST_AFTER_MS = 60 * 60 * 1000;

type Environment = Pick<Env, "DB" | "EMAIL_QUEUE">;

export interface ChatMessageNotice {
  orderId: string;
  /** The stored message's sequence number in the order. */
  seq: number;
  authorId: string;
  /** Users who have the order's room open right now and see the message there. */
  presentUserIds: string[];
}

/**
 * Schedules chat e-mails for a message the order's room has stored. The
 * order's contact and its manager are notified, except the author, users in
 * the room and users who turned chat e-mails off. The first message starts a
 * 5-minute digest per recipient; later messages join it. Never throws:
 * notifications must not fail the chat, so failures are logged.
 */
export async function notifyChatMessage(env: Environment, input: ChatMessageNotice): Promise<void> {
  const db = getDb(env);
  let recipients: string[];
  try {
    recipients = await findChatRecipients(db, input);
  } catch (error) {
    console.error("chat-notify: loading the recipients failed", { orderId: input.orderId, seq: input.seq, error: String(error) });
    return;
  }

  for (const userId of recipients) {
    try {
      await scheduleChatDigest(env, db, input.orderId, userId, input.seq);
    } catch (error) {
      console.error("chat-notify: scheduling the digest failed", {
        orderId: input.orderId,
        userId,
        seq: input.seq,
        error: String(error),
      });
    }
  }
}

/** Returns the ids of the users to notify about the message. */
async function findChatRecipients(db: Database, input: ChatMessageNotice): Promise<string[]> {
  const order = await db
    .select({ contactId: orders.contactId, managerId: orders.managerId })
    .from(orders)
    .where(eq(orders.id, input.orderId))
    .get();
  if (!order) {
    console.warn("chat-notify: order not found", { orderId: input.orderId, seq: input.seq });
    return [];
  }

  const candidates = [...new Set([order.contactId, order.managerId])].filter(
    (userId): userId is string => userId !== null && userId !== input.authorId && !input.presentUserIds.includes(userId),
  );
  if (candidates.length === 0) return [];

  const activeUsers = await db
    .select({ id: users.id })
    .from(users)
    .where(and(inArray(users.id, candidates), eq(users.active, true)))
    .all();
  const recipients: string[] = [];
  for (const { id } of activeUsers) {
    if (chatEmailsEnabled(await getChatEmailSettings(db, id, input.orderId))) recipients.push(id);
  }
  return recipients;
}

/**
 * Starts the recipient's digest window unless one is already pending. The
 * conditional upsert lets exactly one message of a window schedule the
 * digest. A recipient without state starts just before `seq`, so older
 * messages are not mailed. A window that was due more than an hour ago is
 * taken as lost and replaced.
 */
export async function scheduleChatDigest(
  env: Environment,
  db: Database,
  orderId: string,
  userId: string,
  seq: number,
  now = Date.now(),
): Promise<void> {
  const digestDueAt = now + CHAT_DIGEST_DELAY_SECONDS * 1000;
  const started = await db
    .insert(chatNotificationState)
    .values({ orderId, userId, lastNotifiedSeq: seq - 1, digestDueAt })
    .onConflictDoUpdate({
      target: [chatNotificationState.orderId, chatNotificationState.userId],
      set: { digestDueAt },
      setWhere: or(isNull(chatNotificationState.digestDueAt), lt(chatNotificationState.digestDueAt, now - LOST_DIGEST_AFTER_MS)),
    })
    .returning({ digestDueAt: chatNotificationState.digestDueAt })
    .get();
  if (!started) return;

  try {
    await enqueueEmailJob(env.EMAIL_QUEUE, { kind: "chat-digest", orderId, userId }, { delaySeconds: CHAT_DIGEST_DELAY_SECONDS });
  } catch (error) {
    // Without the queue message the digest would never come; clearing the
    // window lets the next message schedule it again.
    await db
      .update(chatNotificationState)
      .set({ digestDueAt: null })
      .where(and(eq(chatNotificationState.orderId, orderId), eq(chatNotificationState.userId, userId), eq(chatNotificationState.digestDueAt, digestDueAt)));
    throw error;
  }
  console.info("chat-notify: digest scheduled", { orderId, userId, seq, digestDueAt });
}

