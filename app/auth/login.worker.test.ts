import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";

import { getDb } from "~/db/client.server";
import { outboxEmails, sessions } from "~/db/schema";
import { addContact, seedDemo, uniqueEmail } from "../../tests/support/fixtures";

import { accountMessages } from "./account-messages";
import { logIn, type LoginAttempt } from "./login.server";
import { submitLinkForm } from "./login-tokens.server";
import { hashPassword } from "./password.server";
import { RATE_LIMITS } from "./rate-limit.server";
import { LAST_USED_INTERVAL_MS, serializeSessionCookie, validateSessionToken } from "./session.server";

const MINUTE_MS = 60 * 1000;
const DAY_MS = 24 * 60 * MINUTE_MS;
const PASSWORD = "Lindenblatt-Test-Passwort";
let passwordHash: string;
let companyId: string;

beforeAll(async () => {
  const data = await seedDemo();
  companyId = data.companies[0].id!;
  passwordHash = await hashPassword(PASSWORD);
});

/** Registers a contact, with the test password unless `withPassword` is false, and returns its id. */
function addUser(email: string, options: { withPassword?: boolean; active?: boolean } = {}) {
  return addContact(companyId, email, options.withPassword === false ? null : passwordHash, options.active ?? true);
}

/** Returns a new client hash, so that one test's failures do not limit another test's client. */
function newClient(): string {
  return crypto.randomUUID().replaceAll("-", "");
}

function attempt(email: string, overrides: Partial<LoginAttempt> = {}): LoginAttempt {
  return { email, password: PASSWORD, remember: false, clientHash: newClient(), userAgent: "Vitest", ...overrides };
}

describe("logIn", () => {
  it("signs in with the right password", async () => {
    const email = uniqueEmail("anmeldung");
    const userId = await addUser(email);

    const result = await logIn(env, getDb(env), attempt(email, { userAgent: "Mozilla/5.0 Testbrowser" }));

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.userId).toBe(userId);
    const validated = await validateSessionToken(getDb(env), result.sessionToken);
    expect(validated?.user.id).toBe(userId);
    const [session] = await getDb(env).select().from(sessions).where(eq(sessions.userId, userId));
    expect(session.userAgent).toBe("Mozilla/5.0 Testbrowser");
    expect(session.persistent).toBe(false);
  });

  it("compares addresses trimmed and case-insensitively", async () => {
    const email = uniqueEmail("schreibweise");
    await addUser(email);

    const result = await logIn(env, getDb(env), attempt(`  ${email.toUpperCase()}\t`));
    expect(result.ok).toBe(true);
  });

  it("finds an internationalised domain typed in Unicode or punycode", async () => {
    const userId = await addUser("kunde@xn--bcher-kva.example");

    for (const typed of ["kunde@bücher.example", " Kunde@BÜCHER.example ", "kunde@xn--bcher-kva.example"]) {
      const result = await logIn(env, getDb(env), attempt(typed));
      expect(result, typed).toMatchObject({ ok: true, userId });
    }
  });

  it("finds an address stored with a Unicode domain", async () => {
    const userId = await addUser("info@straße-druck.example");

    const result = await logIn(env, getDb(env), attempt("Info@Straße-Druck.example"));
    expect(result).toMatchObject({ ok: true, userId });
  });

  it("rejects unknown address, wrong password, deactivated and password-less users alike", async () => {
    const wrongPassword = uniqueEmail("falsch");
    await addUser(wrongPassword);
    const inactive = uniqueEmail("inaktiv");
    await addUser(inactive, { active: false });
    const withoutPassword = uniqueEmail("ohne");
    await addUser(withoutPassword, { withPassword: false });

    const results = [
      await logIn(env, getDb(env), attempt(uniqueEmail("unbekannt"))),
      await logIn(env, getDb(env), attempt(wrongPassword, { password: "Falsches-Passwort-1" })),
      await logIn(env, getDb(env), attempt(inactive)),
      await logIn(env, getDb(env), attempt(withoutPassword, { password: "" })),
    ];
    for (const result of results) {
      expect(result).toEqual({ ok: false, status: 400, message: accountMessages.loginFailed, retryAfterSeconds: null });
    }
  });

  it("rejects an invalid address", async () => {
    const result = await logIn(env, getDb(env), attempt("keine-adresse"));
    expect(result).toMatchObject({ ok: false, status: 400, message: accountMessages.emailInvalid });
  });
});

