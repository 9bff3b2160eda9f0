import * as v from "valibot";

import { ORDER_STATUSES, PREFLIGHT_STATES, PREFLIGHT_VERDICTS, USER_ROLES } from "~/db/values";

// Frames between the order room and browsers. The room and the page share
// these schemas, and each side validates every frame on arrival.

export const ORDER_ROOM_PARTY = "order-room";

export const fileAddedEventSchema = v.object({
  type: v.literal("file.added"),
  fileId: v.string(),
  originalName: v.string(),
});

/** A staff member deleted a print file, so pages drop it from their list. */
export const fileDeletedEventSchema = v.object({
  type: v.literal("file.deleted"),
  fileId: v.string(),
  originalName: v.string(),
});

export const preflightUpdatedEventSchema = v.object({
  type: v.literal("preflight.updated"),
  fileId: v.string(),
  runId: v.string(),
  state: v.picklist(PREFLIGHT_STATES),
  verdict: v.nullable(v.picklist(PREFLIGHT_VERDICTS)),
});

/** Pages of a running check done so far, sent a few times per second at most. */
export const preflightProgressEventSchema = v.object({
  type: v.literal("preflight.progress"),
  fileId: v.string(),
  runId: v.string(),
  pagesDone: v.pipe(v.number(), v.integer(), v.minValue(0)),
  pageCount: v.pipe(v.number(), v.integer(), v.minValue(0)),
});

/** The order's state or fields changed (offer accepted, declared ready for print, edited by staff). */
export const orderUpdatedEventSchema = v.object({
  type: v.literal("order.updated"),
  status: v.picklist(ORDER_STATUSES),
  version: v.pipe(v.number(), v.integer(), v.minValue(1)),
});

/** A document of the order was added, replaced or removed, or the approval link changed. */
export const documentsChangedEventSchema = v.object({
  type: v.literal("documents.changed"),
});

export const roomEventSchema = v.variant("type", [
  orderUpdatedEventSchema,
  documentsChangedEventSchema,
  fileAddedEventSchema,
  fileDeletedEventSchema,
  preflightUpdatedEventSchema,
  preflightProgressEventSchema,
]);

export type RoomEvent = v.InferOutput<typeof roomEventSchema>;

// Chat frames. The room is the single writer of an order's message sequence:
// every stored message has the next `seq` of its order, starting at 1.

/** Maximum length of a chat message, counted in Unicode code points. */
export const CHAT_MAX_CHARS = 5000;
/** Frames larger than this (in bytes of UTF-8) are rejected before parsing. */
export const CHAT_MAX_FRAME_BYTES = 64 * 1024;
/** Authors may edit their message for this long after sending it. */
export const CHAT_EDIT_WINDOW_MS = 10 * 60 * 1000;
/** Text frame the browser sends as a heartbeat. The runtime replies "pong" without waking the room. */
export const HEARTBEAT_PING = "ping";
export const HEARTBEAT_PONG = "pong";

/** Counts Unicode code points, so that an emoji counts as one character on both sides. */
export function countChars(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}

const seqSchema = v.pipe(v.number(), v.integer(), v.minValue(0));
// Client ids are chosen by the browser (crypto.randomUUID); the bound keeps the unique index small.
const clientIdSchema = v.pipe(v.string(), v.minLength(1), v.maxLength(64));
// The room checks the body's character limit itself, so that it can send a specific German error.
const bodySchema = v.string();

export const helloFrameSchema = v.object({ type: v.literal("hello"), lastSeq: seqSchema });
export const chatSendFrameSchema = v.object({ type: v.literal("chat.send"), clientId: clientIdSchema, body: bodySchema });
export const chatEditFrameSchema = v.object({ type: v.literal("chat.edit"), seq: seqSchema, body: bodySchema });
export const chatPinFrameSchema = v.object({ type: v.literal("chat.pin"), seq: seqSchema, pinned: v.boolean() });
export const chatReadFrameSchema = v.object({ type: v.literal("chat.read"), seq: seqSchema });

/** Frames a browser sends to the order room. */
export const clientFrameSchema = v.variant("type", [
  helloFrameSchema,
  chatSendFrameSchema,
  chatEditFrameSchema,
  chatPinFrameSchema,
  chatReadFrameSchema,
]);
export type ClientFrame = v.InferOutput<typeof clientFrameSchema>;

export const chatRoleSchema = v.picklist(USER_ROLES);

