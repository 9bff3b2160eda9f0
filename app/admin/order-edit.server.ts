import { asc, eq } from "drizzle-orm";
import * as v from "valibot";

import { isStaff } from "~/auth/guard.server";
import type { SessionUser } from "~/auth/session.server";
import type { Database } from "~/db/client.server";
import { companies, documents, orders } from "~/db/schema";
import { ORDER_SPEC_FIELDS, ORDER_STATUSES, type OrderSpec } from "~/db/values";
import { messages } from "~/messages";
import { orderSpecLabels } from "~/orders/order-page-messages";
import { transitionMessages } from "~/orders/transition-messages";
import { ALLOWED_TRANSITIONS, changeOrderStatus, statusEventId } from "~/orders/transitions.server";
import { publishToOrderRoom } from "~/room/publish.server";

import { removeDocument, setApprovalLink, uploadDocument } from "./documents.server";
import { checkPeople, listContacts, listManagers, parseOrderFields, type OrderFields } from "./offers.server";
import { offerMessages, orderFieldLabels } from "./offer-messages";

type Environment = Pick<Env, "DB" | "FILES" | "OrderRoom" | "EMAIL_QUEUE"> & { PORTAL_URL?: string };

/** The outcome of one form on the order's back office page. */
export type OrderActionResult = { ok: true; message: string } | { ok: false; status: 400 | 403 | 404 | 409 | 500; message: string; errors?: string[] };

/** Loads everything the back office page of an order shows, or null for an unknown order id. */
export async function loadOrderForEdit(db: Database, orderId: string) {
  const order = await db
    .select({
      id: orders.id,
      companyId: orders.companyId,
      companyName: companies.name,
      offerNumber: orders.offerNumber,
      orderNumber: orders.orderNumber,
      title: orders.title,
      status: orders.status,
      managerId: orders.managerId,
      contactId: orders.contactId,
      spec: orders.spec,
      terms: orders.terms,
      version: orders.version,
      createdAt: orders.createdAt,
      updatedAt: orders.updatedAt,
    })
    .from(orders)
    .innerJoin(companies, eq(companies.id, orders.companyId))
    .where(eq(orders.id, orderId))
    .get();
  if (!order) return null;

  const [contacts, managers, documentRows] = await Promise.all([
    listContacts(db, order.companyId),
    listManagers(db),
    db
      .select({
        id: documents.id,
        kind: documents.kind,
        title: documents.title,
        fileName: documents.fileName,
        url: documents.url,
        createdAt: documents.createdAt,
        updatedAt: documents.updatedAt,
      })
      .from(documents)
      .where(eq(documents.orderId, order.id))
      .orderBy(asc(documents.createdAt)),
  ]);
  return { order, contacts, managers, documents: documentRows, nextStatuses: [...ALLOWED_TRANSITIONS[order.status]] };
}

const versionSchema = v.pipe(v.string(), v.regex(/^\d{1,9}$/), v.transform(Number), v.integer(), v.minValue(1));

/** Names the fields whose values differ, with their German labels in form order. */
export function changedFieldLabels(before: OrderFields, after: OrderFields): string[] {
  const labels: string[] = [];
  if (before.title !== after.title) labels.push(orderFieldLabels.title);
  for (const field of ORDER_SPEC_FIELDS) {
    if ((before.spec[field] ?? "") !== (after.spec[field] ?? "")) labels.push(orderSpecLabels[field]);
  }
  if ((before.terms ?? "") !== (after.terms ?? "")) labels.push(orderFieldLabels.terms);
  if (before.contactId !== after.contactId) labels.push(orderFieldLabels.contactId);
  if (before.managerId !== after.managerId) labels.push(orderFieldLabels.managerId);
  return labels;
}

/**
 * Saves the edit form: title, specification, terms, contact and manager.
 * The change applies only if the order still has the version the form
 * showed. Otherwise nothing changes, and the result is a 409 naming the
 * order's current state. The row and its "order.updated" history entry
 * (with the German labels of the changed fields) go into one D1 batch, and
 * the order's room gets "order.updated".
 */
