import { eq } from "drizzle-orm";

import type { Database } from "~/db/client.server";
import { shopSettings } from "~/db/schema";
import type { UploadPolicy } from "~/uploads/file-type";

export type ShopSettings = typeof shopSettings.$inferSelect;

/** Loads the print shop's settings; a deployment without them is not set up and fails loudly. */
export async function getShopSettings(db: Database): Promise<ShopSettings> {
  const settings = await db.select().from(shopSettings).where(eq(shopSettings.id, 1)).get();
  if (!settings) throw new Error("shop_settings row 1 is missing: run the seed or insert the shop's settings");
  return settings;
}

/** Returns the shop's upload limits: largest file and accepted types. */
export async function getUploadPolicy(db: Database): Promise<UploadPolicy> {
  const settings = await getShopSettings(db);
  return { maxBytes: settings.maxUploadBytes, acceptedTypes: settings.acceptedFileTypes };
}

/** Returns the shop's logo in R2, or null when none is set. */
export async function getShopLogo(db: Database): Promise<{ r2Key: string; contentType: string } | null> {
  const row = await db
    .select({ r2Key: shopSettings.logoR2Key, contentType: shopSettings.logoContentType })
    .from(shopSettings)
    .where(eq(shopSettings.id, 1))
    .get();
  if (!row?.r2Key || !row.contentType) return null;
  return { r2Key: row.r2Key, contentType: row.contentType };
}

/** SQL of the highest order number in use, counting only order numbers made of digits; 0 when there is none. */
export const HIGHEST_ORDER_NUMBER_SQL =
  "SELECT coalesce(max(CAST(order_number AS INTEGER)), 0) FROM orders WHERE order_number <> '' AND order_number NOT GLOB '*[^0-9]*'";

/**
 * Builds SQL that is true when an offer number with the base number in
 * `parameter` (a bound string) exists: the base itself or the base, ".",
 * and a version suffix. The range comparison ('/' follows '.') lets SQLite
 * use the unique index on offer_number.
 */
export function offerBaseTakenSql(parameter: string): string {
  return `EXISTS (SELECT 1 FROM orders WHERE offer_number = ${parameter} OR (offer_number >= ${parameter} || '.' AND offer_number < ${parameter} || '/'))`;
}

/** Returns the highest order number in use (numeric ones only), or 0. */
export async function findHighestOrderNumber(env: Pick<Env, "DB">): Promise<number> {
  const highest = await env.DB.prepare(HIGHEST_ORDER_NUMBER_SQL).raw<[number]>();
  return highest[0]?.[0] ?? 0;
}

/** True when an offer with this base number exists, in any version. */
export async function isOfferBaseTaken(env: Pick<Env, "DB">, baseNumber: number): Promise<boolean> {
  const row = await env.DB.prepare(`SELECT ${offerBaseTakenSql("?1")}`).bind(String(baseNumber)).raw<[number]>();
  return row[0]?.[0] === 1;
}
