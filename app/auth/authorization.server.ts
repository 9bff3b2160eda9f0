import { and, eq } from "drizzle-orm";
import { data, redirect, type RouterContextProvider } from "react-router";

import type { Database } from "~/db/client.server";
import { orders } from "~/db/schema";
import { messages } from "~/messages";

import type { SessionUser } from "./session.server";
import { userContext } from "./user-context";

// The portal's access rules in one place. Two rules decide every request:
//
// 1. Roles: a customer is a contact of one company; manager ("Auftragsmanager"),
//    prepress ("Druckvorstufe") and admin are staff. PERMISSIONS lists which
//    roles may use which staff functions.
// 2. Orders: staff see every order, a customer only the orders of the own
//    company. Another company's order gets the same 404 as an id that does
//    not exist, so that a customer cannot probe for orders.
//
// Without a session, pages redirect to the login page and the JSON routes of
// uploads and share links return 401. The browser test
// tests/e2e/access-matrix.spec.ts states the expected status of every route
// for every role.

export type Role = SessionUser["role"];

/** Roles allowed for each staff function. */
export const PERMISSIONS = {
  /** The staff area: /verwaltung, /live, the staff feed, every company's orders, the local mailbox. */
  staffArea: ["manager", "prepress", "admin"],
  /** Creating and changing companies and their contacts. */
  editCompanies: ["manager", "admin"],
  /** Creating offers and changing an order's fields. */
  editOffers: ["manager", "admin"],
  /** The shop settings and the logo. */
  editSettings: ["admin"],
  /** Staff accounts and roles. */
  manageTeam: ["admin"],
  /** Reviewing the access requests from "Jetzt anfragen". */
  reviewAccessRequests: ["manager", "admin"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

const FORBIDDEN_MESSAGES: Record<Permission, string> = {
  staffArea: messages.staffOnly,
  editCompanies: messages.staffOnly,
  editOffers: messages.staffOnly,
  editSettings: messages.adminOnly,
  manageTeam: messages.adminOnly,
  reviewAccessRequests: messages.staffOnly,
};

/** True when the user's role is listed for the permission. */
export function hasPermission(user: SessionUser, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(user.role);
}

export function isStaff(user: SessionUser): boolean {
  return hasPermission(user, "staffArea");
}

/** Returns the signed-in user or redirects to the login page, remembering where the user wanted to go. */
export function requireUser(context: Readonly<RouterContextProvider>, request: Request): SessionUser {
  const user = context.get(userContext);
  if (user) return user;

  const url = new URL(request.url);
  const redirectTo = `${url.pathname}${url.search}`;
  const params = redirectTo === "/" ? "" : `?${new URLSearchParams({ redirectTo })}`;
  throw redirect(`/anmelden${params}`);
}

/** Returns the signed-in user when the role has the permission; redirects without a session and throws 403 otherwise. */
export function requirePermission(
  context: Readonly<RouterContextProvider>,
  request: Request,
  permission: Permission,
  message = FORBIDDEN_MESSAGES[permission],
): SessionUser {
  const user = requireUser(context, request);
  if (!hasPermission(user, permission)) {
    console.info("authorization: permission denied", { userId: user.id, role: user.role, permission });
    throw data({ message }, { status: 403 });
  }
  return user;
}

/** Returns the signed-in staff member; customers get 403. */
export function requireStaff(context: Readonly<RouterContextProvider>, request: Request): SessionUser {
  return requirePermission(context, request, "staffArea", messages.staffOnly);
}

/** Returns the signed-in administrator; everyone else gets 403. */
export function requireAdmin(context: Readonly<RouterContextProvider>, request: Request): SessionUser {
  return requirePermission(context, request, "editSettings", messages.adminOnly);
}

/**
 * Loads an order the user may see: staff see every order, a customer only
 * the orders of the own company. A missing order and another company's order
 * both return undefined.
 */
export async function findAccessibleOrder(db: Database, user: SessionUser, orderId: string) {
  const condition = isStaff(user)
    ? eq(orders.id, orderId)
    : and(eq(orders.id, orderId), eq(orders.companyId, user.companyId ?? ""));
  return db.select().from(orders).where(condition).get();
}

/** Like findAccessibleOrder, but throws the same 404 for a missing order and for another company's order. */
export async function requireOrderAccess(db: Database, user: SessionUser, orderId: string) {
  const order = await findAccessibleOrder(db, user, orderId);
  if (!order) throw data({ message: messages.orderNotFound }, { status: 404 });
  return order;
}
