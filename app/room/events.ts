import * as v from "valibot";

import { PREFLIGHT_STATES, PREFLIGHT_VERDICTS } from "~/db/values";

// Frames the order room sends to browsers. The room and the page share these
// schemas, and the page validates every frame on arrival.

export const ORDER_ROOM_PARTY = "order-room";

export const fileAddedEventSchema = v.object({
  type: v.literal("file.added"),
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

export const roomEventSchema = v.variant("type", [
  fileAddedEventSchema,
  preflightUpdatedEventSchema,
  preflightProgressEventSchema,
]);

export type RoomEvent = v.InferOutput<typeof roomEventSchema>;

/** Parses one frame; returns null for anything that is not a known, well-formed event. */
export function parseRoomEvent(frame: unknown): RoomEvent | null {
  if (typeof frame !== "string") return null;

  let json: unknown;
  try {
    json = JSON.parse(frame);
  } catch {
    return null;
  }
  const result = v.safeParse(roomEventSchema, json);
  return result.success ? result.output : null;
}
