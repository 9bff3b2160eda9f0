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
