import { env } from "cloudflare:workers";
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";

import { hashPassword } from "~/auth/password.server";
import { RATE_LIMITS } from "~/auth/rate-limit.server";
import { getDb } from "~/db/client.server";
import { accessRequests, companies, loginTokens, outboxEmails, users } from "~/db/schema";
import { demoUser, seedDemo } from "../../tests/support/fixtures";
import { recordingQueue } from "../../tests/support/recording-queue";

import {
  acceptAccessRequest,
  consumeAccessRequestLimit,
  declineAccessRequest,
  listAccessRequests,
  submitAccessRequest,
} from "./access-requests.server";
import { parseAccessRequestForm, type AccessRequestInput } from "./forms";
import { accessRequestMessages } from "./messages";

let data: Awaited<ReturnType<typeof seedDemo>>;
let manager: ReturnType<typeof demoUser>;
let admin: ReturnType<typeof demoUser>;
let prepress: ReturnType<typeof demoUser>;
let customer: ReturnType<typeof demoUser>;
let verlagId: string;
let testEnv: Pick<Env, "DB" | "EMAIL_QUEUE" | "RateLimiter"> & { PORTAL_URL: string };

const db = () => getDb(env);

beforeAll(async () => {
  data = await seedDemo();
  manager = demoUser(data, "auftragsmanager@example.com");
  admin = demoUser(data, "admin@example.com");
  prepress = demoUser(data, "druckvorstufe@example.com");
  customer = demoUser(data, "kunde@example.com");
  verlagId = customer.companyId!;
  testEnv = { DB: env.DB, EMAIL_QUEUE: recordingQueue(), RateLimiter: env.RateLimiter, PORTAL_URL: "https://portal.example.com" };
});

function requestInput(overrides: Record<string, string> = {}): AccessRequestInput {
  const parsed = parseAccessRequestForm({
    name: "Mara Grafik",
    companyName: "Grafikbüro Süd",
    email: `mara-${crypto.randomUUID().slice(0, 8)}@grafik.example`,
    phone: "089 555 12",
    message: "Wir betreuen die Broschüren.",
    ...overrides,
  });
  if (!parsed.ok) throw new Error(`access request form invalid: ${JSON.stringify(parsed.fieldErrors)}`);
  return parsed.value;
}

async function emailsTo(address: string) {
  return db().select().from(outboxEmails).where(eq(outboxEmails.toAddress, address));
}

async function emailsAboutRequest(requestId: string) {
  const prefix = `access-request:${requestId}:`;
  // D1 rejects LIKE patterns longer than 50 characters, so the prefix is compared directly.
  return db()
    .select()
    .from(outboxEmails)
    .where(sql`substr(${outboxEmails.idempotencyKey}, 1, ${prefix.length}) = ${prefix}`);
}

async function loadRequest(requestId: string) {
  return db().select().from(accessRequests).where(eq(accessRequests.id, requestId)).get();
}

describe("access request form", () => {
  it("trims, lowercases the address and leaves empty optional fields null", () => {
    const parsed = parseAccessRequestForm({ name: " Mara ", companyName: " Süd ", email: "  Mara@Grafik.Example ", phone: "", message: " " });
    expect(parsed).toEqual({
      ok: true,
      value: { name: "Mara", companyName: "Süd", email: "mara@grafik.example", phone: null, message: null },
    });
  });

  it("accepts an internationalised domain in its ASCII form", () => {
    const parsed = parseAccessRequestForm({ name: "Mara", companyName: "Süd", email: "mara@bücher.example" });
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.value.email).toBe("mara@xn--bcher-kva.example");
  });

  it("rejects missing fields, a bad address and long texts", () => {
    const parsed = parseAccessRequestForm({ name: "", companyName: "", email: "kein-at-zeichen", message: "x".repeat(2001) });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.fieldErrors).toEqual({
      name: accessRequestMessages.nameMissing,
      companyName: accessRequestMessages.companyMissing,
      email: accessRequestMessages.emailInvalid,
      message: accessRequestMessages.messageTooLong(2000),
    });
  });
});

