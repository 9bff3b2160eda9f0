import { asc, eq, sql } from "drizzle-orm";

import { requestLoginLink } from "~/auth/login-tokens.server";
import type { SessionUser } from "~/auth/session.server";
import type { Database } from "~/db/client.server";
import { users } from "~/db/schema";

import { adminMessages } from "./admin-messages";
import { canEditCompanies, getCompany, type CompanyChange } from "./companies.server";
import type { ContactInput } from "./contacts-form";

export type ContactChange =
  | { ok: true; contactId: string; sessionsEnded: number }
  | Extract<CompanyChange, { ok: false }>;

/** Lists a company's contacts by name. */
export async function listCompanyContacts(db: Database, companyId: string) {
  return db
    .select({
      id: users.id,
      salutation: users.salutation,
      name: users.name,
      email: users.email,
      phone: users.phone,
      active: users.active,
      hasPassword: sql<number>`${users.passwordHash} IS NOT NULL`.mapWith(Boolean),
    })
    .from(users)
    .where(eq(users.companyId, companyId))
    .orderBy(sql`${users.name} COLLATE NOCASE`, asc(users.id));
}

// Addresses are compared trimmed and in lowercase, because the login looks
// them up that way. The statements below check uniqueness themselves, so two
// requests at once cannot give one address to two users.
const EMAIL_FREE = "NOT EXISTS (SELECT 1 FROM users WHERE lower(trim(email)) = ?5 AND id <> ?1)";

function emailTaken(email: string): ContactChange {
  return { ok: false, status: 409, fieldErrors: { email: adminMessages.emailTaken(email) } };
}

function isUniqueEmailViolation(error: unknown): boolean {
  return String(error).includes("users.email");
}

/**
 * Adds a customer contact to a company, without a password: the contact can
 * sign in once a password is set.
 */
export async function createContact(
  env: Pick<Env, "DB" | "EMAIL_QUEUE"> & { PORTAL_URL?: string },
  db: Database,
  user: SessionUser,
  companyId: string,
  input: ContactInput,
): Promise<ContactChange> {
  if (!canEditCompanies(user)) return { ok: false, status: 403, fieldErrors: {}, message: adminMessages.editForbidden };
  if (!(await getCompany(db, companyId))) return { ok: false, status: 404, fieldErrors: {}, message: adminMessages.companyNotFound };

  const contactId = crypto.randomUUID();
  let changes: number;
  try {
    const result = await env.DB.prepare(
      `INSERT INTO users (id, company_id, role, salutation, name, email, phone, password_hash, active, created_at)
       SELECT ?1, ?2, 'customer', ?3, ?4, ?5, ?6, NULL, ?7, ?8
       WHERE ${EMAIL_FREE} AND EXISTS (SELECT 1 FROM companies WHERE id = ?2)`,
    )
      .bind(contactId, companyId, input.salutation, input.name, input.email, input.phone, input.active ? 1 : 0, Date.now())
      .run();
    changes = result.meta.changes;
  } catch (error) {
    if (!isUniqueEmailViolation(error)) throw error;
    console.warn("admin: contact not created, e-mail address taken", { companyId, userId: user.id, error: String(error) });
    return emailTaken(input.email);
  }

  if (changes !== 1) {
    if (!(await getCompany(db, companyId))) return { ok: false, status: 404, fieldErrors: {}, message: adminMessages.companyNotFound };
    return emailTaken(input.email);
  }

  console.info("admin: contact created", { companyId, contactId, userId: user.id, active: input.active });

  // The new contact has no password yet: an active one gets the first-login link at once.
  if (input.active) await requestLoginLink(env, db, input.email);
  return { ok: true, contactId, sessionsEnded: 0 };
}

/**
 * Changes a contact of the company. Deactivating a contact deletes its
 * sessions in the same batch, so it is signed out on its next request.
 */
export async function updateContact(
  env: Pick<Env, "DB">,
  db: Database,
  user: SessionUser,
  companyId: string,
  contactId: string,
  input: ContactInput,
): Promise<ContactChange> {
  if (!canEditCompanies(user)) return { ok: false, status: 403, fieldErrors: {}, message: adminMessages.editForbidden };

  const statements = [
    env.DB.prepare(
      `UPDATE users SET salutation = ?3, name = ?4, email = ?5, phone = ?6, active = ?7
       WHERE id = ?1 AND company_id = ?2 AND role = 'customer' AND ${EMAIL_FREE}`,
    ).bind(contactId, companyId, input.salutation, input.name, input.email, input.phone, input.active ? 1 : 0),
    // Runs after the update in the same transaction: it finds the contact inactive only when it is.
    env.DB.prepare(
      "DELETE FROM sessions WHERE user_id = ?1 AND EXISTS (SELECT 1 FROM users WHERE id = ?1 AND company_id = ?2 AND active = 0)",
    ).bind(contactId, companyId),
  ];

  let results: D1Result[];
  try {
    results = await env.DB.batch(statements);
  } catch (error) {
    if (!isUniqueEmailViolation(error)) throw error;
    console.warn("admin: contact not updated, e-mail address taken", { companyId, contactId, userId: user.id, error: String(error) });
    return emailTaken(input.email);
  }

  if (results[0].meta.changes !== 1) {
    const contact = await db
      .select({ id: users.id })
      .from(users)
      .where(sql`${users.id} = ${contactId} AND ${users.companyId} = ${companyId} AND ${users.role} = 'customer'`)
      .get();
    if (!contact) {
      if (!(await getCompany(db, companyId))) return { ok: false, status: 404, fieldErrors: {}, message: adminMessages.companyNotFound };
      return { ok: false, status: 404, fieldErrors: {}, message: adminMessages.contactNotFound };
    }
    return emailTaken(input.email);
  }

  const sessionsEnded = results[1].meta.changes;
  console.info("admin: contact updated", { companyId, contactId, userId: user.id, active: input.active, sessionsEnded });
  return { ok: true, contactId, sessionsEnded };
}
