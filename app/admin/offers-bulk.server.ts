import { inArray } from "drizzle-orm";
import * as v from "valibot";

import type { SessionUser } from "~/auth/session.server";
import type { Database } from "~/db/client.server";
import { orders } from "~/db/schema";
import { ORDER_STATUSES, type OrderStatus } from "~/db/values";
import { transitionMessages } from "~/orders/transition-messages";
import { ALLOWED_TRANSITIONS, changeStatusInBulk, MAX_BULK_ORDERS } from "~/orders/transitions.server";

// The overview's bulk state change. The form posts the ticked order ids and
// the target. The result comes back to the same overview URL as counts, the
// target and the ids of the first skipped orders in the query string. The
// overview reads those orders' numbers and states from D1 and renders
// everything through fixed German templates, so no text from the URL
// reaches the page.

/** Query parameters of the bulk result on the overview. */
const NOTICE_PARAMS = {
  changed: "geaendert",
  skipped: "uebersprungen",
  skippedIds: "uebersprungeneIds",
  status: "neuerStatus",
  error: "statusfehler",
} as const;

/** Most skipped orders the result names; the rest it counts ("und 5 weitere"). */
export const MAX_NAMED_SKIPPED = 10;

/** An order id as the URL may carry it: a UUID or a similar token, never free text. */
const ORDER_ID = /^[A-Za-z0-9-]{1,64}$/;

const BULK_ERRORS = {
  none: transitionMessages.bulkNoneSelected,
  "too-many": transitionMessages.bulkTooMany(MAX_BULK_ORDERS),
  "status-missing": transitionMessages.bulkStatusMissing,
  "status-unknown": transitionMessages.statusUnknown,
} as const;
type BulkError = keyof typeof BULK_ERRORS;

/** The states a bulk change may set: every state some other state may move to. */
export const BULK_TARGETS: OrderStatus[] = ORDER_STATUSES.filter((status) =>
  Object.values(ALLOWED_TRANSITIONS).some((targets) => targets.includes(status)),
);

type Environment = Pick<Env, "DB" | "OrderRoom" | "EMAIL_QUEUE"> & { PORTAL_URL?: string };

/** Builds the overview URL to return to: the view's query string without an earlier result, plus this result. */
export function overviewReturnUrl(view: string, notice: Record<string, string>): string {
  const params = new URLSearchParams(view.startsWith("?") ? view.slice(1) : view);
  for (const name of Object.values(NOTICE_PARAMS)) params.delete(name);
  for (const [name, value] of Object.entries(notice)) params.set(name, value);
  const search = params.toString();
  return search === "" ? "/" : `/?${search}`;
}

/**
 * Runs the overview's bulk form through `changeStatusInBulk` and returns the
 * overview URL to redirect to, with the counts of changed and skipped orders
 * and the ids of the first skipped ones, or an error code. Customers get a
 * 403 from `changeStatusInBulk`.
 */
export async function runBulkStatusChange(
  env: Environment,
  db: Database,
  user: SessionUser,
  form: FormData,
): Promise<{ ok: true; location: string } | { ok: false; status: 403; message: string }> {
  const view = form.get("view");
  const back = (notice: Record<string, string>) => overviewReturnUrl(typeof view === "string" ? view : "", notice);
  const fail = (error: BulkError) => ({ ok: true as const, location: back({ [NOTICE_PARAMS.error]: error }) });

  const to = form.get("to");
  if (to === null || to === "") return fail("status-missing");
  const target = v.safeParse(v.picklist(ORDER_STATUSES), to);
  if (!target.success) return fail("status-unknown");
  const orderIds = form.getAll("orderIds").filter((value): value is string => typeof value === "string" && value !== "");

  const result = await changeStatusInBulk(env, db, user, orderIds, target.output);
  if (!result.ok) {
    if (result.status === 403) return { ok: false, status: 403, message: result.message };
    if (orderIds.length === 0) return fail("none");
    if (orderIds.length > MAX_BULK_ORDERS) return fail("too-many");
    return fail("status-unknown");
  }

  return {
    ok: true,
    location: back({
      [NOTICE_PARAMS.changed]: String(result.changed.length),
      [NOTICE_PARAMS.skipped]: String(result.skipped.length),
      ...(result.skipped.length > 0 ? { [NOTICE_PARAMS.skippedIds]: result.skipped.slice(0, MAX_NAMED_SKIPPED).join(",") } : {}),
      [NOTICE_PARAMS.status]: target.output,
    }),
  };
}

