import { and, asc, eq, gt, ne } from "drizzle-orm";

import { getDb, type Database } from "~/db/client.server";
import { chatMessages, chatNotificationState, chatReads, orders, users } from "~/db/schema";
import { renderChatDigestEmail } from "~/email/chat-digest-email.server";
import { portalBaseUrl } from "~/email/layout.server";
import { enqueueEmail } from "~/email/outbox.server";
import { getShopSettings } from "~/shop-settings.server";

import { scheduleChatDigest } from "./chat.server";
import { chatEmailsEnabled, getChatEmailSettings } from "./settings.server";

/**
 * How much earlier than `digestDueAt` a digest message may arrive and still
 * count as due. A message that arrives earlier belongs to a window that has
 * closed already, such as a redelivery, and is ignored.
 * NOTE: an estimate; how early Cloudflare Queues may deliver a delayed message is not documented.
 */
const EARLY_DELIVERY_TOLERANCE_MS = 60_000;

// PORTAL_URL is widened to string: wrangler types declares the local value as its type.
type Environment = Pick<Env, "DB" | "EMAIL_QUEUE"> & { PORTAL_URL?: string };

/**
 * Writes the recipient's digest when its window has closed: one outbox
 * e-mail with the messages after `lastNotifiedSeq` that others wrote and the
 * recipient has not read. Nothing is written when there are none, or when the
 * recipient turned chat e-mails off in the meantime. Either way the window
 * ends and `lastNotifiedSeq` moves to the order's last message, so those
 * messages are never mailed again. Throws on storage errors, so that the
 * queue retries; the idempotency key keeps a retry from writing a second e-mail.
 */
export async function sendChatDigest(env: Environment, job: { orderId: string; userId: string }, now = Date.now()): Promise<void> {
  const { orderId, userId } = job;
  const db = getDb(env);
  const state = await db
    .select()
    .from(chatNotificationState)
    .where(and(eq(chatNotificationState.orderId, orderId), eq(chatNotificationState.userId, userId)))
    .get();
  if (!state || state.digestDueAt === null) {
    console.info("chat-digest: no digest pending", { orderId, userId });
    return;
  }
  if (state.digestDueAt > now + EARLY_DELIVERY_TOLERANCE_MS) {
    console.info("chat-digest: window still open, message ignored", { orderId, userId, digestDueAt: state.digestDueAt });
    return;
  }

  const newMessages = await db
    .select({
      seq: chatMessages.seq,
      authorId: chatMessages.authorId,
      authorName: users.name,
      authorSalutation: users.salutation,
      body: chatMessages.body,
      createdAt: chatMessages.createdAt,
    })
    .from(chatMessages)
    .innerJoin(users, eq(users.id, chatMessages.authorId))
    .where(and(eq(chatMessages.orderId, orderId), gt(chatMessages.seq, state.lastNotifiedSeq)))
    .orderBy(asc(chatMessages.seq))
    .all();
  const lastSeq = newMessages.at(-1)?.seq ?? state.lastNotifiedSeq;
  const lastReadSeq = await readUpTo(db, orderId, userId);
  const unread = newMessages
    .filter((message) => message.authorId !== userId && message.seq > lastReadSeq)
    .map((message) => ({ ...message, authorName: fullName(message.authorSalutation, message.authorName) }));

  if (unread.length === 0) {
    console.info("chat-digest: nothing unread, no e-mail", { orderId, userId, lastSeq });
  } else {
    await writeDigestEmail(env, db, { orderId, userId, lastSeq, messages: unread });
  }

  await db
    .update(chatNotificationState)
    .set({ lastNotifiedSeq: lastSeq, digestDueAt: null })
    .where(
      and(
        eq(chatNotificationState.orderId, orderId),
        eq(chatNotificationState.userId, userId),
        eq(chatNotificationState.digestDueAt, state.digestDueAt),
      ),
    );

  // A message stored while this digest was written saw the window still
  // open and scheduled nothing; it starts the next window here.
  const later = await db
    .select({ seq: chatMessages.seq })
    .from(chatMessages)
    .where(and(eq(chatMessages.orderId, orderId), gt(chatMessages.seq, lastSeq), ne(chatMessages.authorId, userId)))
    .orderBy(asc(chatMessages.seq))
    .get();
  if (later) await scheduleChatDigest(env, db, orderId, userId, later.seq, now);
}

/** Returns the name with its salutation, as the portal shows people: "Frau Sabine Keller". */
function fullName(salutation: string | null, name: string): string {
  return salutation ? `${salutation} ${name}` : name;
}

/** Names the recipient as a German letter greets: "Frau Keller" with a salutation, else the full name. */
function greetingName(salutation: string | null, name: string): string {
  const familyName = name.trim().split(/\s+/).at(-1) ?? name;
  return salutation ? `${salutation} ${familyName}` : name;
}

/** Returns the seq of the last message the user has read in the order, or 0. */
async function readUpTo(db: Database, orderId: string, userId: string): Promise<number> {
  const read = await db
    .select({ lastReadSeq: chatReads.lastReadSeq })
    .from(chatReads)
    .where(and(eq(chatReads.orderId, orderId), eq(chatReads.userId, userId)))
    .get();
  return read?.lastReadSeq ?? 0;
}

interface DigestInput {
  orderId: string;
  userId: string;
  lastSeq: number;
  messages: { authorName: string; body: string; createdAt: number }[];
}

/** Writes the digest into the outbox, unless the recipient is inactive or turned chat e-mails off. */
async function writeDigestEmail(env: Environment, db: Database, input: DigestInput): Promise<void> {
  const { orderId, userId, lastSeq } = input;
  const [recipient, order, settings] = await Promise.all([
    db
      .select({ name: users.name, salutation: users.salutation, email: users.email, active: users.active })
      .from(users)
      .where(eq(users.id, userId))
      .get(),
    db
      .select({ title: orders.title, orderNumber: orders.orderNumber, offerNumber: orders.offerNumber })
      .from(orders)
      .where(eq(orders.id, orderId))
      .get(),
    getChatEmailSettings(db, userId, orderId),
  ]);
  if (!recipient || !order || !recipient.active || !chatEmailsEnabled(settings)) {
    console.info("chat-digest: recipient no longer gets chat e-mails", { orderId, userId, lastSeq });
    return;
  }

  const baseUrl = portalBaseUrl(env);
  const email = renderChatDigestEmail({
    shop: await getShopSettings(db),
    recipientName: greetingName(recipient.salutation, recipient.name),
    orderNumber: order.orderNumber ?? order.offerNumber,
    orderTitle: order.title,
    orderUrl: `${baseUrl}/auftraege/${encodeURIComponent(orderId)}`,
    profileUrl: `${baseUrl}/profil`,
    messages: input.messages,
  });
  const emailId = await enqueueEmail(env, db, {
    idempotencyKey: `chat-digest:${orderId}:${userId}:${lastSeq}`,
    kind: "chat-digest",
    to: recipient.email,
    toName: recipient.name,
    ...email,
  });
  console.info("chat-digest: e-mail written", { orderId, userId, lastSeq, messages: input.messages.length, emailId });
}
