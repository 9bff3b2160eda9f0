import { and, eq, inArray } from "drizzle-orm";

import { findAccessibleOrder, isStaff } from "~/auth/guard.server";
import type { SessionUser } from "~/auth/session.server";
import { chunked } from "~/db/chunks";
import type { Database } from "~/db/client.server";
import { companies, files, orders, users } from "~/db/schema";
import type { ApprovalKind, OrderStatus } from "~/db/values";
import { portalBaseUrl } from "~/email/layout.server";
import { renderOfferAcceptedEmail, renderOrderConfirmationEmail, renderPrintReadyEmail } from "~/email/order-emails.server";
import { enqueueEmail } from "~/email/outbox.server";
import { messages } from "~/messages";
import { publishToOrderRoom } from "~/room/publish.server";
import { getShopSettings } from "~/shop-settings.server";

import { transitionMessages } from "./transition-messages";

/** The states an order may move to from each state: forward one step, or an offer withdrawn. */
export const ALLOWED_TRANSITIONS: Record<OrderStatus, readonly OrderStatus[]> = {
  offer: ["ordered", "withdrawn"],
  ordered: ["print_ready"],
  print_ready: ["production"],
  production: ["invoiced"],
  invoiced: [],
  withdrawn: [],
};

/** D1 binds at most 100 parameters per statement. */
export const D1_MAX_BOUND_PARAMETERS = 100;
/** Most orders one bulk change accepts. */
export const MAX_BULK_ORDERS = 500;
/** Order ids per bulk statement: the limit minus the statement's other parameters (at most 5). */
const BULK_CHUNK_SIZE = D1_MAX_BOUND_PARAMETERS - 5;

/** Origin of a state change, written into the history entry. */
export type TransitionVia = "accept" | "print_ready" | "staff" | "bulk";

type Environment = Pick<Env, "DB" | "OrderRoom" | "EMAIL_QUEUE"> & { PORTAL_URL?: string };

export type TransitionResult =
  | { ok: true; changed: boolean; status: OrderStatus; version: number; orderNumber: string | null; message: string }
  | { ok: false; status: 400 | 403 | 404 | 409; message: string };

export interface TransitionRequest {
  orderId: string;
  to: OrderStatus;
  /** The order's version the user's page showed. */
  expectedVersion: number;
}

/** Returns the history entry id of the change that gave the order this version: one entry per version, however often a request is repeated. */
export function statusEventId(orderId: string, version: number): string {
  return `${orderId}:v${version}`;
}

/**
 * Accepts an offer for a customer contact: the order becomes "Bestellt" and
 * gets the next number of the shop's order number range. A second
 * acceptance, by the same contact or another one, changes nothing and
 * returns the number the first one gave.
 */
export function acceptOffer(env: Environment, db: Database, user: SessionUser, orderId: string, expectedVersion: number) {
  return changeOrderStatus(env, db, user, { orderId, to: "ordered", expectedVersion }, "accept");
}

/** Declares an ordered job ready for print for a customer contact, recording who did it and when. */
export function declarePrintReady(env: Environment, db: Database, user: SessionUser, orderId: string, expectedVersion: number) {
  return changeOrderStatus(env, db, user, { orderId, to: "print_ready", expectedVersion }, "print_ready");
}

/**
 * Moves one order to another state along ALLOWED_TRANSITIONS. Staff may make
 * every allowed change; customers only accept offers and declare orders
 * ready for print. The change applies only if the order still has the
 * expected version and state, all in one D1 batch: the order row, the
 * order number from the range, the history entry and the approval record.
 */