/** A bulk result as the overview shows it: a summary sentence and, for skipped orders, one line each. */
export interface BulkNotice {
  ok: boolean;
  message: string;
  details: string[];
}

/**
 * Reads a bulk result from the overview's URL and renders it from the fixed
 * templates, or returns null for parameters it did not write. The skipped
 * orders are named by the numbers and states D1 has now, with the reason
 * the target does not fit them.
 */
export async function loadBulkNotice(db: Database, params: URLSearchParams): Promise<BulkNotice | null> {
  const error = params.get(NOTICE_PARAMS.error);
  if (error !== null) {
    return Object.hasOwn(BULK_ERRORS, error) ? { ok: false, message: BULK_ERRORS[error as BulkError], details: [] } : null;
  }

  const count = (name: string) => {
    const value = params.get(name) ?? "";
    return /^\d{1,4}$/.test(value) ? Number(value) : null;
  };
  const changed = count(NOTICE_PARAMS.changed);
  const skipped = count(NOTICE_PARAMS.skipped);
  const status = v.safeParse(v.picklist(ORDER_STATUSES), params.get(NOTICE_PARAMS.status));
  if (changed === null || skipped === null || !status.success) return null;

  const skippedIds = (params.get(NOTICE_PARAMS.skippedIds) ?? "")
    .split(",")
    .filter((id) => ORDER_ID.test(id))
    .slice(0, Math.min(skipped, MAX_NAMED_SKIPPED));
  return {
    ok: changed > 0,
    message: transitionMessages.bulkResultSummary(changed, skipped, status.output),
    details: skipped === 0 ? [] : await describeSkippedOrders(db, skippedIds, skipped, status.output),
  };
}

/** Explains per skipped order why the target does not fit, then counts the ones not named. */
async function describeSkippedOrders(db: Database, ids: string[], skipped: number, to: OrderStatus): Promise<string[]> {
  const rows =
    ids.length === 0
      ? []
      : await db
          .select({ id: orders.id, offerNumber: orders.offerNumber, orderNumber: orders.orderNumber, status: orders.status })
          .from(orders)
          .where(inArray(orders.id, ids));
  const byId = new Map(rows.map((row) => [row.id, row]));

  const lines: string[] = [];
  let notFound = 0;
  for (const id of ids) {
    const order = byId.get(id);
    if (order) lines.push(skipReason(order.orderNumber ?? order.offerNumber, order.status, to));
    else notFound += 1;
  }
  if (notFound > 0) lines.push(transitionMessages.bulkSkippedNotFound(notFound));
  if (skipped > ids.length) lines.push(transitionMessages.bulkSkippedMore(skipped - ids.length));
  return lines;
}

/** Says why an order in state `from` did not move to `to`, from its state as it is now. */
function skipReason(number: string, from: OrderStatus, to: OrderStatus): string {
  if (from === to) return transitionMessages.bulkSkippedAlready(number, to);
  const targets = ALLOWED_TRANSITIONS[from];
  if (targets.length === 0) return transitionMessages.bulkSkippedFinal(number, from);
  // The state allows the target now, so something else stopped the change, such as an edit at the same moment.
  if (targets.includes(to)) return transitionMessages.bulkSkippedRetry(number);
  return transitionMessages.bulkSkippedOnlyTo(number, from, targets);
}

/** Returns the URL without the bulk result's parameters, so that paging links and filters do not carry the message along. */
export function withoutBulkNotice(url: URL): URL {
  const copy = new URL(url);
  for (const name of Object.values(NOTICE_PARAMS)) copy.searchParams.delete(name);
  return copy;
}
