import { hasPermission } from "~/auth/authorization.server";
import type { SessionUser } from "~/auth/session.server";
import type { Database } from "~/db/client.server";
import {
  findHighestOrderNumber,
  getShopSettings,
  HIGHEST_ORDER_NUMBER_SQL,
  isOfferBaseTaken,
  offerBaseTakenSql,
} from "~/shop-settings.server";

import { adminMessages } from "./admin-messages";
import type { FieldErrors } from "./companies-form";
import { hasChosenFile, readImageUpload, type ImageType } from "./images";
import { putImage } from "./images.server";
import { parseShopSettingsForm, type ShopSettingsInput } from "./settings-form";

export type SettingsChange = { ok: true } | { ok: false; status: 400 | 403 | 409; fieldErrors: FieldErrors; message: string };

type Environment = Pick<Env, "DB" | "FILES">;

/** Checks the number ranges against the orders in the database; returns a message per failed field. */
async function checkNumberRanges(env: Environment, input: Pick<ShopSettingsInput, "nextOfferNumber" | "nextOrderNumber">) {
  const fieldErrors: FieldErrors = {};
  const highestOrderNumber = await findHighestOrderNumber(env);
  if (input.nextOrderNumber <= highestOrderNumber) fieldErrors.nextOrderNumber = adminMessages.orderNumberTooSmall(highestOrderNumber);
  if (await isOfferBaseTaken(env, input.nextOfferNumber)) fieldErrors.nextOfferNumber = adminMessages.offerNumberTaken(input.nextOfferNumber);
  return fieldErrors;
}

function rejected(status: 400 | 409, fieldErrors: FieldErrors, message: string = adminMessages.settingsInvalid): SettingsChange {
  return { ok: false, status, fieldErrors, message };
}

/**
 * Saves the shop settings form (administrators only): texts, number ranges,
 * upload limits and the logo. Every field is checked first, and bad input
 * changes nothing. The row is written by one UPDATE that checks the number
 * ranges again, so an offer or order numbered meanwhile cannot slip under
 * the new range. A new logo is stored in R2 before the row points to it; the
 * old logo object is deleted after.
 */
export async function saveShopSettings(env: Environment, db: Database, user: SessionUser, formData: FormData): Promise<SettingsChange> {
  if (!hasPermission(user, "editSettings")) return { ok: false, status: 403, fieldErrors: {}, message: adminMessages.editForbidden };

  const parsed = parseShopSettingsForm(formData);
  const fieldErrors: FieldErrors = parsed.ok ? {} : { ...parsed.fieldErrors };

  const logoFile = formData.get("logo");
  let logo: { bytes: Uint8Array; contentType: ImageType } | null = null;
  if (hasChosenFile(logoFile)) {
    const upload = await readImageUpload(logoFile);
    if (upload.ok) logo = upload;
    else fieldErrors.logo = upload.message;
  }

  if (parsed.ok) Object.assign(fieldErrors, await checkNumberRanges(env, parsed.value));
  if (!parsed.ok || Object.keys(fieldErrors).length > 0) return rejected(400, fieldErrors);
  const input = parsed.value;

  const current = await getShopSettings(db);
  const newLogo = logo ? await putImage(env.FILES, "shop/logo", logo.bytes, logo.contentType) : null;
  const keepLogo = !newLogo && !input.removeLogo;
  const logoR2Key = newLogo?.r2Key ?? (keepLogo ? current.logoR2Key : null);
  const logoContentType = newLogo?.contentType ?? (keepLogo ? current.logoContentType : null);

  // ?1 and ?2 come first because the range checks refer to them by number.
  const result = await env.DB.prepare(
    `UPDATE shop_settings SET
       next_offer_number = ?1, next_order_number = ?2, name = ?3, street = ?4, postal_code = ?5, city = ?6,
       phone = ?7, email = ?8, prepress_phone = ?9, prepress_email = ?10, prepress_hours = ?11,
       max_upload_bytes = ?12, accepted_file_types = ?13, logo_r2_key = ?14, logo_content_type = ?15
     WHERE id = 1
       AND ?2 > (${HIGHEST_ORDER_NUMBER_SQL})
       AND NOT ${offerBaseTakenSql("CAST(?1 AS TEXT)")}
       AND logo_r2_key IS ?16`,
  )
    .bind(
      input.nextOfferNumber,
      input.nextOrderNumber,
      input.name,
      input.street,
      input.postalCode,
      input.city,
      input.phone,
      input.email,
      input.prepressPhone,
      input.prepressEmail,
      input.prepressHours,
      input.maxUploadBytes,
      JSON.stringify(input.acceptedFileTypes),
      logoR2Key,
      logoContentType,
      current.logoR2Key,
    )
    .run();

  if (result.meta.changes !== 1) {
    // An order was numbered or the logo changed between the checks and the update.
    if (newLogo) await env.FILES.delete(newLogo.r2Key);
    const rangeErrors = await checkNumberRanges(env, input);
    console.warn("admin: shop settings changed meanwhile, not saved", { userId: user.id, fields: Object.keys(rangeErrors) });
    return rejected(409, rangeErrors, adminMessages.settingsChangedMeanwhile);
  }

  if (current.logoR2Key && current.logoR2Key !== logoR2Key) await env.FILES.delete(current.logoR2Key);

  let logoChange = "kept";
  if (newLogo) logoChange = "replaced";
  else if (!keepLogo) logoChange = "removed";
  console.info("admin: shop settings saved", {
    userId: user.id,
    nextOfferNumber: input.nextOfferNumber,
    nextOrderNumber: input.nextOrderNumber,
    maxUploadBytes: input.maxUploadBytes,
    logo: logoChange,
    logoR2Key,
  });
  return { ok: true };
}