describe("login rate limit", () => {
  it("limits failures per address, also for the right password", async () => {
    const email = uniqueEmail("gesperrt");
    await addUser(email);
    const start = Date.now();
    const { limit } = RATE_LIMITS.loginEmail;

    // Each failure comes from another client, so only the address's count can limit.
    for (let failure = 1; failure < limit; failure += 1) {
      const result = await logIn(env, getDb(env), attempt(email, { password: "Falsches-Passwort-1" }), start + failure * MINUTE_MS);
      expect(result, `failure ${failure}`).toMatchObject({ ok: false, status: 400 });
    }
    const last = await logIn(env, getDb(env), attempt(email, { password: "Falsches-Passwort-1" }), start + limit * MINUTE_MS);
    expect(last).toMatchObject({ ok: false, status: 429 });

    // The first failure was at minute 1; the window of 15 minutes ends at minute 16.
    const withRightPassword = await logIn(env, getDb(env), attempt(email), start + 8 * MINUTE_MS);
    expect(withRightPassword).toEqual({
      ok: false,
      status: 429,
      message: accountMessages.tooManyLoginAttempts(8),
      retryAfterSeconds: 8 * 60,
    });
    expect(accountMessages.tooManyLoginAttempts(8)).toContain("Bitte warten Sie 8 Minuten");

    const afterWindow = await logIn(env, getDb(env), attempt(email), start + 16 * MINUTE_MS + 1);
    expect(afterWindow.ok).toBe(true);
  });

  it("resets the address's failures after a successful login", async () => {
    const email = uniqueEmail("zurueckgesetzt");
    await addUser(email);
    const start = Date.now();
    const { limit } = RATE_LIMITS.loginEmail;

    for (let failure = 1; failure < limit; failure += 1) {
      await logIn(env, getDb(env), attempt(email, { password: "Falsches-Passwort-1" }), start + failure);
    }
    expect((await logIn(env, getDb(env), attempt(email), start + limit)).ok).toBe(true);

    for (let failure = 1; failure < limit; failure += 1) {
      const result = await logIn(env, getDb(env), attempt(email, { password: "Falsches-Passwort-1" }), start + limit + failure);
      expect(result, `failure ${failure} after the reset`).toMatchObject({ ok: false, status: 400 });
    }
  });

  it("limits failures per client across addresses", async () => {
    const client = newClient();
    const start = Date.now();
    const { limit } = RATE_LIMITS.loginClient;

    for (let failure = 1; failure < limit; failure += 1) {
      const result = await logIn(env, getDb(env), attempt(uniqueEmail("streuung"), { clientHash: client }), start + failure);
      expect(result, `failure ${failure}`).toMatchObject({ ok: false, status: 400 });
    }
    const last = await logIn(env, getDb(env), attempt(uniqueEmail("streuung"), { clientHash: client }), start + limit);
    expect(last).toMatchObject({ ok: false, status: 429, retryAfterSeconds: 15 * 60 });
    // No single address is limited, so a new password would not help.
    expect(last).toMatchObject({ message: accountMessages.tooManyLoginsFromNetwork(15) });

    const email = uniqueEmail("richtig");
    await addUser(email);
    expect(await logIn(env, getDb(env), attempt(email, { clientHash: client }), start + limit + 1)).toMatchObject({ ok: false, status: 429 });
    expect((await logIn(env, getDb(env), attempt(email), start + limit + 1)).ok).toBe(true);
  });

  it("leaves the link form open while the login is limited", async () => {
    const email = uniqueEmail("vergessen");
    await addUser(email);
    const client = newClient();
    const start = Date.now();

    for (let failure = 1; failure <= RATE_LIMITS.loginEmail.limit; failure += 1) {
      await logIn(env, getDb(env), attempt(email, { password: "Falsches-Passwort-1", clientHash: client }), start + failure);
    }
    expect(await logIn(env, getDb(env), attempt(email, { clientHash: client }), start + 10)).toMatchObject({ status: 429 });

    const linkResult = await submitLinkForm(env, getDb(env), { email, clientHash: client }, start + 20);
    expect(linkResult).toEqual({ status: 200, message: accountMessages.linkRequested });
    const sent = await getDb(env).select().from(outboxEmails).where(eq(outboxEmails.toAddress, email));
    expect(sent).toHaveLength(1);
    expect(sent[0].kind).toBe("password-reset");
  });
});