export const chatMessageSchema = v.object({
  seq: seqSchema,
  clientId: v.string(),
  authorId: v.string(),
  authorName: v.string(),
  authorSalutation: v.nullable(v.string()),
  authorRole: chatRoleSchema,
  body: v.string(),
  createdAt: v.number(),
  editedAt: v.nullable(v.number()),
  pinnedAt: v.nullable(v.number()),
});
export type ChatMessage = v.InferOutput<typeof chatMessageSchema>;

/** The highest seq read by any customer and by any staff member, for the "gelesen" markers. */
export const chatReadsSchema = v.object({ customer: seqSchema, staff: seqSchema });
export type ChatReads = v.InferOutput<typeof chatReadsSchema>;

export const presenceUserSchema = v.object({
  userId: v.string(),
  name: v.string(),
  salutation: v.nullable(v.string()),
  role: chatRoleSchema,
  tabs: v.pipe(v.number(), v.integer(), v.minValue(1)),
});
export type PresenceUser = v.InferOutput<typeof presenceUserSchema>;

export const chatMessageFrameSchema = v.object({ type: v.literal("chat.message"), message: chatMessageSchema });
export const chatUpdatedFrameSchema = v.object({ type: v.literal("chat.updated"), message: chatMessageSchema });
/**
 * Reply to `hello`: every message after the client's `lastSeq` in order, the
 * older messages that were edited or pinned, and the read state.
 */
export const chatHistoryFrameSchema = v.object({
  type: v.literal("chat.history"),
  messages: v.array(chatMessageSchema),
  updated: v.array(chatMessageSchema),
  lastSeq: seqSchema,
  ownLastReadSeq: seqSchema,
  reads: chatReadsSchema,
});
export const chatReadsFrameSchema = v.object({ type: v.literal("chat.reads"), reads: chatReadsSchema });
export const presenceFrameSchema = v.object({ type: v.literal("presence"), users: v.array(presenceUserSchema) });

export const CHAT_ERROR_CODES = [
  "invalid_frame",
  "frame_too_large",
  "forbidden",
  "body_empty",
  "body_too_long",
  "rate_limited",
  "not_found",
  "edit_window_over",
  "internal",
] as const;
export type ChatErrorCode = (typeof CHAT_ERROR_CODES)[number];

/** A rejected frame: `message` is German and shown to the user; `clientId` names the rejected message if any. */
export const errorFrameSchema = v.object({
  type: v.literal("error"),
  code: v.picklist(CHAT_ERROR_CODES),
  message: v.string(),
  clientId: v.optional(v.string()),
});

/** Chat frames the room sends to browsers that have sent `hello`. */
export const chatServerFrameSchema = v.variant("type", [
  chatMessageFrameSchema,
  chatUpdatedFrameSchema,
  chatHistoryFrameSchema,
  chatReadsFrameSchema,
  presenceFrameSchema,
  errorFrameSchema,
]);
export type ChatServerFrame = v.InferOutput<typeof chatServerFrameSchema>;

/** Every frame the room sends: the order's live events and the chat frames. */
export const serverFrameSchema = v.variant("type", [roomEventSchema, chatServerFrameSchema]);
export type ServerFrame = v.InferOutput<typeof serverFrameSchema>;

/** Parses a text frame as JSON; returns undefined for a binary frame or invalid JSON, which no schema accepts. */
export function parseJsonFrame(frame: unknown): unknown {
  if (typeof frame !== "string") return undefined;
  try {
    return JSON.parse(frame);
  } catch {
    return undefined;
  }
}

/** Parses one frame from the room; returns null for anything that is not a known, well-formed frame. */
export function parseServerFrame(frame: unknown): ServerFrame | null {
  const result = v.safeParse(serverFrameSchema, parseJsonFrame(frame));
  return result.success ? result.output : null;
}

/** Parses one frame from a browser; returns null for anything that is not a known, well-formed frame. */
export function parseClientFrame(frame: unknown): ClientFrame | null {
  const result = v.safeParse(clientFrameSchema, parseJsonFrame(frame));
  return result.success ? result.output : null;
}

/** Parses one frame; returns null for anything that is not a known, well-formed event. */
export function parseRoomEvent(frame: unknown): RoomEvent | null {
  const result = v.safeParse(roomEventSchema, parseJsonFrame(frame));
  return result.success ? result.output : null;
}
