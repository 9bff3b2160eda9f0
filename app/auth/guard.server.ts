import { and, eq } from "drizzle-orm";
import { data, redirect, type RouterContextProvider } from "react-router";

import type { Database } from "~/db/client.server";
import { orders } from "~/db/schema";
import { messages } from "~/messages";

import type { SessionUser } from "./session.server";
import { userContext } from "./user-context";

export function isStaff(user: SessionUser): boolean {
  return user.role !== "customer";
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

/** Returns the signed-in staff member; customers get 403. */
export function requireStaff(context: Readonly<RouterContextProvider>, request: Request): SessionUser {
  const user = requireUser(context, request);
  if (!isStaff(user)) throw data({ message: messages.staffOnly }, { status: 403 });
  return user;
}

/** Returns the signed-in administrator; everyone else gets 403. */
export function requireAdmin(context: Readonly<RouterContextProvider>, request: Request): SessionUser {
  const user = requireUser(context, request);
  if (user.role !== "admin") throw data({ message: messages.adminOnly }, { status: 403 });
  return user;
}

/**
 * Loads an order the user may see: staff see every order, a customer only
 * the orders of the own company. A missing order and another company's order
 * get the same 404, so that a customer cannot probe for order ids.
 */
export async function findAccessibleOrder(db: Database, user: SessionUser, orderId: string) {
  const condition = isStaff(user)
    ? eq(orders.id, orderId)
    : and(eq(orders.id, orderId), eq(orders.companyId, user.companyId ?? ""));
  return db.select().from(orders).where(condition).get();
}

export async function requireOrderAccess(db: Database, user: SessionUser, orderId: string) {
  const order = await findAccessibleOrder(db, user, orderId);
  if (!order) throw data({ message: messages.orderNotFound }, { status: 404 });
  return order;
}
