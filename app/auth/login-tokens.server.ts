import { sha256 } from "@oslojs/crypto/sha2";
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from "@oslojs/encoding";
import { and, eq, gt, isNull, ne } from "drizzle-orm";

import type { Database } from "~/db/client.server";
import { loginTokens, sessions, users, type LOGIN_TOKEN_PURPOSES } from "~/db/schema";
import { renderLoginLinkEmail } from "~/email/account-emails.server";
import { portalBaseUrl } from "~/email/layout.server";
import { enqueueEmail } from "~/email/outbox.server";
import { getShopSettings } from "~/shop-settings.server";

import { accountMessages } from "./account-messages";
import { normalizeEmail } from "./email-address";
import { findUserByEmail } from "./login.server";
import { hashPassword } from "./password.server";
import { consumeRequest, emailHashOf, logClientTag, resetLimit, waitingMinutes } from "./rate-limit.server";
import { generateSessionToken, newSessionRow } from "./session.server";

// One-time links for the first login and for a forgotten password. The link
// carries a random 256-bit token, and the database stores only its SHA-256. A
// link is valid for 60 minutes and for one use. A newer link of the same user
// voids the older unused ones. Using a link sets the password, ends all
// sessions of the user and signs the user in with a new browser session.

export const LOGIN_TOKEN_LIFETIME_MS = 60 * 60 * 1000;

/** Longest path segment taken for a token; real tokens have 52 characters. */
const TOKEN_MAX_LENGTH = 100;

export type LoginTokenPurpose = (typeof LOGIN_TOKEN_PURPOSES)[number];

export type LoginTokenState = "valid" | "used" | "voided" | "expired" | "unknown";

export type LoginTokenInspection =
  | { state: "valid"; tokenId: string; userId: string; purpose: LoginTokenPurpose }
  | { state: Exclude<LoginTokenState, "valid">; tokenId: string | null };

