import { env } from "cloudflare:workers";
import { desc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";

import { getDb } from "~/db/client.server";
import { loginTokens, outboxEmails, sessions, users } from "~/db/schema";
import { addContact, seedDemo, sessionCookieFor, uniqueEmail } from "../../tests/support/fixtures";

import { accountMessages } from "./account-messages";
import { logIn } from "./login.server";
import {
  hashLoginToken,
  inspectLoginToken,
  issueLoginToken,
  LOGIN_TOKEN_LIFETIME_MS,
  redeemLoginToken,
  requestLoginLink,
  submitLinkForm,
} from "./login-tokens.server";
import { hashPassword, verifyPassword } from "./password.server";
import { RATE_LIMITS } from "./rate-limit.server";
import { SESSION_COOKIE, validateSessionToken } from "./session.server";

const MINUTE_MS = 60 * 1000;
const OLD_PASSWORD = "Altes-Passwort-2024";
const NEW_PASSWORD = "ein neues langes Passwort";
let oldPasswordHash: string;
let companyId: string;
let shopName: string;

beforeAll(async () => {
  const data = await seedDemo();
  companyId = data.companies[0].id!;
  shopName = data.shop.name;
  oldPasswordHash = await hashPassword(OLD_PASSWORD);
});

function newClient(): string {
  return crypto.randomUUID().replaceAll("-", "");
}

/** Registers a contact, with the test password unless `withPassword` is false, and returns its id. */
function addUser(email: string, options: { withPassword?: boolean; active?: boolean } = {}) {
  return addContact(companyId, email, options.withPassword === false ? null : oldPasswordHash, options.active ?? true);
}

async function emailsTo(address: string) {
  return getDb(env).select().from(outboxEmails).where(eq(outboxEmails.toAddress, address)).orderBy(desc(outboxEmails.createdAt));
}

/** Returns the token from the link in an outbox e-mail's text. */
function tokenFromEmail(text: string): string {
  const match = /\/passwort\/([a-z2-7]+)/.exec(text);
  if (!match) throw new Error(`no link in e-mail: ${text}`);
  return match[1];
}

async function tokenRows(userId: string) {
  return getDb(env).select().from(loginTokens).where(eq(loginTokens.userId, userId)).orderBy(loginTokens.createdAt);
}

async function passwordHashOf(userId: string) {
  return (await getDb(env).select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, userId)).get())?.passwordHash ?? null;
}

const redeemOptions = { userAgent: "Vitest", client: "test" };

