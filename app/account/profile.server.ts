import { and, eq, ne } from "drizzle-orm";

import { accountMessages } from "~/auth/account-messages";
import { normalizeEmail } from "~/auth/email-address";
import { loginLimitKeys } from "~/auth/login.server";
import { hashPassword, verifyPassword } from "~/auth/password.server";
import { passwordPolicyError } from "~/auth/password-policy";
import { limitedFor, logClientTag, recordFailure, waitingMinutes } from "~/auth/rate-limit.server";
import type { SessionUser } from "~/auth/session.server";
import type { Database } from "~/db/client.server";
import { sessions, users } from "~/db/schema";

import type { FieldErrors, PasswordChangeInput, ProfileInput } from "./forms";
import { profileMessages } from "./messages";

/** Loads what the profile page shows of the user's own account. */
export async function getProfile(db: Database, userId: string) {
  return db
    .select({ name: users.name, email: users.email, phone: users.phone, photoR2Key: users.photoR2Key })
    .from(users)
    .where(eq(users.id, userId))
    .get();
}

/** Stores the user's own name and phone number. */
export async function updateProfile(db: Database, user: SessionUser, input: ProfileInput): Promise<void> {
  await db.update(users).set({ name: input.name, phone: input.phone }).where(eq(users.id, user.id));
  console.info("profile: name and phone saved", { userId: user.id });
}

export type PasswordChangeResult =
  | { ok: true; sessionsEnded: number }
  | { ok: false; status: 400 | 429; fieldErrors: FieldErrors };

/**
 * Changes the user's password after checking the current one and the
 * password rules, and ends every other session of the user in the same
 * batch. The session `currentSessionId` names stays, so the user remains
 * signed in on this device. A wrong current password counts as a failed
 * login of the address and the client, so a stolen session cannot be used to
 * guess the password faster than the login allows.
 */
export async function changePassword(
  env: Pick<Env, "RateLimiter">,
  db: Database,
  user: SessionUser,
  currentSessionId: string | null,
  input: PasswordChangeInput,
  clientHash: string,
  now = Date.now(),
): Promise<PasswordChangeResult> {
  const fail = (fieldErrors: FieldErrors, status: 400 | 429 = 400): PasswordChangeResult => ({ ok: false, status, fieldErrors });
  const client = logClientTag(clientHash);
  const limitKeys = loginLimitKeys(normalizeEmail(user.email) ?? user.email, clientHash);

  const waitMs = await limitedFor(env, limitKeys, now);
  if (waitMs !== null) {
    console.warn("profile: password change rate limited", { userId: user.id, client });
    return fail({ currentPassword: accountMessages.tooManyAttempts(waitingMinutes(waitMs)) }, 429);
  }

  const account = await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, user.id)).get();
  if (!(await verifyPassword(account?.passwordHash ?? null, input.currentPassword))) {
    const limitedMs = await recordFailure(env, limitKeys, now);
    console.info("profile: password change rejected, current password wrong", { userId: user.id, client });
    if (limitedMs !== null) return fail({ currentPassword: accountMessages.tooManyAttempts(waitingMinutes(limitedMs)) }, 429);
    return fail({ currentPassword: profileMessages.currentPasswordWrong });
  }

  const policyError = passwordPolicyError(input.newPassword);
  if (policyError) return fail({ newPassword: policyError });
  if (input.newPassword === input.currentPassword) return fail({ newPassword: profileMessages.newPasswordSameAsCurrent });

  const passwordHash = await hashPassword(input.newPassword);
  const otherSessions = currentSessionId
    ? and(eq(sessions.userId, user.id), ne(sessions.id, currentSessionId))
    : eq(sessions.userId, user.id);
  const [, ended] = await db.batch([
    db.update(users).set({ passwordHash }).where(eq(users.id, user.id)),
    db.delete(sessions).where(otherSessions).returning({ id: sessions.id }),
  ]);

  console.info("profile: password changed", { userId: user.id, client, sessionsEnded: ended.length });
  return { ok: true, sessionsEnded: ended.length };
}
