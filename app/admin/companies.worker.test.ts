import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";

import { SESSION_COOKIE, validateSessionToken } from "~/auth/session.server";
import { getDb } from "~/db/client.server";
import { companies, outboxEmails, sessions, users } from "~/db/schema";
import { demoUser, seedDemo, sessionCookieFor } from "../../tests/support/fixtures";

import { adminMessages } from "./admin-messages";
import { parseCompanyForm } from "./companies-form";
import { createCompany, getCompany, listCompanies, listCompanyOrders, updateCompany } from "./companies.server";
import { parseContactForm, type ContactInput } from "./contacts-form";
import { createContact, listCompanyContacts, updateContact } from "./contacts.server";

let data: Awaited<ReturnType<typeof seedDemo>>;
let admin: ReturnType<typeof demoUser>;
let manager: ReturnType<typeof demoUser>;
let prepress: ReturnType<typeof demoUser>;
let customer: ReturnType<typeof demoUser>;
let verlagId: string;
let reisenId: string;

const db = () => getDb(env);

beforeAll(async () => {
  data = await seedDemo();
  admin = demoUser(data, "admin@example.com");
  manager = demoUser(data, "auftragsmanager@example.com");
  prepress = demoUser(data, "druckvorstufe@example.com");
  customer = demoUser(data, "kunde@example.com");
  verlagId = customer.companyId!;
  reisenId = demoUser(data, "kunde2@example.com").companyId!;
});

function companyInput(form: Record<string, string>) {
  const parsed = parseCompanyForm(form);
  if (!parsed.ok) throw new Error(`company form invalid: ${JSON.stringify(parsed.fieldErrors)}`);
  return parsed.value;
}

function contactInput(form: Record<string, string>): ContactInput {
  const parsed = parseContactForm(form);
  if (!parsed.ok) throw new Error(`contact form invalid: ${JSON.stringify(parsed.fieldErrors)}`);
  return parsed.value;
}

async function companyCount() {
  return (await db().select({ id: companies.id }).from(companies)).length;
}

describe("company form", () => {
  it("requires a name and limits lengths", () => {
    const empty = parseCompanyForm({ name: "   ", customerNumber: "" });
    expect(empty.ok).toBe(false);
    if (!empty.ok) expect(empty.fieldErrors.name).toBe(adminMessages.companyNameMissing);

    const long = parseCompanyForm({ name: "x".repeat(201), customerNumber: "1".repeat(51) });
    expect(long.ok).toBe(false);
    if (!long.ok) {
      expect(long.fieldErrors.name).toBe(adminMessages.companyNameTooLong(200));
      expect(long.fieldErrors.customerNumber).toBe(adminMessages.customerNumberTooLong(50));
    }
  });

  it("trims and leaves an empty customer number null", () => {
    expect(parseCompanyForm({ name: "  Hansa Kontor  ", customerNumber: "  " })).toEqual({
      ok: true,
      value: { name: "Hansa Kontor", customerNumber: null },
    });
  });
});