export async function changeOrderStatus(
  env: Environment,
  db: Database,
  user: SessionUser,
  request: TransitionRequest,
  via: TransitionVia = "staff",
): Promise<TransitionResult> {
  const order = await findAccessibleOrder(db, user, request.orderId);
  if (!order) return { ok: false, status: 404, message: messages.orderNotFound };

  const approvalKind = approvalKindFor(via);
  if (!isStaff(user) && !approvalKind) return { ok: false, status: 403, message: transitionMessages.customerForbidden };
  if (approvalKind && isStaff(user)) return { ok: false, status: 403, message: transitionMessages.acceptOnlyContacts };

  // A repeated acceptance or declaration finds the order in the target state already: it succeeds without a change.
  if (approvalKind && order.status === request.to) return alreadyDone(order, via);
  if (approvalKind === "offer_accepted" && order.status !== "offer") {
    return { ok: false, status: 409, message: transitionMessages.offerNotOpen(order.status) };
  }
  if (approvalKind === "print_ready" && order.status !== "ordered") {
    return { ok: false, status: 409, message: transitionMessages.printReadyNotPossible(order.status) };
  }
  if (approvalKind === "print_ready" && !(await hasPrintFiles(db, order.id))) {
    return { ok: false, status: 409, message: transitionMessages.printReadyWithoutFiles };
  }

  if (order.version !== request.expectedVersion) {
    return { ok: false, status: 409, message: transitionMessages.versionConflict(order.status) };
  }
  if (!ALLOWED_TRANSITIONS[order.status].includes(request.to)) {
    const allowed = transitionMessages.transitionAllowedTargets([...ALLOWED_TRANSITIONS[order.status]]);
    return { ok: false, status: 409, message: `${transitionMessages.transitionNotAllowed(order.status, request.to)} ${allowed}` };
  }

  const now = Date.now();
  const from = order.status;
  const nextVersion = order.version + 1;
  const takesOrderNumber = request.to === "ordered" && order.orderNumber === null;
  const applied = "id = ?1 AND version = ?2 + 1 AND updated_at = ?3 AND updated_by = ?4";
  const statements: D1PreparedStatement[] = [];

  if (takesOrderNumber) {
    // The counter moves only when the order is still in the expected state and version.
    statements.push(
      env.DB.prepare(
        "UPDATE shop_settings SET next_order_number = next_order_number + 1 WHERE id = 1 AND EXISTS (SELECT 1 FROM orders WHERE id = ?1 AND status = ?2 AND version = ?3)",
      ).bind(order.id, from, order.version),
    );
  }
  statements.push(
    env.DB.prepare(
      `UPDATE orders SET status = ?1, version = version + 1, updated_at = ?2, updated_by = ?3${
        takesOrderNumber ? ", order_number = CAST((SELECT next_order_number - 1 FROM shop_settings WHERE id = 1) AS TEXT)" : ""
      } WHERE id = ?4 AND status = ?5 AND version = ?6`,
    ).bind(request.to, now, user.id, order.id, from, order.version),
  );
  const orderUpdateIndex = statements.length - 1;
  statements.push(
    env.DB.prepare(
      `INSERT OR IGNORE INTO order_events (id, order_id, kind, actor_id, data, created_at)
       SELECT ?5, id, 'order.status_changed', ?4, json_object('from', ?6, 'to', status, 'via', ?7, 'orderNumber', order_number), ?3
       FROM orders WHERE ${applied}`,
    ).bind(order.id, order.version, now, user.id, statusEventId(order.id, nextVersion), from, via),
  );
  if (approvalKind) {
    statements.push(
      env.DB.prepare(
        `INSERT OR IGNORE INTO approvals (id, order_id, kind, user_id, created_at)
         SELECT ?5, id, ?6, ?4, ?3 FROM orders WHERE ${applied}`,
      ).bind(order.id, order.version, now, user.id, crypto.randomUUID(), approvalKind),
    );
  }

  let results: D1Result[];
  try {
    results = await env.DB.batch(statements);
  } catch (error) {
    if (takesOrderNumber && String(error).includes("orders.order_number")) {
      const shop = await getShopSettings(db);
      console.error("order-status: next order number is taken", { orderId: order.id, nextOrderNumber: shop.nextOrderNumber });
      return { ok: false, status: 409, message: transitionMessages.orderNumberTaken(String(shop.nextOrderNumber)) };
    }
    throw error;
  }

  const current = await db
    .select({ status: orders.status, version: orders.version, orderNumber: orders.orderNumber })
    .from(orders)
    .where(eq(orders.id, order.id))
    .get();
  if (!current) return { ok: false, status: 404, message: messages.orderNotFound };

  if (results[orderUpdateIndex]?.meta.changes !== 1) {
    // Someone else changed the order between our read and the batch.
    if (approvalKind && current.status === request.to) return alreadyDone(current, via);
    return { ok: false, status: 409, message: transitionMessages.versionConflict(current.status) };
  }

  console.info("order-status: changed", { orderId: order.id, userId: user.id, from, to: request.to, via, version: current.version });
  await publishToOrderRoom(env, order.id, { type: "order.updated", status: current.status, version: current.version });
  if (approvalKind && current.orderNumber) await notifyOfApproval(env, db, order.id, user, approvalKind, current.orderNumber);

  return {
    ok: true,
    changed: true,
    ...current,
    message: successMessage(via, current.status, current.orderNumber),
  };
}

