import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";

import { accountMessages } from "~/auth/account-messages";
import { clientHashOf, RATE_LIMITS } from "~/auth/rate-limit.server";
import { hashPassword, verifyPassword } from "~/auth/password.server";
import { createSession, generateSessionToken, SESSION_COOKIE, validateSessionToken } from "~/auth/session.server";
import { getDb } from "~/db/client.server";
import { sessions, users } from "~/db/schema";
import { demoUser, seedDemo } from "../../tests/support/fixtures";

import { parsePasswordForm, parseProfileForm, type PasswordChangeInput } from "./forms";
import { profileMessages } from "./messages";
import { changePassword, getProfile, updateProfile } from "./profile.server";
import { currentSessionId, endUserSession, listUserSessions } from "./sessions.server";

const OLD_PASSWORD = "Alte-Druckerei-2024";
const NEW_PASSWORD = "Neue Druckplatte 77";
const WINDOWS_CHROME =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const IPHONE_SAFARI =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";

let data: Awaited<ReturnType<typeof seedDemo>>;
let customer: ReturnType<typeof demoUser>;
let otherCustomer: ReturnType<typeof demoUser>;

const db = () => getDb(env);

beforeAll(async () => {
  data = await seedDemo();
  customer = demoUser(data, "kunde@example.com");
  otherCustomer = demoUser(data, "kunde2@example.com");
});

/** Signs the user in with a browser of this User-Agent and returns the token, a request carrying its cookie, and the session id. */
async function signIn(userId: string, userAgent: string | null, now = Date.now()) {
  const token = generateSessionToken();
  await createSession(db(), token, userId, now, { userAgent });
  const request = new Request("http://127.0.0.1/profil", { headers: { Cookie: `${SESSION_COOKIE}=${token}` } });
  return { token, request, sessionId: currentSessionId(request)! };
}

async function sessionIdsOf(userId: string) {
  return (await db().select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, userId))).map((row) => row.id).sort();
}

/** Returns a client hash of its own for each call, so that rate limits of one test do not reach another. */
function clientHash(): string {
  return clientHashOf(new Request("http://127.0.0.1/profil", { headers: { "CF-Connecting-IP": `192.0.2.${Math.floor(Math.random() * 250)}:${crypto.randomUUID()}` } }));
}

function passwordInput(form: Record<string, string>): PasswordChangeInput {
  const parsed = parsePasswordForm(form);
  if (!parsed.ok) throw new Error(`password form invalid: ${JSON.stringify(parsed.fieldErrors)}`);
  return parsed.value;
}

describe("profile form", () => {
  it("trims name and phone and leaves an empty phone null", () => {
    expect(parseProfileForm({ name: "  Jana Beispiel ", phone: "  " })).toEqual({ ok: true, value: { name: "Jana Beispiel", phone: null } });
    expect(parseProfileForm({ name: "Jana", phone: "+49 (0)40 555/123-0" })).toEqual({
      ok: true,
      value: { name: "Jana", phone: "+49 (0)40 555/123-0" },
    });
  });

  it("rejects a missing name, long values and letters in the phone", () => {
    const empty = parseProfileForm({ name: " ", phone: "" });
    expect(empty.ok).toBe(false);
    if (!empty.ok) expect(empty.fieldErrors.name).toBe(profileMessages.nameMissing);

    const long = parseProfileForm({ name: "x".repeat(201), phone: "1".repeat(51) });
    expect(long.ok).toBe(false);
    if (!long.ok) {
      expect(long.fieldErrors.name).toBe(profileMessages.nameTooLong(200));
      expect(long.fieldErrors.phone).toBe(profileMessages.phoneTooLong(50));
    }

    const letters = parseProfileForm({ name: "Jana", phone: "0800 DRUCKEN" });
    expect(letters.ok).toBe(false);
    if (!letters.ok) expect(letters.fieldErrors.phone).toBe(profileMessages.phoneInvalid);
  });
});

describe("updateProfile", () => {
  it("stores name and phone of the own account only", async () => {
    await updateProfile(db(), customer, { name: "Jana Beispiel-Neu", phone: "040 555 999" });

    const own = await getProfile(db(), customer.id);
    expect(own?.name).toBe("Jana Beispiel-Neu");
    expect(own?.phone).toBe("040 555 999");
    const other = await getProfile(db(), otherCustomer.id);
    expect(other?.name).toBe("Ole Nordmann");

    await updateProfile(db(), customer, { name: "Jana Beispiel", phone: null });
    expect((await getProfile(db(), customer.id))?.phone).toBeNull();
  });
});

