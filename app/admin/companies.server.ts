import { asc, desc, eq, sql } from "drizzle-orm";

import { hasPermission } from "~/auth/authorization.server";
import type { SessionUser } from "~/auth/session.server";
import type { Database } from "~/db/client.server";
import { companies, orders } from "~/db/schema";

import { adminMessages } from "./admin-messages";
import { COMPANY_LIST_LIMIT, COMPANY_ORDERS_LIMIT, type CompanyInput, type FieldErrors } from "./companies-form";


export type CompanyChange =
  | { ok: true; companyId: string }
  | { ok: false; status: 400 | 403 | 404 | 409; fieldErrors: FieldErrors; message?: string };

/** True for order managers and administrators, who edit companies and contacts. Prepress has read access only. */
export function canEditCompanies(user: SessionUser): boolean {
  return hasPermission(user, "editCompanies");
}

/**
 * Lists companies by name with their numbers of contacts and orders. The
 * search matches part of the name or the customer number, ignoring case
 * (German umlauts included).
 */
export async function listCompanies(db: Database, search: string, limit = COMPANY_LIST_LIMIT) {
  const term = search.trim().toLowerCase();
  // SQLite's lower() folds ASCII only, so the capital umlauts are folded by hand, as in orders.search_text.
  const foldedName = sql`replace(replace(replace(lower(${companies.name}), 'Ä', 'ä'), 'Ö', 'ö'), 'Ü', 'ü')`;
  const condition =
    term === "" ? undefined : sql`(instr(${foldedName}, ${term}) > 0 OR instr(lower(coalesce(${companies.customerNumber}, '')), ${term}) > 0)`;

  const rows = await db
    .select({
      id: companies.id,
      name: companies.name,
      customerNumber: companies.customerNumber,
      // Written out with the table name: Drizzle leaves it off in a single-table select, and "id" alone would be the subquery's own column.
      contactCount: sql<number>`(SELECT count(*) FROM users WHERE users.company_id = companies.id)`,
      orderCount: sql<number>`(SELECT count(*) FROM orders WHERE orders.company_id = companies.id)`,
    })
    .from(companies)
    .where(condition)
    .orderBy(sql`${companies.name} COLLATE NOCASE`, asc(companies.id))
    .limit(limit + 1);

  return { companies: rows.slice(0, limit), truncated: rows.length > limit };
}

export async function getCompany(db: Database, companyId: string) {
  return db.select().from(companies).where(eq(companies.id, companyId)).get();
}

/** Lists a company's offers and orders, newest first. */
export async function listCompanyOrders(db: Database, companyId: string, limit = COMPANY_ORDERS_LIMIT) {
  const rows = await db
    .select({
      id: orders.id,
      offerNumber: orders.offerNumber,
      orderNumber: orders.orderNumber,
      title: orders.title,
      status: orders.status,
      createdAt: orders.createdAt,
    })
    .from(orders)
    .where(eq(orders.companyId, companyId))
    .orderBy(desc(orders.createdAt), desc(orders.offerNumber))
    .limit(limit + 1);
  return { orders: rows.slice(0, limit), truncated: rows.length > limit };
}

/** Returns the company that already has this customer number, other than `exceptCompanyId`. */
async function findCustomerNumberOwner(db: Database, customerNumber: string, exceptCompanyId: string | null) {
  return db
    .select({ id: companies.id, name: companies.name })
    .from(companies)
    .where(
      sql`${companies.customerNumber} = ${customerNumber} AND ${companies.id} IS NOT ${exceptCompanyId}`,
    )
    .get();
}

/**
 * Folds a company name for the duplicate check: trimmed, with ASCII letters
 * and the capital umlauts in lower case. `FOLDED_NAME_SQL` folds the stored
 * names the same way, because SQLite's lower() folds ASCII only.
 */
function foldCompanyName(name: string): string {
  return name.trim().replace(/[A-ZÄÖÜ]/g, (letter) => letter.toLowerCase());
}

/** SQL of `foldCompanyName` on companies.name; the column is written out because it is also used inside raw statements. */
const FOLDED_NAME_SQL = "replace(replace(replace(lower(trim(companies.name)), 'Ä', 'ä'), 'Ö', 'ö'), 'Ü', 'ü')";