export interface BulkTransitionResult {
  ok: true;
  changed: string[];
  skipped: string[];
  message: string;
}

/**
 * Moves many orders to one state (staff only). Only orders in the state
 * before the target change. The others are skipped and named in the result,
 * so a bulk change never undoes a change someone made meanwhile.
 *
 * Order ids are bound in chunks below D1's limit of 100 parameters per
 * statement, and all chunks run in one batch. Each accepted offer needs its
 * own order number, so "ordered" goes through `changeOrderStatus` per order.
 */
export async function changeStatusInBulk(
  env: Environment,
  db: Database,
  user: SessionUser,
  orderIds: string[],
  to: OrderStatus,
): Promise<BulkTransitionResult | { ok: false; status: 400 | 403; message: string }> {
  if (!isStaff(user)) return { ok: false, status: 403, message: transitionMessages.customerForbidden };
  const ids = [...new Set(orderIds)];
  if (ids.length === 0) return { ok: false, status: 400, message: transitionMessages.bulkNoneSelected };
  if (ids.length > MAX_BULK_ORDERS) return { ok: false, status: 400, message: transitionMessages.bulkTooMany(MAX_BULK_ORDERS) };

  const from = (Object.keys(ALLOWED_TRANSITIONS) as OrderStatus[]).find((status) => ALLOWED_TRANSITIONS[status].includes(to));
  if (!from) return { ok: false, status: 400, message: transitionMessages.transitionAllowedTargets([]) };

  if (to === "ordered") {
    const changed: string[] = [];
    for (const chunk of chunked(ids, BULK_CHUNK_SIZE)) {
      const offers = await db
        .select({ id: orders.id, version: orders.version })
        .from(orders)
        .where(and(inArray(orders.id, chunk), eq(orders.status, "offer")));
      for (const offer of offers) {
        const result = await changeOrderStatus(env, db, user, { orderId: offer.id, to, expectedVersion: offer.version }, "bulk");
        if (result.ok && result.changed) changed.push(offer.id);
      }
    }
    return bulkResult(ids, changed, to);
  }

  const now = Date.now();
  const statements = chunked(ids, BULK_CHUNK_SIZE).flatMap((chunk) => {
    const placeholders = chunk.map(() => "?").join(", ");
    return [
      env.DB.prepare(
        `UPDATE orders SET status = ?, version = version + 1, updated_at = ?, updated_by = ? WHERE status = ? AND id IN (${placeholders})`,
      ).bind(to, now, user.id, from, ...chunk),
      env.DB.prepare(
        `INSERT OR IGNORE INTO order_events (id, order_id, kind, actor_id, data, created_at)
         SELECT id || ':v' || version, id, 'order.status_changed', ?, json_object('from', ?, 'to', status, 'via', 'bulk', 'orderNumber', order_number), ?
         FROM orders WHERE updated_at = ? AND updated_by = ? AND id IN (${placeholders})`,
      ).bind(user.id, from, now, now, user.id, ...chunk),
    ];
  });
  await env.DB.batch(statements);

  const changed: { id: string; version: number }[] = [];
  for (const chunk of chunked(ids, BULK_CHUNK_SIZE)) {
    changed.push(
      ...(await db
        .select({ id: orders.id, version: orders.version })
        .from(orders)
        .where(and(inArray(orders.id, chunk), eq(orders.updatedAt, now), eq(orders.updatedBy, user.id), eq(orders.status, to)))),
    );
  }

  console.info("order-status: bulk change", { userId: user.id, from, to, requested: ids.length, changed: changed.length });
  await Promise.all(
    changed.map((order) => publishToOrderRoom(env, order.id, { type: "order.updated", status: to, version: order.version })),
  );
  return bulkResult(
    ids,
    changed.map((order) => order.id),
    to,
  );
}

