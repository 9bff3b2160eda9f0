import { inArray } from "drizzle-orm";

import type { Database } from "~/db/client.server";
import { users } from "~/db/schema";

import { accountMessages } from "./account-messages";
import { normalizeEmail, storedEmailForms } from "./email-address";
import { verifyPassword } from "./password.server";
import { emailHashOf, limitedFor, logClientTag, recordFailure, resetLimit, waitingMinutes, type RateLimitKey } from "./rate-limit.server";
import { cookieExpiresAt, createSession, generateSessionToken } from "./session.server";

export interface LoginAttempt {
  /** The e-mail address as typed; compared trimmed, lowercased and with an ASCII domain. */
  email: string;
  password: string;
  /** "Angemeldet bleiben": a persistent session instead of a browser session. */
  remember: boolean;
  /** SHA-256 of the client's IP address (`clientHashOf`). */
  clientHash: string;
  userAgent: string | null;
}

export type LoginResult =
  | { ok: true; userId: string; sessionToken: string; cookieExpiresAt: number | null }
  | { ok: false; status: 400 | 429; message: string; retryAfterSeconds: number | null };

/** Loads the user registered under the address, in whichever form it was stored; undefined when there is none. */
export async function findUserByEmail(db: Database, email: string) {
  const forms = storedEmailForms(email);
  if (forms.length === 0) return undefined;
  return db.select().from(users).where(inArray(users.email, forms)).get();
}

/** Builds the rate-limit keys of the login: one for the address, one for the client. */
export function loginLimitKeys(normalizedEmail: string, clientHash: string): RateLimitKey[] {
  return [
    { bucket: "loginEmail", subjectHash: emailHashOf(normalizedEmail) },
    { bucket: "loginClient", subjectHash: clientHash },
  ];
}

/**
 * Builds the result of a limited login. "Passwort vergessen" helps only when
 * the address is limited. When the whole network (client) is limited, the
 * message names the network instead.
 */
async function rateLimited(env: Pick<Env, "RateLimiter">, keys: RateLimitKey[], retryAfterMs: number, now: number): Promise<LoginResult> {
  const minutes = waitingMinutes(retryAfterMs);
  const addressLimited = (await limitedFor(env, [keys[0]], now)) !== null;
  const message = addressLimited ? accountMessages.tooManyLoginAttempts(minutes) : accountMessages.tooManyLoginsFromNetwork(minutes);
  return { ok: false, status: 429, message, retryAfterSeconds: minutes * 60 };
}

/**
 * Checks e-mail address and password and creates a session. Failed attempts
 * count against the address and the client. While either is limited, every
 * attempt is rejected with the waiting time, even one with the right
 * password, and no password is checked. A successful login resets the
 * address's count. An unknown address, a deactivated user, a user without a
 * password and a wrong password all get the same message.
 */
export async function logIn(env: Pick<Env, "RateLimiter">, db: Database, attempt: LoginAttempt, now = Date.now()): Promise<LoginResult> {
  const email = normalizeEmail(attempt.email);
  if (!email) return { ok: false, status: 400, message: accountMessages.emailInvalid, retryAfterSeconds: null };

  const client = logClientTag(attempt.clientHash);
  const limitKeys = loginLimitKeys(email, attempt.clientHash);
  const waitMs = await limitedFor(env, limitKeys, now);
  if (waitMs !== null) {
    console.warn("login: rate limited", { client });
    return rateLimited(env, limitKeys, waitMs, now);
  }

  const user = await findUserByEmail(db, attempt.email);
  const passwordMatches = await verifyPassword(user?.passwordHash ?? null, attempt.password);
  if (!user || !user.active || !passwordMatches) {
    const limitedMs = await recordFailure(env, limitKeys, now);
    console.info("login: rejected", { userId: user?.id ?? null, client });
    if (limitedMs !== null) {
      console.warn("login: rate limit reached", { userId: user?.id ?? null, client });
      return rateLimited(env, limitKeys, limitedMs, now);
    }
    return { ok: false, status: 400, message: accountMessages.loginFailed, retryAfterSeconds: null };
  }

  await resetLimit(env, limitKeys[0]);
  const sessionToken = generateSessionToken();
  const session = await createSession(db, sessionToken, user.id, now, { persistent: attempt.remember, userAgent: attempt.userAgent });
  console.info("login: signed in", { userId: user.id, client, persistent: attempt.remember });

  return { ok: true, userId: user.id, sessionToken, cookieExpiresAt: cookieExpiresAt(session) };
}
