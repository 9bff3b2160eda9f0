import { and, asc, eq, inArray } from "drizzle-orm";
import * as v from "valibot";

import { hasPermission } from "~/auth/authorization.server";
import type { SessionUser } from "~/auth/session.server";
import type { Database } from "~/db/client.server";
import { companies, orders, users } from "~/db/schema";
import { ORDER_SPEC_FIELDS, type OrderSpec, type OrderSpecField } from "~/db/values";
import { orderSpecLabels } from "~/orders/order-page-messages";
import { getShopSettings } from "~/shop-settings.server";

import { checkPdfUpload, deleteDocumentObject, documentObjectKey, putDocumentObject } from "./documents.server";
import { offerMessages, SPEC_FIELD_MAX_LENGTH, TERMS_MAX_LENGTH, TITLE_MAX_LENGTH } from "./offer-messages";

/** Roles that may be an order's manager. */
const MANAGER_ROLES = ["manager", "admin"] as const;

type Environment = Pick<Env, "DB" | "FILES" | "OrderRoom">;

export function canEditOffers(user: SessionUser): boolean {
  return hasPermission(user, "editOffers");
}

/** The order fields staff enter on the offer form and the order's edit form. */
export interface OrderFields {
  title: string;
  spec: OrderSpec;
  terms: string | null;
  contactId: string;
  managerId: string;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Tells a real calendar day in yyyy-mm-dd, as `<input type="date">` sends it, from anything else. */
function isIsoDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

const berlinDate = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Berlin", year: "numeric", month: "2-digit", day: "2-digit" });

/**
 * Returns the earliest delivery date a new offer accepts, as yyyy-mm-dd:
 * yesterday in Berlin, so that an offer typed shortly after midnight may
 * still name the day before.
 */
export function earliestDeliveryDate(now: number = Date.now()): string {
  const [year, month, day] = berlinDate.format(now).split("-").map(Number);
  return new Date(Date.UTC(year, month - 1, day - 1)).toISOString().slice(0, 10);
}

const optionalText = (max: number, tooLong: string) => v.pipe(v.optional(v.string(), ""), v.trim(), v.maxLength(max, tooLong));

const specText = (field: Exclude<OrderSpecField, "deliveryDate">) =>
  optionalText(SPEC_FIELD_MAX_LENGTH, offerMessages.specTooLong(orderSpecLabels[field], SPEC_FIELD_MAX_LENGTH));

const specSchema = v.object({
  format: specText("format"),
  extent: specText("extent"),
  colours: specText("colours"),
  paper: specText("paper"),
  finishing: specText("finishing"),
  quantity: specText("quantity"),
  deliveryDate: v.pipe(
    optionalText(10, offerMessages.deliveryDateInvalid),
    v.check((value) => value === "" || isIsoDate(value), offerMessages.deliveryDateInvalid),
  ),
});

/** The form fields of an order, as the offer and the edit form send them. Spec fields are named `spec.<field>`. */
export const orderFieldsSchema = v.object({
  title: v.pipe(
    v.optional(v.string(), ""),
    v.trim(),
    v.nonEmpty(offerMessages.titleMissing),
    v.maxLength(TITLE_MAX_LENGTH, offerMessages.titleTooLong(TITLE_MAX_LENGTH)),
  ),
  spec: specSchema,
  terms: optionalText(TERMS_MAX_LENGTH, offerMessages.termsTooLong(TERMS_MAX_LENGTH)),
  contactId: v.pipe(v.optional(v.string(), ""), v.nonEmpty(offerMessages.contactMissing)),
  managerId: v.pipe(v.optional(v.string(), ""), v.nonEmpty(offerMessages.managerMissing)),
});

/** Picks the string values of a form, so that a file in a text field counts as missing. */
export function formText(form: FormData, name: string): string | undefined {
  const value = form.get(name);
  return typeof value === "string" ? value : undefined;
}

/**
 * Validates the order fields of a form. Returns every problem at once, so
 * that the form can show them together.
 */
export function parseOrderFields(form: FormData): { ok: true; fields: OrderFields } | { ok: false; errors: string[] } {
  const input = {
    title: formText(form, "title"),
    spec: Object.fromEntries(ORDER_SPEC_FIELDS.map((field) => [field, formText(form, `spec.${field}`)])),
    terms: formText(form, "terms"),
    contactId: formText(form, "contactId"),
    managerId: formText(form, "managerId"),
  };
  const parsed = v.safeParse(orderFieldsSchema, input, { abortEarly: false });
  if (!parsed.success) return { ok: false, errors: [...new Set(parsed.issues.map((issue) => issue.message))] };

  const spec: OrderSpec = {};
  for (const field of ORDER_SPEC_FIELDS) {
    const value = parsed.output.spec[field];
    if (value) spec[field] = value;
  }
  return {
    ok: true,
    fields: { ...parsed.output, spec, terms: parsed.output.terms === "" ? null : parsed.output.terms },
  };
}

/** Checks that the contact is an active customer of the company and the manager an active order manager or administrator. */
export async function checkPeople(db: Database, companyId: string, fields: Pick<OrderFields, "contactId" | "managerId">): Promise<string[]> {
  const people = await db
    .select({ id: users.id, role: users.role, companyId: users.companyId, active: users.active })
    .from(users)
    .where(inArray(users.id, [fields.contactId, fields.managerId]));
  const contact = people.find((person) => person.id === fields.contactId);
  const manager = people.find((person) => person.id === fields.managerId);

  const errors: string[] = [];
  if (!contact || contact.role !== "customer" || contact.companyId !== companyId || !contact.active) errors.push(offerMessages.contactNotInCompany);
  if (!manager || !(MANAGER_ROLES as readonly string[]).includes(manager.role) || !manager.active) errors.push(offerMessages.managerUnknown);
  return errors;
}

/** Lists what the offer form offers to choose: companies, their active contacts, and the active order managers and administrators. */
export async function listOfferFormChoices(db: Database) {
  const [companyRows, contactRows, managerRows] = await Promise.all([
    db.select({ id: companies.id, name: companies.name }).from(companies).orderBy(asc(companies.name), asc(companies.id)),
    listContacts(db),
    listManagers(db),
  ]);
  return { companies: companyRows, contacts: contactRows, managers: managerRows };
}

/** Lists active customer contacts, of one company or of all, by name. */
export function listContacts(db: Database, companyId?: string) {
  const conditions = [eq(users.role, "customer"), eq(users.active, true)];
  if (companyId) conditions.push(eq(users.companyId, companyId));
  return db
    .select({ id: users.id, name: users.name, email: users.email, companyId: users.companyId })
    .from(users)
    .where(and(...conditions))
    .orderBy(asc(users.name), asc(users.id));
}

/** Lists the active order managers and administrators, by name. */
export function listManagers(db: Database) {
  return db
    .select({ id: users.id, name: users.name, role: users.role })
    .from(users)
    .where(and(inArray(users.role, [...MANAGER_ROLES]), eq(users.active, true)))
    .orderBy(asc(users.name), asc(users.id));
}

const numberSchema = v.variant("numberSource", [
  v.object({ numberSource: v.literal("range"), versionSuffix: v.pipe(v.string(), v.regex(/^(0[1-9]|[1-9]\d)$/, offerMessages.versionSuffixInvalid)) }),
  v.object({
    numberSource: v.literal("typed"),
    baseNumber: v.pipe(v.optional(v.string(), ""), v.trim(), v.regex(/^[1-9]\d{0,9}$/, offerMessages.baseNumberInvalid)),
    versionSuffix: v.pipe(v.string(), v.regex(/^(0[1-9]|[1-9]\d)$/, offerMessages.versionSuffixInvalid)),
  }),
], offerMessages.numberSourceInvalid);

export type OfferNumberChoice = v.InferOutput<typeof numberSchema>;

export type CreateOfferResult =
  | { ok: true; orderId: string; offerNumber: string }
  | { ok: false; status: 400 | 403 | 409 | 500; errors: string[] };

/**
 * Creates an offer from the offer form: status "offer", version 1, the
 * "order.created" history entry and, with an uploaded PDF, the offer
 * document and its "document.added" entry, all in one D1 batch. With a
 * number from the range, the batch also advances `next_offer_number` and
 * takes the number it had, so two offers created at once get two numbers.
 * An offer number that exists already is rejected before anything is
 * written. If another offer takes the number in between, the unique index
 * on `orders.offer_number` rejects the batch as a whole.
 */
export async function createOffer(env: Environment, db: Database, user: SessionUser, form: FormData): Promise<CreateOfferResult> {
  if (!canEditOffers(user)) return { ok: false, status: 403, errors: [offerMessages.managersOnly] };

  const errors: string[] = [];
  const companyId = formText(form, "companyId") ?? "";
  if (companyId === "") errors.push(offerMessages.companyMissing);
  const fields = parseOrderFields(form);
  if (!fields.ok) errors.push(...fields.errors);
  // Only a new offer checks this: editing an order keeps its old delivery date.
  const deliveryDate = fields.ok ? fields.fields.spec.deliveryDate : undefined;
  if (deliveryDate && deliveryDate < earliestDeliveryDate()) errors.push(offerMessages.deliveryDateInPast(deliveryDate));
  const number = v.safeParse(numberSchema, {
    numberSource: formText(form, "numberSource"),
    baseNumber: formText(form, "baseNumber"),
    versionSuffix: (formText(form, "versionSuffix") ?? "").trim(),
  });
  if (!number.success) errors.push(number.issues[0].message);

  const pdfValue = form.get("offerPdf");
  const hasPdf = pdfValue instanceof File && (pdfValue.size > 0 || pdfValue.name !== "");
  const pdf = hasPdf ? await checkPdfUpload(pdfValue) : null;
  if (pdf && !pdf.ok) errors.push(pdf.message);
  if (errors.length > 0 || !fields.ok || !number.success) return { ok: false, status: 400, errors };

  const company = companyId ? await db.select({ id: companies.id }).from(companies).where(eq(companies.id, companyId)).get() : undefined;
  if (!company) return { ok: false, status: 400, errors: [offerMessages.companyUnknown] };
  const peopleErrors = await checkPeople(db, company.id, fields.fields);
  if (peopleErrors.length > 0) return { ok: false, status: 400, errors: peopleErrors };

  // Check before writing, so that a taken number costs no number of the range.
  const choice = number.output;
  const fromRange = choice.numberSource === "range";
  const candidate = fromRange
    ? `${(await getShopSettings(db)).nextOfferNumber}.${choice.versionSuffix}`
    : `${choice.baseNumber}.${choice.versionSuffix}`;
  if (await offerNumberExists(db, candidate)) {
    return { ok: false, status: 409, errors: [fromRange ? offerMessages.rangeNumberTaken(candidate) : offerMessages.offerNumberTaken(candidate)] };
  }

  const orderId = crypto.randomUUID();
  const documentId = crypto.randomUUID();
  const r2Key = documentObjectKey(orderId, documentId);
  const upload = pdf?.ok ? pdf.upload : null;
  if (upload) await putDocumentObject(env, r2Key, upload);

  const now = Date.now();
  const offerNumberSql = fromRange ? "CAST((SELECT next_offer_number - 1 FROM shop_settings WHERE id = 1) AS TEXT) || '.' || ?3" : "?3";
  const statements: D1PreparedStatement[] = [];
  if (fromRange) statements.push(env.DB.prepare("UPDATE shop_settings SET next_offer_number = next_offer_number + 1 WHERE id = 1"));
  statements.push(
    env.DB.prepare(
      `INSERT INTO orders (id, company_id, offer_number, title, status, manager_id, contact_id, spec, terms, version, created_at)
       VALUES (?1, ?2, ${offerNumberSql}, ?4, 'offer', ?5, ?6, ?7, ?8, 1, ?9)`,
    ).bind(
      orderId,
      company.id,
      fromRange ? choice.versionSuffix : candidate,
      fields.fields.title,
      fields.fields.managerId,
      fields.fields.contactId,
      JSON.stringify(fields.fields.spec),
      fields.fields.terms,
      now,
    ),
    env.DB.prepare(
      `INSERT INTO order_events (id, order_id, kind, actor_id, data, created_at)
       SELECT ?1, id, 'order.created', ?2, json_object('offerNumber', offer_number, 'title', title), ?3 FROM orders WHERE id = ?4`,
    ).bind(crypto.randomUUID(), user.id, now, orderId),
  );
  if (upload) {
    // The document's title contains the offer number, which the range gives only inside the batch.
    statements.push(
      env.DB.prepare(
        `INSERT INTO documents (id, order_id, kind, title, file_name, r2_key, url, created_at, uploaded_by)
         SELECT ?1, id, 'offer', 'Angebot #' || offer_number, ?2, ?3, NULL, ?4, ?5 FROM orders WHERE id = ?6`,
      ).bind(documentId, upload.fileName, r2Key, now, user.id, orderId),
      env.DB.prepare(
        `INSERT INTO order_events (id, order_id, kind, actor_id, data, created_at)
         SELECT ?1, order_id, 'document.added', ?2, json_object('kind', kind, 'title', title), ?3 FROM documents WHERE id = ?4`,
      ).bind(crypto.randomUUID(), user.id, now, documentId),
    );
  }

  try {
    await env.DB.batch(statements);
  } catch (error) {
    if (upload) await deleteDocumentObject(env, r2Key, { orderId, documentId });
    if (String(error).includes("orders.offer_number")) {
      console.info("offers: offer number taken meanwhile", { userId: user.id, candidate });
      return { ok: false, status: 409, errors: [offerMessages.offerNumberTaken(candidate)] };
    }
    console.error("offers: D1 batch failed", { orderId, userId: user.id, error: String(error) });
    throw error;
  }

  const created = await db.select({ offerNumber: orders.offerNumber }).from(orders).where(eq(orders.id, orderId)).get();
  const offerNumber = created?.offerNumber ?? candidate;
  console.info("offers: offer created", { orderId, offerNumber, userId: user.id, fromRange, withPdf: upload !== null });
  return { ok: true, orderId, offerNumber };
}

async function offerNumberExists(db: Database, offerNumber: string): Promise<boolean> {
  const row = await db.select({ id: orders.id }).from(orders).where(eq(orders.offerNumber, offerNumber)).get();
  return row !== undefined;
}