describe("submitAccessRequest", () => {
  it("stores an open request and e-mails the shop and the requester", async () => {
    const input = requestInput();
    const { requestId, created } = await submitAccessRequest(testEnv, db(), input);

    expect(created).toBe(true);
    const stored = await loadRequest(requestId);
    expect(stored).toMatchObject({ name: "Mara Grafik", companyName: "Grafikbüro Süd", email: input.email, state: "open", decidedAt: null });

    const shopEmails = (await emailsAboutRequest(requestId)).filter((email) => email.kind === "access-request-received");
    expect(shopEmails).toHaveLength(1);
    expect(shopEmails[0].toAddress).toBe(data.shop.email);
    expect(shopEmails[0].textBody).toContain(input.email);
    expect(shopEmails[0].textBody).toContain("https://portal.example.com/verwaltung/anfragen");

    const confirmations = await emailsTo(input.email);
    expect(confirmations).toHaveLength(1);
    expect(confirmations[0].kind).toBe("access-request-confirmation");
    expect(confirmations[0].textBody).toContain("Ihre Anfrage ist bei uns eingegangen");
    expect(confirmations[0].textBody).not.toContain("bereits einen Zugang");
  });

  it("updates the open request of the same address instead of adding one", async () => {
    const input = requestInput();
    const first = await submitAccessRequest(testEnv, db(), input);
    const second = await submitAccessRequest(testEnv, db(), { ...input, message: "Zweiter Versuch" });

    expect(second).toEqual({ requestId: first.requestId, created: false });
    const rows = await db().select().from(accessRequests).where(eq(accessRequests.email, input.email));
    expect(rows).toHaveLength(1);
    expect(rows[0].message).toBe("Zweiter Versuch");
    expect(await emailsTo(input.email)).toHaveLength(1);
    expect(await emailsAboutRequest(first.requestId)).toHaveLength(2);
  });

  it("stores two identical requests sent at once as one", async () => {
    const input = requestInput();
    const results = await Promise.all([submitAccessRequest(testEnv, db(), input), submitAccessRequest(testEnv, db(), input)]);

    expect(results[0].requestId).toBe(results[1].requestId);
    expect(await db().select().from(accessRequests).where(eq(accessRequests.email, input.email))).toHaveLength(1);
  });

  it("hints at the existing account only in the e-mail", async () => {
    const result = await submitAccessRequest(testEnv, db(), requestInput({ email: "KUNDE@example.com", name: "Jana Beispiel" }));

    expect(result.created).toBe(true);
    const confirmation = (await emailsTo("kunde@example.com")).find((email) => email.kind === "access-request-confirmation");
    expect(confirmation?.textBody).toContain("bereits einen Zugang");
    expect(confirmation?.textBody).toContain("https://portal.example.com/passwort-vergessen");
  });

  it("limits the requests of one client", async () => {
    const request = new Request("http://127.0.0.1/anfragen", { method: "POST", headers: { "CF-Connecting-IP": "192.0.2.45" } });
    const now = Date.now();
    for (let attempt = 0; attempt < RATE_LIMITS.accessRequestClient.limit; attempt += 1) {
      expect(await consumeAccessRequestLimit(testEnv, request, now)).toBeNull();
    }
    expect(await consumeAccessRequestLimit(testEnv, request, now)).toBe(60);

    const otherClient = new Request("http://127.0.0.1/anfragen", { method: "POST", headers: { "CF-Connecting-IP": "192.0.2.46" } });
    expect(await consumeAccessRequestLimit(testEnv, otherClient, now)).toBeNull();
  });
});

