import { and, asc, eq, gt, isNotNull, lte, max, or, sql } from "drizzle-orm";

import type { Database } from "~/db/client.server";
import { chatMessages, chatReads, users } from "~/db/schema";
import type { ChatMessage, ChatReads } from "~/room/events";

// D1 access for the order chat. Only the order's room calls the writing
// functions, one at a time, so that `seq` has no gaps and no races.

// NOTE: a catch-up further behind than this skips the older missed messages
// without telling the page; only a reload (lastSeq 0) shows the newest 500 again.
/** Messages a catch-up sends at most. */
export const CHAT_HISTORY_LIMIT = 500;

const messageColumns = {
  seq: chatMessages.seq,
  clientId: chatMessages.clientId,
  authorId: chatMessages.authorId,
  authorName: users.name,
  authorSalutation: users.salutation,
  authorRole: users.role,
  body: chatMessages.body,
  createdAt: chatMessages.createdAt,
  editedAt: chatMessages.editedAt,
  pinnedAt: chatMessages.pinnedAt,
};

function selectMessages(db: Database) {
  return db.select(messageColumns).from(chatMessages).innerJoin(users, eq(users.id, chatMessages.authorId));
}

export async function getLastSeq(db: Database, orderId: string): Promise<number> {
  const row = await db
    .select({ lastSeq: max(chatMessages.seq) })
    .from(chatMessages)
    .where(eq(chatMessages.orderId, orderId))
    .get();
  return row?.lastSeq ?? 0;
}

export async function findMessageByClientId(db: Database, authorId: string, clientId: string): Promise<ChatMessage | null> {
  const row = await selectMessages(db)
    .where(and(eq(chatMessages.authorId, authorId), eq(chatMessages.clientId, clientId)))
    .get();
  return row ?? null;
}

export async function findMessageBySeq(db: Database, orderId: string, seq: number) {
  const row = await db
    .select({ id: chatMessages.id, authorId: chatMessages.authorId, createdAt: chatMessages.createdAt })
    .from(chatMessages)
    .where(and(eq(chatMessages.orderId, orderId), eq(chatMessages.seq, seq)))
    .get();
  return row ?? null;
}

export async function getMessage(db: Database, orderId: string, seq: number): Promise<ChatMessage | null> {
  const row = await selectMessages(db)
    .where(and(eq(chatMessages.orderId, orderId), eq(chatMessages.seq, seq)))
    .get();
  return row ?? null;
}

/**
 * Stores a message with the next seq of the order and returns it. A message
 * with the same author and client id is a resend: it is returned as stored,
 * with `created` false, and nothing is written.
 */
export async function insertMessage(
  db: Database,
  input: { orderId: string; authorId: string; clientId: string; body: string; now: number },
): Promise<{ message: ChatMessage; created: boolean }> {
  const existing = await findMessageByClientId(db, input.authorId, input.clientId);
  if (existing) return { message: existing, created: false };

  // The room writes one message at a time, so max(seq) + 1 is free; the
  // unique index on (order_id, seq) still rejects a second writer.
  const seq = (await getLastSeq(db, input.orderId)) + 1;
  await db.insert(chatMessages).values({
    id: crypto.randomUUID(),
    orderId: input.orderId,
    seq,
    clientId: input.clientId,
    authorId: input.authorId,
    body: input.body,
    createdAt: input.now,
  });
  const message = await getMessage(db, input.orderId, seq);
  if (!message) throw new Error(`chat message ${seq} of order ${input.orderId} not found after insert`);
  return { message, created: true };
}

export async function updateMessageBody(db: Database, id: string, body: string, now: number) {
  await db.update(chatMessages).set({ body, editedAt: now }).where(eq(chatMessages.id, id));
}

export async function setMessagePinned(db: Database, id: string, pinnedBy: string | null, now: number) {
  await db
    .update(chatMessages)
    .set(pinnedBy ? { pinnedAt: now, pinnedBy } : { pinnedAt: null, pinnedBy: null })
    .where(eq(chatMessages.id, id));
}

/** Lists messages after `afterSeq` in seq order, at most CHAT_HISTORY_LIMIT of the newest. */
export async function listMessagesAfter(db: Database, orderId: string, afterSeq: number): Promise<ChatMessage[]> {
  const lastSeq = await getLastSeq(db, orderId);
  const fromSeq = Math.max(afterSeq, lastSeq - CHAT_HISTORY_LIMIT);
  return selectMessages(db)
    .where(and(eq(chatMessages.orderId, orderId), gt(chatMessages.seq, fromSeq)))
    .orderBy(asc(chatMessages.seq));
}

/** Lists messages up to `uptoSeq` that were edited or pinned, so that a reconnecting page gets the changes it missed. */
export async function listChangedMessagesUpTo(db: Database, orderId: string, uptoSeq: number): Promise<ChatMessage[]> {
  return selectMessages(db)
    .where(
      and(
        eq(chatMessages.orderId, orderId),
        lte(chatMessages.seq, uptoSeq),
        or(isNotNull(chatMessages.editedAt), isNotNull(chatMessages.pinnedAt)),
      ),
    )
    .orderBy(asc(chatMessages.seq))
    .limit(CHAT_HISTORY_LIMIT);
}

/** Stores the user's last read seq; it only moves forward. */
export async function markRead(db: Database, orderId: string, userId: string, seq: number, now: number) {
  await db
    .insert(chatReads)
    .values({ orderId, userId, lastReadSeq: seq, updatedAt: now })
    .onConflictDoUpdate({
      target: [chatReads.orderId, chatReads.userId],
      set: { lastReadSeq: sql`max(${chatReads.lastReadSeq}, excluded.last_read_seq)`, updatedAt: now },
    });
}

export async function getOwnLastReadSeq(db: Database, orderId: string, userId: string): Promise<number> {
  const row = await db
    .select({ lastReadSeq: chatReads.lastReadSeq })
    .from(chatReads)
    .where(and(eq(chatReads.orderId, orderId), eq(chatReads.userId, userId)))
    .get();
  return row?.lastReadSeq ?? 0;
}

/** Returns the highest seq any customer and any staff member has read in the order. */
export async function getReads(db: Database, orderId: string): Promise<ChatReads> {
  const rows = await db
    .select({ role: users.role, lastReadSeq: max(chatReads.lastReadSeq) })
    .from(chatReads)
    .innerJoin(users, eq(users.id, chatReads.userId))
    .where(eq(chatReads.orderId, orderId))
    .groupBy(users.role);

  const reads: ChatReads = { customer: 0, staff: 0 };
  for (const row of rows) {
    const side = row.role === "customer" ? "customer" : "staff";
    reads[side] = Math.max(reads[side], row.lastReadSeq ?? 0);
  }
  return reads;
}