export function generateLoginToken(): string {
  const bytes = new Uint8Array(32);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

export function hashLoginToken(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

/** Returns the link that opens the password page for the token. */
export function loginLinkUrl(env: { PORTAL_URL?: string }, token: string): string {
  return `${portalBaseUrl(env)}/passwort/${token}`;
}

/**
 * Stores a new token for the user and voids the user's older unused tokens in
 * the same batch. Returns the token, which exists nowhere else afterwards.
 */
export async function issueLoginToken(db: Database, userId: string, purpose: LoginTokenPurpose, now = Date.now()) {
  const token = generateLoginToken();
  const row = {
    id: crypto.randomUUID(),
    userId,
    tokenHash: hashLoginToken(token),
    purpose,
    createdAt: now,
    expiresAt: now + LOGIN_TOKEN_LIFETIME_MS,
  };

  await db.batch([
    db
      .update(loginTokens)
      .set({ voidedAt: now })
      .where(and(eq(loginTokens.userId, userId), isNull(loginTokens.usedAt), isNull(loginTokens.voidedAt))),
    db.insert(loginTokens).values(row),
  ]);
  return { token, tokenId: row.id, expiresAt: row.expiresAt };
}

/**
 * Handles the "Passwort vergessen" form: for an active user registered under
 * the address, issues a token and e-mails the link through the outbox, a
 * "first_login" link when the user has no password yet, else a
 * "password_reset" link. For any other address it sends nothing. Returns what
 * was sent, for tests and logs. The page shows the same text either way.
 */
export async function requestLoginLink(
  env: Pick<Env, "EMAIL_QUEUE"> & { PORTAL_URL?: string },
  db: Database,
  email: string,
  now = Date.now(),
): Promise<{ userId: string; tokenId: string; purpose: LoginTokenPurpose } | null> {
  const user = await findUserByEmail(db, email);
  if (!user || !user.active) {
    console.info("login link: no active user for the address, nothing sent", { userId: user?.id ?? null });
    return null;
  }

  const purpose: LoginTokenPurpose = user.passwordHash ? "password_reset" : "first_login";
  const issued = await issueLoginToken(db, user.id, purpose, now);
  const shop = await getShopSettings(db);
  const content = renderLoginLinkEmail({
    shop,
    recipientName: user.name,
    purpose,
    linkUrl: loginLinkUrl(env, issued.token),
    expiresAt: issued.expiresAt,
  });

  await enqueueEmail(env, db, {
    idempotencyKey: `login-token:${issued.tokenId}`,
    kind: purpose === "first_login" ? "first-login" : "password-reset",
    to: user.email,
    toName: user.name,
    ...content,
  });
  console.info("login link: sent", { userId: user.id, purpose, tokenId: issued.tokenId });
  return { userId: user.id, tokenId: issued.tokenId, purpose };
}

export type LinkFormResult =
  | { status: 200; message: string }
  | { status: 400; message: string }
  | { status: 429; message: string; retryAfterSeconds: number };

/**
 * Handles a submitted "Passwort vergessen" form: counts the request against
 * the address and the client, then sends the link. The result is the same
 * for every valid address, registered or not. With `runInBackground` (the
 * request's `waitUntil`) the lookup and the e-mail run after the response, so
 * that its timing does not tell registered addresses apart either.
 */
export async function submitLinkForm(
  env: Pick<Env, "EMAIL_QUEUE" | "RateLimiter"> & { PORTAL_URL?: string },
  db: Database,
  input: { email: string; clientHash: string },
  now = Date.now(),
  runInBackground?: (work: Promise<unknown>) => void,
): Promise<LinkFormResult> {
  const email = normalizeEmail(input.email);
  if (!email) return { status: 400, message: accountMessages.emailInvalid };

  const client = logClientTag(input.clientHash);
  const waitMs = await consumeRequest(
    env,
    [
      { bucket: "linkEmail", subjectHash: emailHashOf(email) },
      { bucket: "linkClient", subjectHash: input.clientHash },
    ],
    now,
  );
  if (waitMs !== null) {
    console.warn("login link: rate limited", { client });
    const minutes = waitingMinutes(waitMs);
    return { status: 429, message: accountMessages.tooManyRequests(minutes), retryAfterSeconds: minutes * 60 };
  }

  const work = requestLoginLink(env, db, input.email, now);
  if (runInBackground) {
    runInBackground(work.catch((error: unknown) => console.error("login link: sending failed", { client, error: String(error) })));
  } else {
    await work;
  }
  return { status: 200, message: accountMessages.linkRequested };
}

/** Looks up a token and returns whether it can be used, without changing it. */
export async function inspectLoginToken(db: Database, token: string, now = Date.now()): Promise<LoginTokenInspection> {
  if (token.length === 0 || token.length > TOKEN_MAX_LENGTH) return { state: "unknown", tokenId: null };

  const row = await db
    .select({
      id: loginTokens.id,
      userId: loginTokens.userId,
      purpose: loginTokens.purpose,
      expiresAt: loginTokens.expiresAt,
      usedAt: loginTokens.usedAt,
      voidedAt: loginTokens.voidedAt,
      userActive: users.active,
    })
    .from(loginTokens)
    .innerJoin(users, eq(loginTokens.userId, users.id))
    .where(eq(loginTokens.tokenHash, hashLoginToken(token)))
    .get();

  if (!row) return { state: "unknown", tokenId: null };
  if (row.usedAt !== null) return { state: "used", tokenId: row.id };
  if (row.voidedAt !== null) return { state: "voided", tokenId: row.id };
  if (row.expiresAt <= now) return { state: "expired", tokenId: row.id };
  // A deactivated contact's links stop working like the contact's sessions.
  if (!row.userActive) return { state: "unknown", tokenId: row.id };
  return { state: "valid", tokenId: row.id, userId: row.userId, purpose: row.purpose };
}

export type RedeemResult =
  | { ok: true; userId: string; purpose: LoginTokenPurpose; sessionToken: string }
  | { ok: false; state: Exclude<LoginTokenState, "valid"> };

/**
 * Uses a token: sets the password (the caller checked it against the
 * password rules), marks the token used, voids the user's other tokens, ends
 * all sessions of the user and creates a new browser session. A token that is
 * not valid changes nothing. Of two requests with the same token only the one
 * that marks it used first goes on.
 */
export async function redeemLoginToken(
  env: Pick<Env, "RateLimiter">,
  db: Database,
  token: string,
  password: string,
  options: { userAgent: string | null; client: string },
  now = Date.now(),
): Promise<RedeemResult> {
  const inspection = await inspectLoginToken(db, token, now);
  if (inspection.state !== "valid") {
    console.info("login link: rejected", { state: inspection.state, tokenId: inspection.tokenId, client: options.client });
    return { ok: false, state: inspection.state };
  }

  // Hashing takes the most time, so it runs before the token is claimed.
  const passwordHash = await hashPassword(password);

  const claimed = await db
    .update(loginTokens)
    .set({ usedAt: now })
    .where(and(eq(loginTokens.id, inspection.tokenId), isNull(loginTokens.usedAt), isNull(loginTokens.voidedAt), gt(loginTokens.expiresAt, now)))
    .returning({ id: loginTokens.id })
    .get();
  if (!claimed) {
    const current = await inspectLoginToken(db, token, now);
    const state = current.state === "valid" ? "used" : current.state;
    console.info("login link: rejected", { state, tokenId: inspection.tokenId, client: options.client });
    return { ok: false, state };
  }

  const sessionToken = generateSessionToken();
  await db.batch([
    db.update(users).set({ passwordHash }).where(eq(users.id, inspection.userId)),
    db
      .update(loginTokens)
      .set({ voidedAt: now })
      .where(and(eq(loginTokens.userId, inspection.userId), ne(loginTokens.id, inspection.tokenId), isNull(loginTokens.usedAt), isNull(loginTokens.voidedAt))),
    db.delete(sessions).where(eq(sessions.userId, inspection.userId)),
    db.insert(sessions).values(newSessionRow(sessionToken, inspection.userId, now, { persistent: false, userAgent: options.userAgent })),
  ]);

  // Proving control of the mailbox counts as a successful login for the address's failure count.
  const user = await db.select({ email: users.email }).from(users).where(eq(users.id, inspection.userId)).get();
  const normalized = user ? normalizeEmail(user.email) : null;
  if (normalized) await resetLimit(env, { bucket: "loginEmail", subjectHash: emailHashOf(normalized) });

  console.info("login link: used, password set, all sessions ended", {
    userId: inspection.userId,
    purpose: inspection.purpose,
    tokenId: inspection.tokenId,
    client: options.client,
  });
  return { ok: true, userId: inspection.userId, purpose: inspection.purpose, sessionToken };
}