describe("acceptAccessRequest", () => {
  it("creates a new company and the contact and e-mails the first-login link", async () => {
    const input = requestInput({ companyName: "Neue Kunden AG" });
    const { requestId } = await submitAccessRequest(testEnv, db(), input);

    const result = await acceptAccessRequest(testEnv, db(), manager, requestId, { kind: "new" });

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.firstLogin).toBe("sent");
    const company = await db().select().from(companies).where(eq(companies.id, result.companyId)).get();
    expect(company?.name).toBe("Neue Kunden AG");
    const contact = await db().select().from(users).where(eq(users.id, result.userId)).get();
    expect(contact).toMatchObject({
      role: "customer",
      companyId: result.companyId,
      name: "Mara Grafik",
      email: input.email,
      phone: "089 555 12",
      passwordHash: null,
      active: true,
    });
    expect(await loadRequest(requestId)).toMatchObject({ state: "accepted", decidedBy: manager.id, userId: result.userId });
    expect((await loadRequest(requestId))?.decidedAt).toBeGreaterThan(0);

    const tokens = await db().select().from(loginTokens).where(eq(loginTokens.userId, result.userId));
    expect(tokens.map((token) => token.purpose)).toEqual(["first_login"]);
    const firstLogin = (await emailsTo(input.email)).filter((email) => email.kind === "first-login");
    expect(firstLogin).toHaveLength(1);
    expect(firstLogin[0].textBody).toContain("https://portal.example.com/passwort/");
  });

  it("adds the contact to an existing company", async () => {
    const { requestId } = await submitAccessRequest(testEnv, db(), requestInput());
    const companiesBefore = (await db().select().from(companies)).length;

    const result = await acceptAccessRequest(testEnv, db(), admin, requestId, { kind: "existing", companyId: verlagId });

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.companyId).toBe(verlagId);
    expect(result.companyName).toBe("Beispiel Verlag GmbH");
    expect((await db().select().from(companies)).length).toBe(companiesBefore);
    const contact = await db().select().from(users).where(eq(users.id, result.userId)).get();
    expect(contact?.companyId).toBe(verlagId);
  });

  it("links a customer of that company registered under the address", async () => {
    const existingId = crypto.randomUUID();
    const email = `bestand-${existingId.slice(0, 8)}@verlag.example`;
    await db().insert(users).values({
      id: existingId,
      companyId: verlagId,
      role: "customer",
      name: "Bestandskontakt",
      email,
      passwordHash: await hashPassword("Ein-langes-Passwort-1"),
      active: true,
      createdAt: Date.now(),
    });
    const { requestId } = await submitAccessRequest(testEnv, db(), requestInput({ email: ` ${email.toUpperCase()} ` }));
    const usersBefore = (await db().select().from(users)).length;

    const result = await acceptAccessRequest(testEnv, db(), manager, requestId, { kind: "existing", companyId: verlagId });

    expect(result).toMatchObject({ ok: true, userId: existingId, firstLogin: "not-needed" });
    expect((await db().select().from(users)).length).toBe(usersBefore);
    expect(await loadRequest(requestId)).toMatchObject({ state: "accepted", userId: existingId });
    expect((await emailsTo(email)).filter((row) => row.kind === "first-login")).toHaveLength(0);
  });

  it("refuses an address of another company or of staff and changes nothing", async () => {
    const otherCompany = await submitAccessRequest(testEnv, db(), requestInput({ email: "kunde2@example.com" }));
    const rejected = await acceptAccessRequest(testEnv, db(), manager, otherCompany.requestId, { kind: "existing", companyId: verlagId });
    expect(rejected).toEqual({
      ok: false,
      status: 409,
      message: accessRequestMessages.emailBelongsToOtherCompany("kunde2@example.com", "Nordlicht Reisen GmbH"),
    });
    expect((await loadRequest(otherCompany.requestId))?.state).toBe("open");

    const companiesBefore = (await db().select().from(companies)).length;
    const staff = await submitAccessRequest(testEnv, db(), requestInput({ email: "druckvorstufe@example.com" }));
    const rejectedStaff = await acceptAccessRequest(testEnv, db(), manager, staff.requestId, { kind: "new" });
    expect(rejectedStaff).toEqual({ ok: false, status: 409, message: accessRequestMessages.emailBelongsToStaff("druckvorstufe@example.com") });
    expect((await db().select().from(companies)).length).toBe(companiesBefore);
  });

  it("refuses an unknown company", async () => {
    const { requestId } = await submitAccessRequest(testEnv, db(), requestInput());
    const result = await acceptAccessRequest(testEnv, db(), manager, requestId, { kind: "existing", companyId: "no-such-company" });
    expect(result).toEqual({ ok: false, status: 404, message: accessRequestMessages.companyNotFound });
    expect((await loadRequest(requestId))?.state).toBe("open");
  });

  it("refuses prepress", async () => {
    const { requestId } = await submitAccessRequest(testEnv, db(), requestInput());
    expect(await acceptAccessRequest(testEnv, db(), prepress, requestId, { kind: "new" })).toEqual({
      ok: false,
      status: 403,
      message: accessRequestMessages.reviewForbidden,
    });
    expect(await declineAccessRequest(testEnv, db(), prepress, requestId, false)).toMatchObject({ ok: false, status: 403 });
    expect((await loadRequest(requestId))?.state).toBe("open");
  });
});