function bulkResult(ids: string[], changed: string[], to: OrderStatus): BulkTransitionResult {
  const changedSet = new Set(changed);
  const skipped = ids.filter((id) => !changedSet.has(id));
  return { ok: true, changed, skipped, message: transitionMessages.bulkResult(changed.length, skipped.length, to) };
}

async function hasPrintFiles(db: Database, orderId: string): Promise<boolean> {
  const file = await db.select({ id: files.id }).from(files).where(eq(files.orderId, orderId)).limit(1).get();
  return file !== undefined;
}

function approvalKindFor(via: TransitionVia): ApprovalKind | null {
  if (via === "accept") return "offer_accepted";
  if (via === "print_ready") return "print_ready";
  return null;
}

function alreadyDone(
  order: { status: OrderStatus; version: number; orderNumber: string | null },
  via: TransitionVia,
): TransitionResult {
  const message =
    via === "accept" && order.orderNumber
      ? transitionMessages.offerAlreadyAccepted(order.orderNumber)
      : transitionMessages.printReadyAlreadyDeclared;
  return { ok: true, changed: false, status: order.status, version: order.version, orderNumber: order.orderNumber, message };
}

function successMessage(via: TransitionVia, status: OrderStatus, orderNumber: string | null): string {
  if (via === "accept" && orderNumber) return transitionMessages.offerAccepted(orderNumber);
  if (via === "print_ready") return transitionMessages.printReadyDeclared;
  return transitionMessages.statusChanged(status);
}

/**
 * E-mails the news of a customer's approval: on an accepted offer the order
 * manager and the accepting contact, on a print-ready declaration the order
 * manager. The outbox keys make each e-mail one per order.
 */
async function notifyOfApproval(
  env: Environment,
  db: Database,
  orderId: string,
  customer: SessionUser,
  kind: ApprovalKind,
  orderNumber: string,
) {
  const row = await db
    .select({
      title: orders.title,
      offerNumber: orders.offerNumber,
      companyName: companies.name,
      managerName: users.name,
      managerEmail: users.email,
      managerActive: users.active,
    })
    .from(orders)
    .innerJoin(companies, eq(companies.id, orders.companyId))
    .leftJoin(users, eq(users.id, orders.managerId))
    .where(eq(orders.id, orderId))
    .get();
  if (!row) return;

  const shop = await getShopSettings(db);
  const content = {
    shop,
    customerName: customer.name,
    companyName: row.companyName,
    offerNumber: row.offerNumber,
    orderNumber,
    orderTitle: row.title,
    orderUrl: `${portalBaseUrl(env)}/auftraege/${orderId}`,
  };

  if (row.managerEmail && row.managerName && row.managerActive) {
    const email =
      kind === "offer_accepted"
        ? renderOfferAcceptedEmail({ ...content, recipientName: row.managerName })
        : renderPrintReadyEmail({ ...content, recipientName: row.managerName });
    const emailKind = kind === "offer_accepted" ? "offer-accepted" : "print-ready";
    const emailId = await enqueueEmail(env, db, {
      idempotencyKey: `${emailKind}:${orderId}`,
      kind: emailKind,
      to: row.managerEmail,
      toName: row.managerName,
      ...email,
    });
    console.info("order-status: manager notified", { orderId, kind, emailId });
  } else {
    console.warn("order-status: order has no active manager to notify", { orderId, kind });
  }

  if (kind === "offer_accepted") {
    const emailId = await enqueueEmail(env, db, {
      idempotencyKey: `order-confirmation:${orderId}`,
      kind: "order-confirmation",
      to: customer.email,
      toName: customer.name,
      ...renderOrderConfirmationEmail({ ...content, recipientName: customer.name }),
    });
    console.info("order-status: customer sent the order confirmation", { orderId, userId: customer.id, emailId });
  }
}