describe("password form", () => {
  it("requires the current password and two equal new ones", () => {
    const missing = parsePasswordForm({ currentPassword: "", newPassword: "", newPasswordRepeat: "" });
    expect(missing.ok).toBe(false);
    if (!missing.ok) {
      expect(missing.fieldErrors.currentPassword).toBe(profileMessages.currentPasswordMissing);
      expect(missing.fieldErrors.newPassword).toBe(profileMessages.newPasswordMissing);
    }

    const mismatch = parsePasswordForm({ currentPassword: "a", newPassword: NEW_PASSWORD, newPasswordRepeat: `${NEW_PASSWORD} ` });
    expect(mismatch.ok).toBe(false);
    if (!mismatch.ok) expect(mismatch.fieldErrors.newPasswordRepeat).toBe(accountMessages.passwordMismatch);
  });
});

describe("changePassword", () => {
  beforeEach(async () => {
    await db().update(users).set({ passwordHash: await hashPassword(OLD_PASSWORD) }).where(eq(users.id, customer.id));
    await db().delete(sessions).where(eq(sessions.userId, customer.id));
  });

  it("rejects a wrong current password and changes nothing", async () => {
    const current = await signIn(customer.id, WINDOWS_CHROME);
    const other = await signIn(customer.id, IPHONE_SAFARI);
    const hashBefore = (await db().select().from(users).where(eq(users.id, customer.id)).get())?.passwordHash;

    const result = await changePassword(
      env,
      db(),
      customer,
      current.sessionId,
      passwordInput({ currentPassword: "falsches-passwort", newPassword: NEW_PASSWORD, newPasswordRepeat: NEW_PASSWORD }),
      clientHash(),
    );

    expect(result).toEqual({ ok: false, status: 400, fieldErrors: { currentPassword: profileMessages.currentPasswordWrong } });
    expect((await db().select().from(users).where(eq(users.id, customer.id)).get())?.passwordHash).toBe(hashBefore);
    expect(await sessionIdsOf(customer.id)).toEqual([current.sessionId, other.sessionId].sort());
  });

  it("rejects a password the rules forbid", async () => {
    const current = await signIn(customer.id, WINDOWS_CHROME);
    const cases = [
      ["kurz", accountMessages.passwordTooShort(10)],
      ["password123", accountMessages.passwordCommon],
      [OLD_PASSWORD, profileMessages.newPasswordSameAsCurrent],
    ] as const;

    for (const [newPassword, message] of cases) {
      const result = await changePassword(
        env,
        db(),
        customer,
        current.sessionId,
        passwordInput({ currentPassword: OLD_PASSWORD, newPassword, newPasswordRepeat: newPassword }),
        clientHash(),
      );
      expect(result, newPassword).toEqual({ ok: false, status: 400, fieldErrors: { newPassword: message } });
    }
    const stored = await db().select().from(users).where(eq(users.id, customer.id)).get();
    expect(await verifyPassword(stored!.passwordHash, OLD_PASSWORD)).toBe(true);
  });

  it("sets the password, ends other sessions and keeps the current one", async () => {
    const current = await signIn(customer.id, WINDOWS_CHROME);
    const phone = await signIn(customer.id, IPHONE_SAFARI);
    const tablet = await signIn(customer.id, null);
    const foreign = await signIn(otherCustomer.id, WINDOWS_CHROME);

    const result = await changePassword(
      env,
      db(),
      customer,
      current.sessionId,
      passwordInput({ currentPassword: OLD_PASSWORD, newPassword: NEW_PASSWORD, newPasswordRepeat: NEW_PASSWORD }),
      clientHash(),
    );

    expect(result).toEqual({ ok: true, sessionsEnded: 2 });
    const stored = await db().select().from(users).where(eq(users.id, customer.id)).get();
    expect(await verifyPassword(stored!.passwordHash, NEW_PASSWORD)).toBe(true);
    expect(await verifyPassword(stored!.passwordHash, OLD_PASSWORD)).toBe(false);

    expect(await sessionIdsOf(customer.id)).toEqual([current.sessionId]);
    expect(await validateSessionToken(db(), current.token)).not.toBeNull();
    expect(await validateSessionToken(db(), phone.token)).toBeNull();
    expect(await validateSessionToken(db(), tablet.token)).toBeNull();
    expect(await validateSessionToken(db(), foreign.token)).not.toBeNull();
  });
});