describe("requestLoginLink", () => {
  it("stores only the token's hash", async () => {
    const email = uniqueEmail("hash");
    const userId = await addUser(email);

    const issued = await issueLoginToken(getDb(env), userId, "password_reset");

    const [row] = await tokenRows(userId);
    expect(row.tokenHash).toBe(hashLoginToken(issued.token));
    expect(row.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(Object.values(row)).not.toContain(issued.token);
    expect(row.expiresAt - row.createdAt).toBe(60 * MINUTE_MS);
  });

  it("e-mails a reset link to a user with a password", async () => {
    const email = uniqueEmail("reset");
    const userId = await addUser(email);

    const sent = await requestLoginLink(env, getDb(env), email);

    expect(sent).toMatchObject({ userId, purpose: "password_reset" });
    const [mail] = await emailsTo(email);
    expect(mail.kind).toBe("password-reset");
    expect(mail.idempotencyKey).toBe(`login-token:${sent!.tokenId}`);
    expect(mail.subject).toBe(`Neues Passwort für das Kundenportal von ${shopName}`);
    expect(mail.textBody).toContain("Guten Tag Test Kontakt,");
    expect(mail.textBody).toContain(`${env.PORTAL_URL}/passwort/`);
    expect(mail.textBody).toContain("Der Link gilt 60 Minuten");
    expect(mail.textBody).toContain(shopName);
    const token = tokenFromEmail(mail.textBody);
    expect(mail.htmlBody).toContain(`href="${env.PORTAL_URL}/passwort/${token}"`);
    expect((await tokenRows(userId))[0].tokenHash).toBe(hashLoginToken(token));
  });

  it("e-mails a first-login link to a user without a password", async () => {
    const email = uniqueEmail("erstmals");
    const userId = await addUser(email, { withPassword: false });

    const sent = await requestLoginLink(env, getDb(env), ` ${email.toUpperCase()} `);

    expect(sent).toMatchObject({ userId, purpose: "first_login" });
    const [mail] = await emailsTo(email);
    expect(mail.kind).toBe("first-login");
    expect(mail.subject).toBe(`Ihr Zugang zum Kundenportal von ${shopName}`);
  });

  it("finds an internationalised address", async () => {
    const userId = await addUser("kontakt@xn--bcher-kva.example");

    const sent = await requestLoginLink(env, getDb(env), "Kontakt@Bücher.example");
    expect(sent?.userId).toBe(userId);
  });

  it("voids the older unused link", async () => {
    const email = uniqueEmail("neuer");
    const userId = await addUser(email);

    await requestLoginLink(env, getDb(env), email);
    const [older] = await emailsTo(email);
    await requestLoginLink(env, getDb(env), email, Date.now() + 1);
    const [newer] = await emailsTo(email);

    expect(await inspectLoginToken(getDb(env), tokenFromEmail(older.textBody))).toMatchObject({ state: "voided" });
    expect(await inspectLoginToken(getDb(env), tokenFromEmail(newer.textBody))).toMatchObject({ state: "valid", userId });
    expect(await redeemLoginToken(env, getDb(env), tokenFromEmail(older.textBody), NEW_PASSWORD, redeemOptions)).toEqual({
      ok: false,
      state: "voided",
    });
    expect(await passwordHashOf(userId)).toBe(oldPasswordHash);
  });
});

describe("submitLinkForm", () => {
  it("answers an unknown address the same and sends nothing", async () => {
    const email = uniqueEmail("unbekannt");
    const emailsBefore = (await getDb(env).select().from(outboxEmails)).length;
    const tokensBefore = (await getDb(env).select().from(loginTokens)).length;

    const result = await submitLinkForm(env, getDb(env), { email, clientHash: newClient() });

    expect(result).toEqual({ status: 200, message: accountMessages.linkRequested });
    expect(await getDb(env).select().from(outboxEmails)).toHaveLength(emailsBefore);
    expect(await getDb(env).select().from(loginTokens)).toHaveLength(tokensBefore);
  });

  it("answers a registered address the same and sends the link", async () => {
    const email = uniqueEmail("bekannt");
    await addUser(email);

    const result = await submitLinkForm(env, getDb(env), { email, clientHash: newClient() });

    expect(result).toEqual({ status: 200, message: accountMessages.linkRequested });
    expect(await emailsTo(email)).toHaveLength(1);
  });

  it("sends a deactivated user nothing", async () => {
    const email = uniqueEmail("deaktiviert");
    const userId = await addUser(email, { active: false });

    const result = await submitLinkForm(env, getDb(env), { email, clientHash: newClient() });

    expect(result).toEqual({ status: 200, message: accountMessages.linkRequested });
    expect(await emailsTo(email)).toHaveLength(0);
    expect(await tokenRows(userId)).toHaveLength(0);
  });

  it("rejects an invalid address", async () => {
    const result = await submitLinkForm(env, getDb(env), { email: "name@", clientHash: newClient() });
    expect(result).toEqual({ status: 400, message: accountMessages.emailInvalid });
  });

  it("limits requests per address", async () => {
    const email = uniqueEmail("oft");
    await addUser(email);
    const start = Date.now();
    const { limit } = RATE_LIMITS.linkEmail;

    for (let request = 0; request < limit; request += 1) {
      const result = await submitLinkForm(env, getDb(env), { email, clientHash: newClient() }, start + request * MINUTE_MS);
      expect(result.status, `request ${request + 1}`).toBe(200);
    }
    const limited = await submitLinkForm(env, getDb(env), { email, clientHash: newClient() }, start + 12 * MINUTE_MS);

    // The first request was at minute 0, so the hour ends 48 minutes after minute 12.
    expect(limited).toEqual({ status: 429, message: accountMessages.tooManyRequests(48), retryAfterSeconds: 48 * 60 });
    expect(limited.message).toContain("Zu viele Anfragen in kurzer Zeit. Bitte warten Sie 48 Minuten");
    expect(await emailsTo(email)).toHaveLength(limit);

    const nextHour = await submitLinkForm(env, getDb(env), { email, clientHash: newClient() }, start + 60 * MINUTE_MS + 1);
    expect(nextHour.status).toBe(200);
  });

  it("limits requests per client across addresses", async () => {
    const client = newClient();
    const start = Date.now();
    const { limit } = RATE_LIMITS.linkClient;

    for (let request = 0; request < limit; request += 1) {
      const result = await submitLinkForm(env, getDb(env), { email: uniqueEmail("viele"), clientHash: client }, start + request);
      expect(result.status, `request ${request + 1}`).toBe(200);
    }
    const limited = await submitLinkForm(env, getDb(env), { email: uniqueEmail("viele"), clientHash: client }, start + limit);
    expect(limited).toMatchObject({ status: 429, retryAfterSeconds: 60 * 60 });
  });
});

describe("redeemLoginToken", () => {
  it("sets the password, ends all sessions and signs the user in", async () => {
    const email = uniqueEmail("einloesen");
    const userId = await addUser(email);
    const oldCookies = [await sessionCookieFor(userId), await sessionCookieFor(userId)];
    const { token, tokenId } = await issueLoginToken(getDb(env), userId, "password_reset");

    const result = await redeemLoginToken(env, getDb(env), token, NEW_PASSWORD, redeemOptions);

    expect(result).toMatchObject({ ok: true, userId, purpose: "password_reset" });
    if (!result.ok) return;
    expect(await verifyPassword(await passwordHashOf(userId), NEW_PASSWORD)).toBe(true);
    expect(await verifyPassword(await passwordHashOf(userId), OLD_PASSWORD)).toBe(false);
    for (const cookie of oldCookies) {
      expect(await validateSessionToken(getDb(env), cookie.slice(SESSION_COOKIE.length + 1))).toBeNull();
    }
    const remaining = await getDb(env).select().from(sessions).where(eq(sessions.userId, userId));
    expect(remaining).toHaveLength(1);
    expect(remaining[0].persistent).toBe(false);
    expect(await validateSessionToken(getDb(env), result.sessionToken)).toMatchObject({ user: { id: userId } });
    const [row] = await tokenRows(userId);
    expect(row.id).toBe(tokenId);
    expect(row.usedAt).not.toBeNull();
  });

  it("works only once", async () => {
    const email = uniqueEmail("einmal");
    const userId = await addUser(email);
    const { token } = await issueLoginToken(getDb(env), userId, "password_reset");
    expect((await redeemLoginToken(env, getDb(env), token, NEW_PASSWORD, redeemOptions)).ok).toBe(true);
    const hashAfterFirstUse = await passwordHashOf(userId);
    const sessionsAfterFirstUse = await getDb(env).select().from(sessions).where(eq(sessions.userId, userId));

    const second = await redeemLoginToken(env, getDb(env), token, "ein ganz anderes Passwort", redeemOptions);

    expect(second).toEqual({ ok: false, state: "used" });
    expect(await inspectLoginToken(getDb(env), token)).toMatchObject({ state: "used" });
    expect(await passwordHashOf(userId)).toBe(hashAfterFirstUse);
    expect(await getDb(env).select().from(sessions).where(eq(sessions.userId, userId))).toEqual(sessionsAfterFirstUse);
  });

  it("rejects an expired link and changes nothing", async () => {
    const email = uniqueEmail("abgelaufen");
    const userId = await addUser(email);
    const cookie = await sessionCookieFor(userId);
    const issuedAt = Date.now();
    const { token } = await issueLoginToken(getDb(env), userId, "password_reset", issuedAt);

    expect(await inspectLoginToken(getDb(env), token, issuedAt + LOGIN_TOKEN_LIFETIME_MS - 1)).toMatchObject({ state: "valid" });
    expect(await inspectLoginToken(getDb(env), token, issuedAt + LOGIN_TOKEN_LIFETIME_MS)).toMatchObject({ state: "expired" });
    const result = await redeemLoginToken(env, getDb(env), token, NEW_PASSWORD, redeemOptions, issuedAt + 61 * MINUTE_MS);

    expect(result).toEqual({ ok: false, state: "expired" });
    expect(await passwordHashOf(userId)).toBe(oldPasswordHash);
    expect(await validateSessionToken(getDb(env), cookie.slice(SESSION_COOKIE.length + 1))).not.toBeNull();
    expect((await tokenRows(userId))[0].usedAt).toBeNull();
  });

  it("rejects an unknown token", async () => {
    expect(await inspectLoginToken(getDb(env), "abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrst")).toEqual({
      state: "unknown",
      tokenId: null,
    });
    expect(await inspectLoginToken(getDb(env), "x".repeat(500))).toEqual({ state: "unknown", tokenId: null });
    expect(await redeemLoginToken(env, getDb(env), "unbekannt", NEW_PASSWORD, redeemOptions)).toEqual({ ok: false, state: "unknown" });
  });

  it("rejects the link of a deactivated user", async () => {
    const email = uniqueEmail("gesperrt");
    const userId = await addUser(email);
    const { token } = await issueLoginToken(getDb(env), userId, "password_reset");
    await getDb(env).update(users).set({ active: false }).where(eq(users.id, userId));

    expect(await redeemLoginToken(env, getDb(env), token, NEW_PASSWORD, redeemOptions)).toEqual({ ok: false, state: "unknown" });
    expect(await passwordHashOf(userId)).toBe(oldPasswordHash);
  });

  it("voids the user's other unused links", async () => {
    const email = uniqueEmail("andere");
    const userId = await addUser(email);
    const used = await issueLoginToken(getDb(env), userId, "password_reset");
    // A second link stored without voiding the first, as when two requests overlap.
    const otherId = crypto.randomUUID();
    await getDb(env)
      .insert(loginTokens)
      .values({
        id: otherId,
        userId,
        tokenHash: hashLoginToken("anderer-link"),
        purpose: "password_reset",
        createdAt: Date.now(),
        expiresAt: Date.now() + LOGIN_TOKEN_LIFETIME_MS,
      });

    expect((await redeemLoginToken(env, getDb(env), used.token, NEW_PASSWORD, redeemOptions)).ok).toBe(true);

    expect(await inspectLoginToken(getDb(env), "anderer-link")).toEqual({ state: "voided", tokenId: otherId });
  });

  it("completes the first login so that the account can log in", async () => {
    const email = uniqueEmail("erste-anmeldung");
    const userId = await addUser(email, { withPassword: false });
    const loginAttempt = { email, password: NEW_PASSWORD, remember: false, clientHash: newClient(), userAgent: null };
    expect(await logIn(env, getDb(env), loginAttempt)).toMatchObject({ ok: false, status: 400 });

    await submitLinkForm(env, getDb(env), { email, clientHash: newClient() });
    const [mail] = await emailsTo(email);
    expect(mail.kind).toBe("first-login");
    const result = await redeemLoginToken(env, getDb(env), tokenFromEmail(mail.textBody), NEW_PASSWORD, redeemOptions);

    expect(result).toMatchObject({ ok: true, userId, purpose: "first_login" });
    expect(await logIn(env, getDb(env), loginAttempt)).toMatchObject({ ok: true, userId });
  });

  it("resets the address's login failures", async () => {
    const email = uniqueEmail("entsperrt");
    const userId = await addUser(email);
    const start = Date.now();
    for (let failure = 1; failure <= RATE_LIMITS.loginEmail.limit; failure += 1) {
      await logIn(env, getDb(env), { email, password: "falsch-falsch", remember: false, clientHash: newClient(), userAgent: null }, start + failure);
    }
    const loginAttempt = { email, password: NEW_PASSWORD, remember: false, clientHash: newClient(), userAgent: null };
    expect(await logIn(env, getDb(env), loginAttempt, start + 10)).toMatchObject({ status: 429 });

    const { token } = await issueLoginToken(getDb(env), userId, "password_reset", start + 20);
    expect((await redeemLoginToken(env, getDb(env), token, NEW_PASSWORD, redeemOptions, start + 30)).ok).toBe(true);

    expect(await logIn(env, getDb(env), loginAttempt, start + 40)).toMatchObject({ ok: true });
  });
});
