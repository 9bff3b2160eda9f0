import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";

import { validateSessionToken } from "~/auth/session.server";
import { getDb } from "~/db/client.server";
import { loginTokens, outboxEmails, sessions, users } from "~/db/schema";
import { messages } from "~/messages";
import { demoUser, seedDemo, sessionCookieFor } from "../../tests/support/fixtures";
import { recordingQueue } from "../../tests/support/recording-queue";

import { parseStaffForm, parseStaffRole, type StaffInput } from "./forms";
import { teamMessages } from "./messages";
import { changeStaffRole, createStaffAccount, listStaff, setStaffActive } from "./staff.server";

let data: Awaited<ReturnType<typeof seedDemo>>;
let admin: ReturnType<typeof demoUser>;
let manager: ReturnType<typeof demoUser>;
let prepress: ReturnType<typeof demoUser>;
let customer: ReturnType<typeof demoUser>;
let testEnv: Pick<Env, "DB" | "EMAIL_QUEUE"> & { PORTAL_URL: string };

const db = () => getDb(env);

beforeAll(async () => {
  data = await seedDemo();
  admin = demoUser(data, "admin@example.com");
  manager = demoUser(data, "auftragsmanager@example.com");
  prepress = demoUser(data, "druckvorstufe@example.com");
  customer = demoUser(data, "kunde@example.com");
  testEnv = { DB: env.DB, EMAIL_QUEUE: recordingQueue(), PORTAL_URL: "https://portal.example.com" };
});

function staffInput(overrides: Record<string, string> = {}): StaffInput {
  const parsed = parseStaffForm({
    salutation: "Frau",
    name: "Lena Druck",
    email: `lena-${crypto.randomUUID().slice(0, 8)}@lindenblatt.example`,
    phone: "0421 555 010-50",
    role: "prepress",
    ...overrides,
  });
  if (!parsed.ok) throw new Error(`staff form invalid: ${JSON.stringify(parsed.fieldErrors)}`);
  return parsed.value;
}

async function loadUser(userId: string) {
  return db().select().from(users).where(eq(users.id, userId)).get();
}

/** Creates a staff member to change, so that the demo staff stay as they are. */
async function newMember(role: "manager" | "prepress" | "admin" = "manager") {
  const created = await createStaffAccount(testEnv, db(), admin, staffInput({ role }));
  if (!created.ok) throw new Error("staff account not created");
  return created.memberId;
}

describe("staff form", () => {
  it("normalises the address and rejects an unknown role", () => {
    const parsed = parseStaffForm({ name: " Lena ", email: " Lena@Lindenblatt.Example ", role: "admin" });
    expect(parsed).toEqual({
      ok: true,
      value: { salutation: null, name: "Lena", email: "lena@lindenblatt.example", phone: null, role: "admin" },
    });

    const customerRole = parseStaffForm({ name: "Lena", email: "lena@lindenblatt.example", role: "customer" });
    expect(customerRole.ok).toBe(false);
    if (!customerRole.ok) expect(customerRole.fieldErrors.role).toBe(teamMessages.roleInvalid);
    expect(parseStaffRole("customer")).toBeNull();
    expect(parseStaffRole("manager")).toBe("manager");
  });
});

describe("createStaffAccount", () => {
  it("creates the account without a password and e-mails the first-login link", async () => {
    const input = staffInput();
    const created = await createStaffAccount(testEnv, db(), admin, input);

    expect(created).toMatchObject({ ok: true, name: "Lena Druck", firstLoginSent: true });
    if (!created.ok) return;
    expect(await loadUser(created.memberId)).toMatchObject({
      role: "prepress",
      companyId: null,
      salutation: "Frau",
      email: input.email,
      passwordHash: null,
      active: true,
    });
    const tokens = await db().select().from(loginTokens).where(eq(loginTokens.userId, created.memberId));
    expect(tokens.map((token) => token.purpose)).toEqual(["first_login"]);
    const emails = await db().select().from(outboxEmails).where(eq(outboxEmails.toAddress, input.email));
    expect(emails.map((email) => email.kind)).toEqual(["first-login"]);

    expect((await listStaff(db())).some((member) => member.id === created.memberId && !member.hasPassword)).toBe(true);
  });

  it("refuses an address any account has, ignoring case and spaces", async () => {
    const before = (await db().select().from(users)).length;

    for (const email of ["KUNDE@example.com", " druckvorstufe@Example.com "]) {
      const result = await createStaffAccount(testEnv, db(), admin, staffInput({ email }));
      const normalized = email.trim().toLowerCase();
      expect(result, email).toEqual({ ok: false, status: 409, fieldErrors: { email: teamMessages.emailTaken(normalized) } });
    }
    expect((await db().select().from(users)).length).toBe(before);
  });

  it("refuses everyone but administrators", async () => {
    const result = await createStaffAccount(testEnv, db(), manager, staffInput());
    expect(result).toEqual({ ok: false, status: 403, fieldErrors: {}, message: messages.adminOnly });
  });

  it("lists staff only, no customers", async () => {
    const staff = await listStaff(db());
    expect(staff.map((member) => member.role)).not.toContain("customer");
    expect(staff.map((member) => member.email)).toEqual(expect.arrayContaining(["admin@example.com", "druckvorstufe@example.com"]));
  });
});

