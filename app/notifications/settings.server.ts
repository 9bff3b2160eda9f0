import { and, eq, isNull, or } from "drizzle-orm";

import type { Database } from "~/db/client.server";
import { notificationSettings } from "~/db/schema";

/** A user's chat e-mail settings: for all orders, and for one order when it has its own row. */
export interface ChatEmailSettings {
  allOrders: boolean;
  /** The order's own setting, or null when the order follows `allOrders`. */
  order: boolean | null;
}

/** Loads the user's chat e-mail settings; without rows, e-mails are on. */
export async function getChatEmailSettings(db: Database, userId: string, orderId?: string): Promise<ChatEmailSettings> {
  const scope = orderId
    ? or(isNull(notificationSettings.orderId), eq(notificationSettings.orderId, orderId))
    : isNull(notificationSettings.orderId);
  const rows = await db
    .select({ orderId: notificationSettings.orderId, chatEmails: notificationSettings.chatEmails })
    .from(notificationSettings)
    .where(and(eq(notificationSettings.userId, userId), scope))
    .all();

  const allOrdersRow = rows.find((row) => row.orderId === null);
  const orderRow = orderId ? rows.find((row) => row.orderId === orderId) : undefined;
  return { allOrders: allOrdersRow?.chatEmails ?? true, order: orderRow?.chatEmails ?? null };
}

/**
 * Tells whether the user gets chat e-mails for the order. Turning e-mails off
 * for all orders or for this order stops them. An order's own "on" row
 * overrides "off" for all orders.
 */
export function chatEmailsEnabled(settings: ChatEmailSettings): boolean {
  return settings.order ?? settings.allOrders;
}

/** Stores the user's chat e-mail setting for one order, or for all orders when `orderId` is null. */
export async function setChatEmails(db: Database, userId: string, orderId: string | null, enabled: boolean): Promise<void> {
  const updatedAt = Date.now();
  // SQLite treats NULLs as distinct in a unique index, so the all-orders row
  // cannot rely on ON CONFLICT of (user_id, order_id). The row is updated
  // first and inserted when missing, with an id derived from user and scope,
  // so two first saves at the same moment conflict on the primary key.
  const scope = orderId === null ? isNull(notificationSettings.orderId) : eq(notificationSettings.orderId, orderId);
  const updated = await db
    .update(notificationSettings)
    .set({ chatEmails: enabled, updatedAt })
    .where(and(eq(notificationSettings.userId, userId), scope))
    .returning({ id: notificationSettings.id })
    .get();
  if (updated) return;

  await db
    .insert(notificationSettings)
    .values({ id: `${userId}:${orderId ?? "all-orders"}`, userId, orderId, chatEmails: enabled, updatedAt })
    .onConflictDoUpdate({ target: notificationSettings.id, set: { chatEmails: enabled, updatedAt } });
}
