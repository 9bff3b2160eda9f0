import { sha256 } from "@oslojs/crypto/sha2";
import { encodeHexLowerCase } from "@oslojs/encoding";
import { and, desc, eq, gt, sql } from "drizzle-orm";

import { readSessionToken } from "~/auth/session.server";
import type { Database } from "~/db/client.server";
import { sessions } from "~/db/schema";

import { describeDevice } from "./device";

export interface SessionListEntry {
  /** The session's id: the SHA-256 of its cookie token, which cannot be turned back into a cookie. */
  id: string;
  device: string;
  createdAt: number;
  /** Last request with the session; its start when the portal has not recorded one yet. */
  lastUsedAt: number;
  current: boolean;
}

/** Returns the id of the request's session (the SHA-256 hex of its cookie token, as the sessions table stores it), or null without a cookie. */
export function currentSessionId(request: Request): string | null {
  const token = readSessionToken(request);
  if (!token) return null;
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

/** Lists the user's sessions that have not expired, most recently used first, marking the request's own. */
export async function listUserSessions(
  db: Database,
  userId: string,
  currentId: string | null,
  now = Date.now(),
): Promise<SessionListEntry[]> {
  const lastUsed = sql<number>`coalesce(${sessions.lastUsedAt}, ${sessions.createdAt})`;
  const rows = await db
    .select({ id: sessions.id, userAgent: sessions.userAgent, createdAt: sessions.createdAt, lastUsedAt: lastUsed })
    .from(sessions)
    .where(and(eq(sessions.userId, userId), gt(sessions.expiresAt, now)))
    .orderBy(desc(lastUsed), desc(sessions.createdAt));

  return rows.map((row) => ({
    id: row.id,
    device: describeDevice(row.userAgent),
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt,
    current: row.id === currentId,
  }));
}

export type EndSessionResult =
  | { ok: true; device: string }
  | { ok: false; status: 400 | 404; reason: "current" | "not-found" };

/**
 * Ends one of the user's sessions on another device: deletes the row, so that
 * device is signed out on its next request. A session of another user, or one
 * that no longer exists, is "not-found" and nothing changes. The request's
 * own session is refused, because "Abmelden" ends it and clears the cookie.
 */
export async function endUserSession(db: Database, userId: string, sessionId: string, currentId: string | null): Promise<EndSessionResult> {
  if (sessionId === currentId) return { ok: false, status: 400, reason: "current" };

  const deleted = await db
    .delete(sessions)
    .where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId)))
    .returning({ userAgent: sessions.userAgent })
    .get();
  if (!deleted) {
    console.info("profile: session to end not found", { userId });
    return { ok: false, status: 404, reason: "not-found" };
  }

  console.info("profile: session ended", { userId });
  return { ok: true, device: describeDevice(deleted.userAgent) };
}