/** Returns the company that already has this name (ignoring case and surrounding spaces), other than `exceptCompanyId`. */
async function findCompanyNameOwner(db: Database, name: string, exceptCompanyId: string | null) {
  return db
    .select({ id: companies.id, name: companies.name })
    .from(companies)
    .where(sql`${sql.raw(FOLDED_NAME_SQL)} = ${foldCompanyName(name)} AND ${companies.id} IS NOT ${exceptCompanyId}`)
    .get();
}

function companyNameTaken(companyName: string): CompanyChange {
  return { ok: false, status: 409, fieldErrors: { name: adminMessages.companyNameTaken(companyName) } };
}

/** Finds which uniqueness rule a company change breaks: the name first, then the customer number; null when neither. */
async function findConflict(db: Database, input: CompanyInput, exceptCompanyId: string | null): Promise<CompanyChange | null> {
  const nameOwner = await findCompanyNameOwner(db, input.name, exceptCompanyId);
  if (nameOwner) return companyNameTaken(nameOwner.name);
  if (input.customerNumber && (await findCustomerNumberOwner(db, input.customerNumber, exceptCompanyId))) {
    return customerNumberTaken(db, input.customerNumber, exceptCompanyId);
  }
  return null;
}

async function customerNumberTaken(db: Database, customerNumber: string, exceptCompanyId: string | null): Promise<CompanyChange> {
  const owner = await findCustomerNumberOwner(db, customerNumber, exceptCompanyId);
  return {
    ok: false,
    status: 409,
    fieldErrors: { customerNumber: adminMessages.customerNumberTaken(customerNumber, owner?.name ?? "") },
  };
}

/**
 * Creates a company. Its name, ignoring case and surrounding spaces, and its
 * customer number, when given, must be unique. The insert itself checks
 * both, so two requests at once cannot both take them.
 */
export async function createCompany(env: Pick<Env, "DB">, db: Database, user: SessionUser, input: CompanyInput): Promise<CompanyChange> {
  if (!canEditCompanies(user)) return { ok: false, status: 403, fieldErrors: {}, message: adminMessages.editForbidden };
  const conflict = await findConflict(db, input, null);
  if (conflict) return conflict;

  const companyId = crypto.randomUUID();
  const result = await env.DB.prepare(
    `INSERT INTO companies (id, name, customer_number, created_at)
     SELECT ?1, ?2, ?3, ?4
     WHERE (?3 IS NULL OR NOT EXISTS (SELECT 1 FROM companies WHERE customer_number = ?3))
       AND NOT EXISTS (SELECT 1 FROM companies WHERE ${FOLDED_NAME_SQL} = ?5)`,
  )
    .bind(companyId, input.name, input.customerNumber, Date.now(), foldCompanyName(input.name))
    .run();
  if (result.meta.changes !== 1) {
    console.info("admin: company name or customer number taken meanwhile", { userId: user.id });
    return (await findConflict(db, input, null)) ?? customerNumberTaken(db, input.customerNumber ?? "", null);
  }

  console.info("admin: company created", { companyId, userId: user.id });
  return { ok: true, companyId };
}

/** Changes a company's name and customer number, with the same uniqueness rules as `createCompany`. */
export async function updateCompany(
  env: Pick<Env, "DB">,
  db: Database,
  user: SessionUser,
  companyId: string,
  input: CompanyInput,
): Promise<CompanyChange> {
  if (!canEditCompanies(user)) return { ok: false, status: 403, fieldErrors: {}, message: adminMessages.editForbidden };
  if (!(await getCompany(db, companyId))) return { ok: false, status: 404, fieldErrors: {}, message: adminMessages.companyNotFound };
  const conflict = await findConflict(db, input, companyId);
  if (conflict) return conflict;

  const result = await env.DB.prepare(
    `UPDATE companies SET name = ?2, customer_number = ?3
     WHERE id = ?1
       AND (?3 IS NULL OR NOT EXISTS (SELECT 1 FROM companies WHERE customer_number = ?3 AND id <> ?1))
       AND NOT EXISTS (SELECT 1 FROM companies WHERE ${FOLDED_NAME_SQL} = ?4 AND id <> ?1)`,
  )
    .bind(companyId, input.name, input.customerNumber, foldCompanyName(input.name))
    .run();
  if (result.meta.changes !== 1) {
    if (!(await getCompany(db, companyId))) return { ok: false, status: 404, fieldErrors: {}, message: adminMessages.companyNotFound };
    return (await findConflict(db, input, companyId)) ?? customerNumberTaken(db, input.customerNumber ?? "", companyId);
  }

  console.info("admin: company updated", { companyId, userId: user.id });
  return { ok: true, companyId };
}

