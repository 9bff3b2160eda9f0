import { eq } from "drizzle-orm";

import type { Database } from "~/db/client.server";
import { shopSettings } from "~/db/schema";

export type ShopSettings = typeof shopSettings.$inferSelect;

/** Loads the print shop's settings; a deployment without them is not set up and fails loudly. */
export async function getShopSettings(db: Database): Promise<ShopSettings> {
  const settings = await db.select().from(shopSettings).where(eq(shopSettings.id, 1)).get();
  if (!settings) throw new Error("shop_settings row 1 is missing: run the seed or insert the shop's settings");
  return settings;
}
