import { sha256 } from "@oslojs/crypto/sha2";
import { encodeHexLowerCase } from "@oslojs/encoding";
import { eq, sql } from "drizzle-orm";

import type { Database } from "~/db/client.server";
import { shareLinkFailures } from "~/db/schema";

// Slows down guessing of share-link tokens: a client (one IP address) that
// used more than MAX_FAILURES unknown, expired or revoked tokens within
// WINDOW_MS gets 429 for every token until the window ends. Valid
// tokens do not count, so an uploader sending many parts is never blocked.
// A 256-bit token cannot be guessed anyway; this keeps scanners out of the logs
// and the database.

export const MAX_FAILURES = 20;
export const WINDOW_MS = 15 * 60 * 1000;

/** Returns a stable key for the client that contains no IP address: the SHA-256 of it. */
export function clientKeyOf(request: Request): string {
  const address = request.headers.get("CF-Connecting-IP") ?? "local";
  return encodeHexLowerCase(sha256(new TextEncoder().encode(`share-link-client:${address}`)));
}

/** Returns the minutes until the client may try again, or null when it is not blocked. */
export async function blockedMinutes(db: Database, clientKey: string, now = Date.now()): Promise<number | null> {
  const row = await db.select().from(shareLinkFailures).where(eq(shareLinkFailures.clientKey, clientKey)).get();
  if (!row || row.windowStart + WINDOW_MS <= now || row.failures < MAX_FAILURES) return null;
  return Math.max(1, Math.ceil((row.windowStart + WINDOW_MS - now) / 60_000));
}

/** Counts a failed lookup; a window that has ended starts again at one. */
export async function recordFailure(db: Database, clientKey: string, now = Date.now()): Promise<void> {
  await db
    .insert(shareLinkFailures)
    .values({ clientKey, windowStart: now, failures: 1 })
    .onConflictDoUpdate({
      target: shareLinkFailures.clientKey,
      set: {
        failures: sql`case when ${shareLinkFailures.windowStart} + ${WINDOW_MS} <= ${now} then 1 else ${shareLinkFailures.failures} + 1 end`,
        windowStart: sql`case when ${shareLinkFailures.windowStart} + ${WINDOW_MS} <= ${now} then ${now} else ${shareLinkFailures.windowStart} end`,
      },
    });
}

/** Deletes windows that have ended; the scheduled cleanup calls it. */
export async function deleteEndedWindows(db: Database, now = Date.now()): Promise<void> {
  await db.delete(shareLinkFailures).where(sql`${shareLinkFailures.windowStart} + ${WINDOW_MS} <= ${now}`);
}