export async function updateOrder(env: Environment, db: Database, user: SessionUser, orderId: string, form: FormData): Promise<OrderActionResult> {
  if (!isStaff(user)) return { ok: false, status: 403, message: messages.staffOnly };
  const order = await db.select().from(orders).where(eq(orders.id, orderId)).get();
  if (!order) return { ok: false, status: 404, message: messages.orderNotFound };

  const version = v.safeParse(versionSchema, form.get("version"));
  if (!version.success) return { ok: false, status: 400, message: transitionMessages.versionInvalid };
  const parsed = parseOrderFields(form);
  if (!parsed.ok) return { ok: false, status: 400, message: parsed.errors.join(" "), errors: parsed.errors };
  if (order.version !== version.output) return { ok: false, status: 409, message: transitionMessages.versionConflict(order.status) };

  const after = parsed.fields;
  const before: OrderFields = {
    title: order.title,
    spec: order.spec as OrderSpec,
    terms: order.terms,
    contactId: order.contactId ?? "",
    managerId: order.managerId ?? "",
  };
  const changed = changedFieldLabels(before, after);
  if (changed.length === 0) return { ok: true, message: offerMessages.orderUnchanged };

  // Only new choices are checked, because a contact or manager that did not change may have left since.
  const peopleErrors = (await checkPeople(db, order.companyId, after)).filter(
    (error) =>
      (error === offerMessages.contactNotInCompany && after.contactId !== before.contactId) ||
      (error === offerMessages.managerUnknown && after.managerId !== before.managerId),
  );
  if (peopleErrors.length > 0) return { ok: false, status: 400, message: peopleErrors.join(" "), errors: peopleErrors };

  const now = Date.now();
  const [update] = await env.DB.batch([
    env.DB.prepare(
      `UPDATE orders SET title = ?1, spec = ?2, terms = ?3, contact_id = ?4, manager_id = ?5,
         version = version + 1, updated_at = ?6, updated_by = ?7
       WHERE id = ?8 AND version = ?9`,
    ).bind(after.title, JSON.stringify(after.spec), after.terms, after.contactId, after.managerId, now, user.id, order.id, order.version),
    env.DB.prepare(
      `INSERT OR IGNORE INTO order_events (id, order_id, kind, actor_id, data, created_at)
       SELECT ?1, id, 'order.updated', ?2, json_object('fields', ?3), ?4
       FROM orders WHERE id = ?5 AND version = ?6 + 1 AND updated_at = ?4 AND updated_by = ?2`,
    ).bind(statusEventId(order.id, order.version + 1), user.id, changed.join(", "), now, order.id, order.version),
  ]);

  const current = await db.select({ status: orders.status, version: orders.version }).from(orders).where(eq(orders.id, order.id)).get();
  if (!current) return { ok: false, status: 404, message: messages.orderNotFound };
  if (update?.meta.changes !== 1) {
    console.info("order-edit: version conflict", { orderId: order.id, userId: user.id, expected: order.version, current: current.version });
    return { ok: false, status: 409, message: transitionMessages.versionConflict(current.status) };
  }

  console.info("order-edit: order updated", { orderId: order.id, userId: user.id, version: current.version, fields: changed.length });
  await publishToOrderRoom(env, order.id, { type: "order.updated", status: current.status, version: current.version });
  return { ok: true, message: offerMessages.orderSaved };
}

/** Moves the order to the state the form names, through `changeOrderStatus`, with the version the form showed. */
export async function changeStatusFromForm(env: Environment, db: Database, user: SessionUser, orderId: string, form: FormData): Promise<OrderActionResult> {
  const rawTarget = form.get("to");
  if (rawTarget === null || rawTarget === "") return { ok: false, status: 400, message: offerMessages.statusTargetMissing };
  const target = v.safeParse(v.picklist(ORDER_STATUSES), rawTarget);
  if (!target.success) return { ok: false, status: 400, message: transitionMessages.statusUnknown };
  const version = v.safeParse(versionSchema, form.get("version"));
  if (!version.success) return { ok: false, status: 400, message: transitionMessages.versionInvalid };

  const result = await changeOrderStatus(env, db, user, { orderId, to: target.output, expectedVersion: version.output }, "staff");
  return result.ok ? { ok: true, message: result.message } : result;
}

/**
 * Runs one form of the order's back office page, chosen by its `intent`:
 * save the fields, change the state, withdraw the offer, upload or remove a
 * document, or set the approval link.
 */
export async function handleOrderAction(env: Environment, db: Database, user: SessionUser, orderId: string, form: FormData): Promise<OrderActionResult> {
  switch (form.get("intent")) {
    case "update":
      return updateOrder(env, db, user, orderId, form);
    case "status":
      return changeStatusFromForm(env, db, user, orderId, form);
    case "withdraw":
      form.set("to", "withdrawn");
      return changeStatusFromForm(env, db, user, orderId, form);
    case "upload-document":
      return documentResult(await uploadDocument(env, db, user, orderId, form.get("kind"), form.get("file")));
    case "remove-document":
      return documentResult(await removeDocument(env, db, user, orderId, form.get("documentId")));
    case "approval-link":
      return documentResult(await setApprovalLink(env, db, user, orderId, form.get("url") ?? ""));
    default:
      return { ok: false, status: 400, message: offerMessages.formInvalid };
  }
}

function documentResult(result: Awaited<ReturnType<typeof uploadDocument>>): OrderActionResult {
  return result.ok ? { ok: true, message: result.message } : result;
}
