import { sha256 } from "@oslojs/crypto/sha2";
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from "@oslojs/encoding";
import { eq } from "drizzle-orm";

import type { Database } from "~/db/client.server";
import { sessions, users } from "~/db/schema";

// Sessions follow Lucia's design: the cookie carries a random token, and the
// database stores only its SHA-256.
//
// A persistent session ("Angemeldet bleiben" ticked) has a cookie with an
// expiry date. It lasts 30 days, and the expiry moves forward by 30 days, with
// a new cookie, once less than 15 days remain. A browser session (box not
// ticked) has a cookie without Expires or Max-Age, which the browser drops
// when it ends. Because browsers that restore tabs keep such cookies, the
// server also ends a browser session after 12 hours without a request.
const PERSISTENT_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;
const PERSISTENT_RENEW_BEFORE_MS = 15 * 24 * 60 * 60 * 1000;
const BROWSER_SESSION_IDLE_MS = 12 * 60 * 60 * 1000;

/** `lastUsedAt` (and a browser session's expiry) is written at most this often, so that requests rarely write. */
export const LAST_USED_INTERVAL_MS = 5 * 60 * 1000;

/** Longest User-Agent stored with a session. */
const USER_AGENT_MAX_LENGTH = 512;

export const SESSION_COOKIE = "portal_session";

export interface SessionUser {
  id: string;
  role: (typeof users.$inferSelect)["role"];
  companyId: string | null;
  salutation: string | null;
  name: string;
  email: string;
}

export interface ValidatedSession {
  sessionId: string;
  user: SessionUser;
  /** Set when a persistent session's expiry moved forward and the cookie must be sent again. */
  renewedExpiresAt: number | null;
}

export interface SessionOptions {
  /** Whether the session outlives the browser session ("Angemeldet bleiben"); true unless set. */
  persistent?: boolean;
  /** The browser's User-Agent header, shown in the list of the user's sessions. */
  userAgent?: string | null;
}

export function generateSessionToken(): string {
  const bytes = new Uint8Array(20);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

function hashToken(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

/**
 * Stores a new session for the token. Returns the row; its `expiresAt` is the
 * cookie's expiry for a persistent session. A browser session's cookie gets
 * none (pass `cookieExpiresAt(session)` to `serializeSessionCookie`).
 */
export async function createSession(db: Database, token: string, userId: string, now = Date.now(), options: SessionOptions = {}) {
  const session = newSessionRow(token, userId, now, options);
  await db.insert(sessions).values(session);
  return session;
}

/** Builds the row of a new session without storing it, for callers that insert it in a batch with other changes. */
export function newSessionRow(token: string, userId: string, now: number, options: SessionOptions = {}) {
  const persistent = options.persistent ?? true;
  return {
    id: hashToken(token),
    userId,
    createdAt: now,
    expiresAt: now + (persistent ? PERSISTENT_LIFETIME_MS : BROWSER_SESSION_IDLE_MS),
    persistent,
    lastUsedAt: now,
    userAgent: options.userAgent ? options.userAgent.slice(0, USER_AGENT_MAX_LENGTH) : null,
  };
}

/** Returns the expiry the session's cookie carries: the session's expiry when persistent, null for a browser session. */
export function cookieExpiresAt(session: { persistent: boolean; expiresAt: number }): number | null {
  return session.persistent ? session.expiresAt : null;
}

/**
 * Resolves a cookie token into its session and user. Deletes the session and
 * returns null when it has expired or the user is deactivated. Records the
 * use at most every `LAST_USED_INTERVAL_MS`, which also moves a browser
 * session's idle expiry forward, and renews a persistent session in its
 * second half.
 */
export async function validateSessionToken(db: Database, token: string, now = Date.now()): Promise<ValidatedSession | null> {
  const sessionId = hashToken(token);
  const row = await db
    .select({
      expiresAt: sessions.expiresAt,
      persistent: sessions.persistent,
      lastUsedAt: sessions.lastUsedAt,
      user: {
        id: users.id,
        role: users.role,
        companyId: users.companyId,
        salutation: users.salutation,
        name: users.name,
        email: users.email,
        active: users.active,
      },
    })
    .from(sessions)
    .innerJoin(users, eq(sessions.userId, users.id))
    .where(eq(sessions.id, sessionId))
    .get();

  if (!row) return null;

  if (row.expiresAt <= now || !row.user.active) {
    await db.delete(sessions).where(eq(sessions.id, sessionId));
    return null;
  }

  const changes: { lastUsedAt?: number; expiresAt?: number } = {};
  if (row.lastUsedAt === null || now - row.lastUsedAt >= LAST_USED_INTERVAL_MS) {
    changes.lastUsedAt = now;
    if (!row.persistent) changes.expiresAt = now + BROWSER_SESSION_IDLE_MS;
  }

  let renewedExpiresAt: number | null = null;
  if (row.persistent && row.expiresAt - now < PERSISTENT_RENEW_BEFORE_MS) {
    renewedExpiresAt = now + PERSISTENT_LIFETIME_MS;
    changes.expiresAt = renewedExpiresAt;
    changes.lastUsedAt = now;
  }

  if (Object.keys(changes).length > 0) {
    await db.update(sessions).set(changes).where(eq(sessions.id, sessionId));
  }

  const { active: _active, ...user } = row.user;
  return { sessionId, user, renewedExpiresAt };
}

/**
 * Returns whether the session still exists, has not expired and belongs to an
 * active user. Open sockets call it, because they outlive the request that
 * checked the cookie.
 */
export async function isSessionValid(db: Database, sessionId: string, now = Date.now()): Promise<boolean> {
  const row = await db
    .select({ expiresAt: sessions.expiresAt, active: users.active })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, sessionId))
    .get();
  return row !== undefined && row.expiresAt > now && row.active;
}

export async function invalidateSession(db: Database, sessionId: string) {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}

/** Ends every session of the user, such as after a password change or deactivation. */
export async function invalidateUserSessions(db: Database, userId: string) {
  await db.delete(sessions).where(eq(sessions.userId, userId));
}

export function readSessionToken(request: Request): string | null {
  const header = request.headers.get("Cookie");
  if (!header) return null;

  for (const part of header.split(";")) {
    const [name, ...value] = part.trim().split("=");
    if (name === SESSION_COOKIE) return value.join("=") || null;
  }
  return null;
}

function isSecureRequest(request: Request): boolean {
  return new URL(request.url).protocol === "https:";
}

/**
 * Builds the session cookie. With `expiresAt` null it has neither Expires nor
 * Max-Age, so the browser drops it when the browser session ends.
 */
export function serializeSessionCookie(request: Request, token: string, expiresAt: number | null): string {
  const attributes = [`${SESSION_COOKIE}=${token}`, "HttpOnly", "SameSite=Lax", "Path=/"];
  if (expiresAt !== null) attributes.push(`Expires=${new Date(expiresAt).toUTCString()}`);
  if (isSecureRequest(request)) attributes.push("Secure");
  return attributes.join("; ");
}

export function serializeBlankSessionCookie(request: Request): string {
  const attributes = [`${SESSION_COOKIE}=`, "HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=0"];
  if (isSecureRequest(request)) attributes.push("Secure");
  return attributes.join("; ");
}
