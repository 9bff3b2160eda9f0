import * as v from "valibot";

import type { SessionUser } from "~/auth/session.server";
import type { Database } from "~/db/client.server";
import { ORDER_STATUSES, type OrderStatus } from "~/db/values";
import { transitionMessages } from "~/orders/transition-messages";
import { ALLOWED_TRANSITIONS, changeStatusInBulk, MAX_BULK_ORDERS } from "~/orders/transitions.server";

// The overview's bulk state change. The form posts the ticked order ids and
// the target. The result comes back to the same overview URL as counts in
// the query string. The overview renders them through a fixed German
// template, so no text from the URL reaches the page.

/** Query parameters of the bulk result on the overview. */
const NOTICE_PARAMS = { changed: "geaendert", skipped: "uebersprungen", status: "neuerStatus", error: "statusfehler" } as const;

const BULK_ERRORS = {
  none: transitionMessages.bulkNoneSelected,
  "too-many": transitionMessages.bulkTooMany(MAX_BULK_ORDERS),
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
 * or an error code. Customers get a 403 from `changeStatusInBulk`.
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

  const target = v.safeParse(v.picklist(ORDER_STATUSES), form.get("to"));
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
      [NOTICE_PARAMS.status]: target.output,
    }),
  };
}

/** Reads a bulk result from the overview's URL and renders it from the fixed templates, or returns null. */
export function readBulkNotice(params: URLSearchParams): { ok: boolean; message: string } | null {
  const error = params.get(NOTICE_PARAMS.error);
  if (error !== null) {
    return Object.hasOwn(BULK_ERRORS, error) ? { ok: false, message: BULK_ERRORS[error as BulkError] } : null;
  }

  const count = (name: string) => {
    const value = params.get(name) ?? "";
    return /^\d{1,4}$/.test(value) ? Number(value) : null;
  };
  const changed = count(NOTICE_PARAMS.changed);
  const skipped = count(NOTICE_PARAMS.skipped);
  const status = v.safeParse(v.picklist(ORDER_STATUSES), params.get(NOTICE_PARAMS.status));
  if (changed === null || skipped === null || !status.success) return null;
  return { ok: changed > 0, message: transitionMessages.bulkResult(changed, skipped, status.output) };
}

/** Returns the URL without the bulk result's parameters, so that paging links and filters do not carry the message along. */
export function withoutBulkNotice(url: URL): URL {
  const copy = new URL(url);
  for (const name of Object.values(NOTICE_PARAMS)) copy.searchParams.delete(name);
  return copy;
}
