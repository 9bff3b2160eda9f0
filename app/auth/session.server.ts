import { sha256 } from "@oslojs/crypto/sha2";
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from "@oslojs/encoding";
import { eq } from "drizzle-orm";

import type { Database } from "~/db/client.server";
import { sessions, users } from "~/db/schema";

// Sessions follow Lucia's design: the cookie carries a random token, the
// database stores only its SHA-256, and the expiry slides forward while the
// session is used.
const SESSION_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;
const SESSION_RENEW_BEFORE_MS = 15 * 24 * 60 * 60 * 1000;
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
  /** Set when the expiry moved forward and the cookie must be sent again. */
  renewedExpiresAt: number | null;
}

export function generateSessionToken(): string {
  const bytes = new Uint8Array(20);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

function hashToken(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

export async function createSession(db: Database, token: string, userId: string, now = Date.now()) {
  const session = {
    id: hashToken(token),
    userId,
    createdAt: now,
    expiresAt: now + SESSION_LIFETIME_MS,
  };
  await db.insert(sessions).values(session);
  return session;
}

export async function validateSessionToken(
  db: Database,
  token: string,
  now = Date.now(),
): Promise<ValidatedSession | null> {
  const sessionId = hashToken(token);
  const row = await db
    .select({
      expiresAt: sessions.expiresAt,
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

  let renewedExpiresAt: number | null = null;
  if (row.expiresAt - now < SESSION_RENEW_BEFORE_MS) {
    renewedExpiresAt = now + SESSION_LIFETIME_MS;
    await db.update(sessions).set({ expiresAt: renewedExpiresAt }).where(eq(sessions.id, sessionId));
  }

  const { active: _active, ...user } = row.user;
  return { sessionId, user, renewedExpiresAt };
}

export async function invalidateSession(db: Database, sessionId: string) {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
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

export function serializeSessionCookie(request: Request, token: string, expiresAt: number): string {
  const attributes = [
    `${SESSION_COOKIE}=${token}`,
    "HttpOnly",
    "SameSite=Lax",
    "Path=/",
    `Expires=${new Date(expiresAt).toUTCString()}`,
  ];
  if (isSecureRequest(request)) attributes.push("Secure");
  return attributes.join("; ");
}

export function serializeBlankSessionCookie(request: Request): string {
  const attributes = [`${SESSION_COOKIE}=`, "HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=0"];
  if (isSecureRequest(request)) attributes.push("Secure");
  return attributes.join("; ");
}