describe("createCompany", () => {
  it("creates a company the list shows", async () => {
    const created = await createCompany(env, db(), admin, companyInput({ name: "Müller Papier KG", customerNumber: "20001" }));
    expect(created.ok).toBe(true);
    if (!created.ok) return;

    const company = await getCompany(db(), created.companyId);
    expect(company?.name).toBe("Müller Papier KG");
    expect(company?.customerNumber).toBe("20001");

    // Case-insensitive, with a capital umlaut typed in the search.
    const found = await listCompanies(db(), "MÜLLER");
    expect(found.companies).toEqual([
      { id: created.companyId, name: "Müller Papier KG", customerNumber: "20001", contactCount: 0, orderCount: 0 },
    ]);
    expect((await listCompanies(db(), "2000")).companies.map((row) => row.id)).toEqual([created.companyId]);
  });

  it("counts contacts and orders per company", async () => {
    const { companies: rows } = await listCompanies(db(), "Beispiel Verlag");
    expect(rows).toHaveLength(1);
    expect(rows[0].contactCount).toBe(2);
    expect(rows[0].orderCount).toBe(5);
  });

  it("creates companies without customer numbers", async () => {
    const first = await createCompany(env, db(), manager, companyInput({ name: "Ohne Nummer A", customerNumber: "" }));
    const second = await createCompany(env, db(), manager, companyInput({ name: "Ohne Nummer B", customerNumber: "" }));
    expect(first.ok).toBe(true);
    expect(second.ok).toBe(true);
  });

  it("rejects a duplicate customer number", async () => {
    const before = await companyCount();

    const duplicate = await createCompany(env, db(), admin, companyInput({ name: "Zweiter Verlag", customerNumber: "10234" }));

    expect(duplicate).toEqual({
      ok: false,
      status: 409,
      fieldErrors: { customerNumber: adminMessages.customerNumberTaken("10234", "Beispiel Verlag GmbH") },
    });
    expect(await companyCount()).toBe(before);
  });

  it("rejects a duplicate name", async () => {
    const before = await companyCount();

    const duplicates = [
      await createCompany(env, db(), manager, companyInput({ name: "  beispiel verlag gmbh ", customerNumber: "" })),
      await createCompany(env, db(), manager, companyInput({ name: "BEISPIEL VERLAG GMBH", customerNumber: "30001" })),
    ];

    for (const duplicate of duplicates) {
      expect(duplicate).toEqual({
        ok: false,
        status: 409,
        fieldErrors: { name: adminMessages.companyNameTaken("Beispiel Verlag GmbH") },
      });
    }
    expect(await companyCount()).toBe(before);
  });

  it("folds capital umlauts in names", async () => {
    const first = await createCompany(env, db(), manager, companyInput({ name: "Öko Druck Äpfel", customerNumber: "" }));
    expect(first.ok).toBe(true);

    const second = await createCompany(env, db(), manager, companyInput({ name: "öko druck äpfel", customerNumber: "" }));

    expect(second).toMatchObject({ ok: false, status: 409, fieldErrors: { name: adminMessages.companyNameTaken("Öko Druck Äpfel") } });
  });

  it("rejects prepress", async () => {
    const before = await companyCount();
    const result = await createCompany(env, db(), prepress, companyInput({ name: "Nicht erlaubt", customerNumber: "" }));
    expect(result).toMatchObject({ ok: false, status: 403, message: adminMessages.editForbidden });
    expect(await companyCount()).toBe(before);
  });
});

describe("updateCompany", () => {
  it("keeps its own customer number", async () => {
    const result = await updateCompany(env, db(), manager, reisenId, companyInput({ name: "Nordlicht Reisen GmbH", customerNumber: "10871" }));
    expect(result).toEqual({ ok: true, companyId: reisenId });
  });

  it("rejects another company's customer number", async () => {
    const result = await updateCompany(env, db(), manager, reisenId, companyInput({ name: "Nordlicht Reisen GmbH", customerNumber: "10234" }));
    expect(result).toMatchObject({ ok: false, status: 409 });
    expect((await getCompany(db(), reisenId))?.customerNumber).toBe("10871");
  });

  it("keeps its own name in other case", async () => {
    const result = await updateCompany(env, db(), manager, reisenId, companyInput({ name: "NORDLICHT REISEN GMBH", customerNumber: "10871" }));
    expect(result).toEqual({ ok: true, companyId: reisenId });
    expect((await getCompany(db(), reisenId))?.name).toBe("NORDLICHT REISEN GMBH");

    await updateCompany(env, db(), manager, reisenId, companyInput({ name: "Nordlicht Reisen GmbH", customerNumber: "10871" }));
  });

  it("rejects another company's name", async () => {
    const result = await updateCompany(env, db(), manager, reisenId, companyInput({ name: "beispiel Verlag GmbH", customerNumber: "10871" }));
    expect(result).toEqual({ ok: false, status: 409, fieldErrors: { name: adminMessages.companyNameTaken("Beispiel Verlag GmbH") } });
    expect((await getCompany(db(), reisenId))?.name).toBe("Nordlicht Reisen GmbH");
  });

  it("answers 404 for an unknown company", async () => {
    const result = await updateCompany(env, db(), admin, "no-such-company", companyInput({ name: "Niemand", customerNumber: "" }));
    expect(result).toMatchObject({ ok: false, status: 404, message: adminMessages.companyNotFound });
    expect(await getCompany(db(), "no-such-company")).toBeUndefined();
  });
});