describe("changePassword rate limit", () => {
  it("counts wrong current passwords as failed logins and then waits", async () => {
    await db().update(users).set({ passwordHash: await hashPassword(OLD_PASSWORD) }).where(eq(users.id, otherCustomer.id));
    const current = await signIn(otherCustomer.id, WINDOWS_CHROME);
    const client = clientHash();
    const wrong = passwordInput({ currentPassword: "falsches-passwort", newPassword: NEW_PASSWORD, newPasswordRepeat: NEW_PASSWORD });
    const now = Date.now();

    for (let attempt = 1; attempt < RATE_LIMITS.loginEmail.limit; attempt += 1) {
      const result = await changePassword(env, db(), otherCustomer, current.sessionId, wrong, client, now);
      expect(result, `attempt ${attempt}`).toMatchObject({ ok: false, status: 400 });
    }
    const limited = await changePassword(env, db(), otherCustomer, current.sessionId, wrong, client, now);
    expect(limited).toEqual({ ok: false, status: 429, fieldErrors: { currentPassword: accountMessages.tooManyAttempts(15) } });

    // While limited, even the right password is not checked.
    const right = passwordInput({ currentPassword: OLD_PASSWORD, newPassword: NEW_PASSWORD, newPasswordRepeat: NEW_PASSWORD });
    expect(await changePassword(env, db(), otherCustomer, current.sessionId, right, client, now)).toMatchObject({ ok: false, status: 429 });
    const stored = await db().select().from(users).where(eq(users.id, otherCustomer.id)).get();
    expect(await verifyPassword(stored!.passwordHash, OLD_PASSWORD)).toBe(true);
  });
});

describe("session list", () => {
  beforeEach(async () => {
    await db().delete(sessions).where(eq(sessions.userId, customer.id));
  });

  it("lists the user's live sessions with device and marks the current one", async () => {
    const now = Date.now();
    const current = await signIn(customer.id, WINDOWS_CHROME, now - 60_000);
    const phone = await signIn(customer.id, IPHONE_SAFARI, now - 3_600_000);
    const unknown = await signIn(customer.id, null, now - 7_200_000);
    await signIn(otherCustomer.id, WINDOWS_CHROME, now);
    const expired = await signIn(customer.id, WINDOWS_CHROME, now - 3_600_000);
    await db().update(sessions).set({ expiresAt: now - 1 }).where(eq(sessions.id, expired.sessionId));

    const list = await listUserSessions(db(), customer.id, current.sessionId, now);

    expect(list.map((entry) => entry.id)).toEqual([current.sessionId, phone.sessionId, unknown.sessionId]);
    expect(list.map((entry) => entry.device)).toEqual(["Chrome unter Windows", "Safari unter iOS", "Unbekanntes Gerät"]);
    expect(list.map((entry) => entry.current)).toEqual([true, false, false]);
    expect(list[1].createdAt).toBe(now - 3_600_000);
    expect(list[1].lastUsedAt).toBe(now - 3_600_000);
  });

  it("ends another session of the user", async () => {
    const current = await signIn(customer.id, WINDOWS_CHROME);
    const phone = await signIn(customer.id, IPHONE_SAFARI);

    const result = await endUserSession(db(), customer.id, phone.sessionId, current.sessionId);

    expect(result).toEqual({ ok: true, device: "Safari unter iOS" });
    expect(await validateSessionToken(db(), phone.token)).toBeNull();
    expect(await sessionIdsOf(customer.id)).toEqual([current.sessionId]);
  });

  it("gives not-found for another user's session and keeps it", async () => {
    const current = await signIn(customer.id, WINDOWS_CHROME);
    const foreign = await signIn(otherCustomer.id, IPHONE_SAFARI);

    const result = await endUserSession(db(), customer.id, foreign.sessionId, current.sessionId);

    expect(result).toEqual({ ok: false, status: 404, reason: "not-found" });
    expect(await validateSessionToken(db(), foreign.token)).not.toBeNull();
  });

  it("gives not-found for an unknown session id", async () => {
    const current = await signIn(customer.id, WINDOWS_CHROME);
    expect(await endUserSession(db(), customer.id, "0".repeat(64), current.sessionId)).toEqual({ ok: false, status: 404, reason: "not-found" });
  });

  it("refuses to end the current session", async () => {
    const current = await signIn(customer.id, WINDOWS_CHROME);

    expect(await endUserSession(db(), customer.id, current.sessionId, current.sessionId)).toEqual({
      ok: false,
      status: 400,
      reason: "current",
    });
    expect(await validateSessionToken(db(), current.token)).not.toBeNull();
  });
});