describe("session cookie", () => {
  const httpRequest = new Request("http://127.0.0.1:8787/anmelden");
  const httpsRequest = new Request("https://portal.example/anmelden");

  it("keeps a persistent session for 30 days", async () => {
    const email = uniqueEmail("bleiben");
    await addUser(email);
    const now = Date.now();

    const result = await logIn(env, getDb(env), attempt(email, { remember: true }), now);
    if (!result.ok) throw new Error(result.message);
    expect(result.cookieExpiresAt).toBe(now + 30 * DAY_MS);

    const cookie = serializeSessionCookie(httpsRequest, result.sessionToken, result.cookieExpiresAt);
    expect(cookie).toContain(`Expires=${new Date(now + 30 * DAY_MS).toUTCString()}`);
    expect(cookie).not.toContain("Max-Age");
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Lax");
    expect(cookie).toContain("Secure");
  });

  it("gives a browser session a cookie without expiry", async () => {
    const email = uniqueEmail("sitzung");
    await addUser(email);

    const result = await logIn(env, getDb(env), attempt(email, { remember: false }));
    if (!result.ok) throw new Error(result.message);
    expect(result.cookieExpiresAt).toBeNull();

    const cookie = serializeSessionCookie(httpRequest, result.sessionToken, result.cookieExpiresAt);
    expect(cookie).not.toContain("Expires");
    expect(cookie).not.toContain("Max-Age");
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Lax");
    expect(cookie).not.toContain("Secure");
  });

  it("ends a browser session after 12 hours without use", async () => {
    const email = uniqueEmail("leerlauf");
    await addUser(email);
    const now = Date.now();
    const result = await logIn(env, getDb(env), attempt(email), now);
    if (!result.ok) throw new Error(result.message);

    // A request after 11 hours moves the end to 12 hours after that request.
    const used = await validateSessionToken(getDb(env), result.sessionToken, now + 11 * 60 * MINUTE_MS);
    expect(used?.renewedExpiresAt).toBeNull();
    expect(await validateSessionToken(getDb(env), result.sessionToken, now + 22 * 60 * MINUTE_MS)).not.toBeNull();
    expect(await validateSessionToken(getDb(env), result.sessionToken, now + 34 * 60 * MINUTE_MS + 1)).toBeNull();
  });

  it("records the last use at most every 5 minutes", async () => {
    const email = uniqueEmail("zuletzt");
    const userId = await addUser(email);
    const now = Date.now();
    const result = await logIn(env, getDb(env), attempt(email, { remember: true }), now);
    if (!result.ok) throw new Error(result.message);
    const lastUsed = async () => (await getDb(env).select().from(sessions).where(eq(sessions.userId, userId)).get())?.lastUsedAt;

    expect(await lastUsed()).toBe(now);
    await validateSessionToken(getDb(env), result.sessionToken, now + MINUTE_MS);
    expect(await lastUsed()).toBe(now);
    await validateSessionToken(getDb(env), result.sessionToken, now + LAST_USED_INTERVAL_MS);
    expect(await lastUsed()).toBe(now + LAST_USED_INTERVAL_MS);
  });
});
