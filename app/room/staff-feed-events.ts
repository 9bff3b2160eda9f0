import * as v from "valibot";

import { PREFLIGHT_STATES, PREFLIGHT_VERDICTS, USER_ROLES } from "~/db/values";

import { parseJsonFrame } from "./events";

// Activity that server code reports to the staff feed, and the frames the feed
// sends to the staff "Live" page. The feed and the page share these schemas,
// and the page validates every frame on arrival.

export const STAFF_FEED_PARTY = "staff-feed";
/** The feed has one instance for the whole deployment. */
export const STAFF_FEED_ROOM = "staff";

const orderIdSchema = v.pipe(v.string(), v.minLength(1));

export const presentUserSchema = v.object({
  userId: v.string(),
  name: v.string(),
  role: v.picklist(USER_ROLES),
  /** Open browser tabs of this user on the order page. */
  tabs: v.pipe(v.number(), v.integer(), v.minValue(1)),
});

/** Everyone who has the order open now; replaces the previous list. */
export const presenceActivitySchema = v.object({
  type: v.literal("presence"),
  orderId: orderIdSchema,
  present: v.array(presentUserSchema),
});

/** A chat message was stored in the order room. `at` is epoch milliseconds. */
export const messageActivitySchema = v.object({
  type: v.literal("message"),
  orderId: orderIdSchema,
  seq: v.pipe(v.number(), v.integer(), v.minValue(0)),
  authorId: v.string(),
  authorRole: v.picklist(USER_ROLES),
  at: v.pipe(v.number(), v.integer(), v.minValue(0)),
});

/** A staff member has read the order's messages up to `seq`. */
export const readActivitySchema = v.object({
  type: v.literal("read"),
  orderId: orderIdSchema,
  seq: v.pipe(v.number(), v.integer(), v.minValue(0)),
  userId: v.string(),
});

export const uploadActivitySchema = v.object({
  type: v.literal("upload"),
  orderId: orderIdSchema,
  fileId: v.string(),
  originalName: v.string(),
  /**
   * "failed": the upload was rejected or broke off after it started, and
   * nothing was stored. "deleted": staff deleted the stored file, so its
   * check no longer counts either.
   */
  state: v.picklist(["started", "stored", "failed", "deleted"]),
});

export const preflightActivitySchema = v.object({
  type: v.literal("preflight"),
  orderId: orderIdSchema,
  fileId: v.string(),
  runId: v.string(),
  state: v.picklist(PREFLIGHT_STATES),
  verdict: v.nullable(v.picklist(PREFLIGHT_VERDICTS)),
});

export const orderActivitySchema = v.variant("type", [
  presenceActivitySchema,
  messageActivitySchema,
  readActivitySchema,
  uploadActivitySchema,
  preflightActivitySchema,
]);

export type OrderActivity = v.InferOutput<typeof orderActivitySchema>;
export type PresentUser = v.InferOutput<typeof presentUserSchema>;

/** The feed's summary of one order's recent activity. Times are epoch milliseconds. */
export const orderSummarySchema = v.object({
  orderId: orderIdSchema,
  present: v.array(presentUserSchema),
  /** Customer messages after the last message that any staff member wrote or read. */
  unreadMessages: v.pipe(v.number(), v.integer(), v.minValue(0)),
  uploadsInProgress: v.pipe(v.number(), v.integer(), v.minValue(0)),
  checksRunning: v.pipe(v.number(), v.integer(), v.minValue(0)),
  checksFailed: v.pipe(v.number(), v.integer(), v.minValue(0)),
  lastActivityAt: v.pipe(v.number(), v.integer(), v.minValue(0)),
});

export type OrderSummary = v.InferOutput<typeof orderSummarySchema>;

/** All current summaries, sent once right after a staff socket connects. */
export const feedSnapshotFrameSchema = v.object({
  type: v.literal("snapshot"),
  orders: v.array(orderSummarySchema),
});

/** One order's summary after a change. */
export const feedOrderFrameSchema = v.object({
  type: v.literal("order"),
  order: orderSummarySchema,
});

/** Orders without activity for the retention period, removed from the feed. */
export const feedExpiredFrameSchema = v.object({
  type: v.literal("expired"),
  orderIds: v.array(orderIdSchema),
});

export const feedFrameSchema = v.variant("type", [feedSnapshotFrameSchema, feedOrderFrameSchema, feedExpiredFrameSchema]);

export type FeedFrame = v.InferOutput<typeof feedFrameSchema>;

/** Parses one frame from the feed; returns null for anything that is not a known, well-formed frame. */
export function parseFeedFrame(frame: unknown): FeedFrame | null {
  const result = v.safeParse(feedFrameSchema, parseJsonFrame(frame));
  return result.success ? result.output : null;
}