describe("deciding twice", () => {
  it("refuses a second accept and changes nothing", async () => {
    const input = requestInput({ companyName: "Doppelt GmbH" });
    const { requestId } = await submitAccessRequest(testEnv, db(), input);
    const first = await acceptAccessRequest(testEnv, db(), manager, requestId, { kind: "new" });
    expect(first.ok).toBe(true);
    const companiesBefore = (await db().select().from(companies)).length;
    const decidedBefore = await loadRequest(requestId);

    const second = await acceptAccessRequest(testEnv, db(), admin, requestId, { kind: "new" });

    expect(second).toEqual({ ok: false, status: 409, message: accessRequestMessages.alreadyDecided("accepted") });
    expect((await db().select().from(companies)).length).toBe(companiesBefore);
    expect(await loadRequest(requestId)).toEqual(decidedBefore);
  });

  it("lets only one of two accepts at once through", async () => {
    const { requestId } = await submitAccessRequest(testEnv, db(), requestInput({ companyName: "Gleichzeitig KG" }));
    const companiesBefore = (await db().select().from(companies)).length;

    const results = await Promise.all([
      acceptAccessRequest(testEnv, db(), manager, requestId, { kind: "new" }),
      acceptAccessRequest(testEnv, db(), admin, requestId, { kind: "new" }),
    ]);

    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(results.find((result) => !result.ok)).toMatchObject({ status: 409 });
    expect((await db().select().from(companies)).length).toBe(companiesBefore + 1);
  });

  it("refuses to decline an accepted request and to accept a declined one", async () => {
    const accepted = await submitAccessRequest(testEnv, db(), requestInput());
    await acceptAccessRequest(testEnv, db(), manager, accepted.requestId, { kind: "existing", companyId: verlagId });
    expect(await declineAccessRequest(testEnv, db(), manager, accepted.requestId, true)).toEqual({
      ok: false,
      status: 409,
      message: accessRequestMessages.alreadyDecided("accepted"),
    });

    const declined = await submitAccessRequest(testEnv, db(), requestInput());
    await declineAccessRequest(testEnv, db(), manager, declined.requestId, false);
    expect(await acceptAccessRequest(testEnv, db(), manager, declined.requestId, { kind: "new" })).toEqual({
      ok: false,
      status: 409,
      message: accessRequestMessages.alreadyDecided("declined"),
    });
    expect(await declineAccessRequest(testEnv, db(), manager, declined.requestId, true)).toMatchObject({ ok: false, status: 409 });
    expect((await emailsTo((await loadRequest(declined.requestId))!.email)).filter((row) => row.kind === "access-request-declined")).toHaveLength(0);
  });

  it("gives 404 for an unknown request", async () => {
    expect(await acceptAccessRequest(testEnv, db(), manager, "no-such-request", { kind: "new" })).toEqual({
      ok: false,
      status: 404,
      message: accessRequestMessages.requestNotFound,
    });
    expect(await declineAccessRequest(testEnv, db(), manager, "no-such-request", false)).toMatchObject({ ok: false, status: 404 });
  });
});

describe("declineAccessRequest", () => {
  it("declines and e-mails the requester when asked", async () => {
    const input = requestInput();
    const { requestId } = await submitAccessRequest(testEnv, db(), input);

    expect(await declineAccessRequest(testEnv, db(), manager, requestId, true)).toMatchObject({ ok: true, notified: true, email: input.email });

    expect(await loadRequest(requestId)).toMatchObject({ state: "declined", decidedBy: manager.id, userId: null });
    const declined = (await emailsTo(input.email)).filter((email) => email.kind === "access-request-declined");
    expect(declined).toHaveLength(1);
    expect(declined[0].textBody).toContain("Leider können wir Ihnen für Grafikbüro Süd keinen Zugang einrichten");
  });

  it("declines without an e-mail", async () => {
    const input = requestInput();
    const { requestId } = await submitAccessRequest(testEnv, db(), input);

    expect(await declineAccessRequest(testEnv, db(), admin, requestId, false)).toMatchObject({ ok: true, notified: false, name: "Mara Grafik" });
    expect((await emailsTo(input.email)).map((email) => email.kind)).toEqual(["access-request-confirmation"]);
  });
});

describe("listAccessRequests", () => {
  it("lists open requests with the account registered under the address, then decided ones", async () => {
    const { requestId } = await submitAccessRequest(testEnv, db(), requestInput({ email: "neu@example.com" }));

    const { open, decided } = await listAccessRequests(db());

    expect(open.every((request) => request.state === "open")).toBe(true);
    expect(open.find((request) => request.id === requestId)).toMatchObject({
      accountRole: "customer",
      accountCompanyName: "Beispiel Verlag GmbH",
    });
    expect(decided.length).toBeGreaterThan(0);
    expect(decided.every((request) => request.state !== "open")).toBe(true);
    expect(decided.some((request) => request.deciderName === "Sabine Keller")).toBe(true);
  });
});