describe("changeStaffRole", () => {
  it("changes the role of another member", async () => {
    const memberId = await newMember("prepress");

    const result = await changeStaffRole(db(), admin, memberId, "admin", null);

    expect(result).toMatchObject({ ok: true, changed: true });
    expect((await loadUser(memberId))?.role).toBe("admin");
  });

  it("reports an unchanged role", async () => {
    const memberId = await newMember("manager");
    expect(await changeStaffRole(db(), admin, memberId, "manager", null)).toMatchObject({ ok: true, changed: false });
  });

  it("refuses the own role and changes nothing", async () => {
    const result = await changeStaffRole(db(), admin, admin.id, "manager", null);

    expect(result).toEqual({ ok: false, status: 409, fieldErrors: {}, message: teamMessages.ownRoleLocked });
    expect((await loadUser(admin.id))?.role).toBe("admin");
  });

  it("gives 404 for a customer or an unknown id", async () => {
    for (const memberId of [customer.id, "no-such-user"]) {
      const result = await changeStaffRole(db(), admin, memberId, "admin", null);
      expect(result, memberId).toEqual({ ok: false, status: 404, fieldErrors: {}, message: teamMessages.memberNotFound });
    }
    expect((await loadUser(customer.id))?.role).toBe("customer");
  });

  it("refuses a manager", async () => {
    const result = await changeStaffRole(db(), manager, prepress.id, "admin", null);
    expect(result).toMatchObject({ ok: false, status: 403 });
    expect((await loadUser(prepress.id))?.role).toBe("prepress");
  });
});

describe("setStaffActive", () => {
  it("deactivates a member and ends the member's sessions at once", async () => {
    const memberId = await newMember("manager");
    const cookies = [await sessionCookieFor(memberId), await sessionCookieFor(memberId)];
    const adminCookie = await sessionCookieFor(admin.id);

    const result = await setStaffActive(env, db(), admin, memberId, false, null);

    expect(result).toMatchObject({ ok: true, sessionsEnded: 2 });
    expect((await loadUser(memberId))?.active).toBe(false);
    expect(await db().select().from(sessions).where(eq(sessions.userId, memberId))).toHaveLength(0);
    for (const cookie of cookies) expect(await validateSessionToken(db(), cookie.split("=")[1])).toBeNull();
    expect(await validateSessionToken(db(), adminCookie.split("=")[1])).not.toBeNull();
  });

  it("reactivates a member", async () => {
    const memberId = await newMember("prepress");
    await setStaffActive(env, db(), admin, memberId, false, null);

    expect(await setStaffActive(env, db(), admin, memberId, true, null)).toMatchObject({ ok: true, sessionsEnded: 0 });
    expect((await loadUser(memberId))?.active).toBe(true);
  });

  it("refuses to deactivate the own account", async () => {
    const cookie = await sessionCookieFor(admin.id);

    const result = await setStaffActive(env, db(), admin, admin.id, false, null);

    expect(result).toEqual({ ok: false, status: 409, fieldErrors: {}, message: teamMessages.ownAccountLocked });
    expect((await loadUser(admin.id))?.active).toBe(true);
    expect(await validateSessionToken(db(), cookie.split("=")[1])).not.toBeNull();
  });

  it("gives 404 for a customer", async () => {
    const result = await setStaffActive(env, db(), admin, customer.id, false, null);
    expect(result).toMatchObject({ ok: false, status: 404 });
    expect((await loadUser(customer.id))?.active).toBe(true);
  });
});