describe("contacts", () => {
  it("adds a contact without password", async () => {
    const input = contactInput({ salutation: "Herr", name: " Paul Kontor ", email: " Paul.Kontor@Example.COM ", phone: "", active: "on" });
    expect(input).toEqual({ salutation: "Herr", name: "Paul Kontor", email: "paul.kontor@example.com", phone: null, active: true });

    const created = await createContact(env, db(), manager, verlagId, input);
    expect(created.ok).toBe(true);
    if (!created.ok) return;

    const row = await db().select().from(users).where(eq(users.id, created.contactId)).get();
    expect(row).toMatchObject({ companyId: verlagId, role: "customer", email: "paul.kontor@example.com", passwordHash: null, active: true });
    const contacts = await listCompanyContacts(db(), verlagId);
    expect(contacts.find((contact) => contact.id === created.contactId)?.hasPassword).toBe(false);

    // The new contact gets the first-login link by e-mail.
    const invitation = await db().select().from(outboxEmails).where(eq(outboxEmails.toAddress, "paul.kontor@example.com")).get();
    expect(invitation?.kind).toBe("first-login");
  });

  it("stores internationalised domains as punycode", () => {
    const input = contactInput({ salutation: "", name: "Ida Buch", email: " Ida@Bücher.example ", phone: "" });
    expect(input.email).toBe("ida@xn--bcher-kva.example");

    const invalid = parseContactForm({ salutation: "", name: "Ida Buch", email: "ida@bücher example", phone: "" });
    expect(invalid.ok).toBe(false);
  });

  it("rejects an address in use, whatever its case and spaces", async () => {
    const before = (await listCompanyContacts(db(), reisenId)).length;

    const input = contactInput({ salutation: "", name: "Doppelt", email: "  KUNDE@example.com ", phone: "" });
    const result = await createContact(env, db(), admin, reisenId, input);

    expect(result).toEqual({ ok: false, status: 409, fieldErrors: { email: adminMessages.emailTaken("kunde@example.com") } });
    expect(await listCompanyContacts(db(), reisenId)).toHaveLength(before);
  });

  it("finds a stored address with other case", async () => {
    // An older row whose address was stored with capitals and spaces.
    await db().insert(users).values({
      id: crypto.randomUUID(),
      companyId: reisenId,
      role: "customer",
      name: "Alt Eintrag",
      email: " Alt.Eintrag@Example.com",
      createdAt: Date.now(),
    });
    const result = await createContact(env, db(), admin, reisenId, contactInput({ name: "Neu", email: "alt.eintrag@example.com" }));
    expect(result).toMatchObject({ ok: false, status: 409 });
  });

  it("rejects changing to an address in use", async () => {
    const result = await updateContact(
      env,
      db(),
      admin,
      verlagId,
      customer.id,
      contactInput({ salutation: "Frau", name: "Jana Beispiel", email: "Auftragsmanager@Example.com", phone: "", active: "on" }),
    );
    expect(result).toMatchObject({ ok: false, status: 409 });
    const row = await db().select().from(users).where(eq(users.id, customer.id)).get();
    expect(row?.email).toBe("kunde@example.com");
  });

  it("rejects bad contact fields", () => {
    const parsed = parseContactForm({ salutation: "Dr.", name: "", email: "keine-adresse", phone: "1".repeat(51) });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.fieldErrors).toEqual({
      salutation: adminMessages.salutationInvalid,
      name: adminMessages.contactNameMissing,
      email: adminMessages.emailInvalid,
      phone: adminMessages.phoneTooLong(50),
    });
  });

  it("deactivation ends the contact's sessions", async () => {
    const contact = await createContact(env, db(), admin, reisenId, contactInput({ name: "Gesa Abmeldung", email: "gesa@nordlicht.example", active: "on" }));
    if (!contact.ok) throw new Error("contact not created");
    const cookies = [await sessionCookieFor(contact.contactId), await sessionCookieFor(contact.contactId)];
    const otherCookie = await sessionCookieFor(customer.id);
    const token = (cookie: string) => cookie.slice(SESSION_COOKIE.length + 1);
    expect(await validateSessionToken(db(), token(cookies[0]))).not.toBeNull();

    const result = await updateContact(
      env,
      db(),
      manager,
      reisenId,
      contact.contactId,
      contactInput({ name: "Gesa Abmeldung", email: "gesa@nordlicht.example" }),
    );

    expect(result).toEqual({ ok: true, contactId: contact.contactId, sessionsEnded: 2 });
    expect(await db().select().from(sessions).where(eq(sessions.userId, contact.contactId))).toEqual([]);
    expect(await validateSessionToken(db(), token(cookies[1]))).toBeNull();
    // Other users stay signed in.
    expect(await validateSessionToken(db(), token(otherCookie))).not.toBeNull();
    const row = await db().select().from(users).where(eq(users.id, contact.contactId)).get();
    expect(row?.active).toBe(false);
  });

  it("keeps sessions of an active contact", async () => {
    const cookie = await sessionCookieFor(customer.id);
    const result = await updateContact(
      env,
      db(),
      admin,
      verlagId,
      customer.id,
      contactInput({ salutation: "Frau", name: "Jana Beispiel", email: "kunde@example.com", phone: "040 555 123-0", active: "on" }),
    );
    expect(result).toEqual({ ok: true, contactId: customer.id, sessionsEnded: 0 });
    expect(await validateSessionToken(db(), cookie.slice(SESSION_COOKIE.length + 1))).not.toBeNull();
  });

  it("answers 404 for another company's contact", async () => {
    const result = await updateContact(env, db(), admin, reisenId, customer.id, contactInput({ name: "Fremd", email: "fremd@example.com" }));
    expect(result).toMatchObject({ ok: false, status: 404, message: adminMessages.contactNotFound });
    const row = await db().select().from(users).where(eq(users.id, customer.id)).get();
    expect(row?.name).toBe("Jana Beispiel");
  });

  it("never edits staff through a company", async () => {
    const result = await updateContact(env, db(), admin, verlagId, manager.id, contactInput({ name: "X", email: "x@example.com" }));
    expect(result).toMatchObject({ ok: false, status: 404 });
  });

  it("answers 404 for an unknown company", async () => {
    const created = await createContact(env, db(), admin, "no-such-company", contactInput({ name: "Niemand", email: "niemand@example.com" }));
    expect(created).toMatchObject({ ok: false, status: 404, message: adminMessages.companyNotFound });
    const updated = await updateContact(env, db(), admin, "no-such-company", customer.id, contactInput({ name: "N", email: "n@example.com" }));
    expect(updated).toMatchObject({ ok: false, status: 404, message: adminMessages.companyNotFound });
    expect(await db().select().from(users).where(eq(users.email, "niemand@example.com"))).toEqual([]);
  });

  it("rejects prepress", async () => {
    const result = await createContact(env, db(), prepress, verlagId, contactInput({ name: "Nicht erlaubt", email: "nein@example.com" }));
    expect(result).toMatchObject({ ok: false, status: 403 });
  });
});

describe("listCompanyOrders", () => {
  it("lists the company's orders newest first", async () => {
    const { orders: rows, truncated } = await listCompanyOrders(db(), reisenId);
    expect(rows.map((order) => order.offerNumber)).toEqual(["42960.01", "42901.01"]);
    expect(truncated).toBe(false);
    expect(rows[1]).toMatchObject({ orderNumber: "241100", status: "ordered", title: "Kataloge Herbst 2024" });
  });
});
