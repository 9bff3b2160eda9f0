import * as v from "valibot";

import { formatBytes } from "~/format";
import { PRINT_FILE_TYPES, type PrintFileType } from "~/uploads/file-type";
import { MAX_MULTIPART_UPLOAD_BYTES } from "~/uploads/limits";

import { adminMessages } from "./admin-messages";
import { firstIssuePerField, type FormResult } from "./companies-form";

// The shop settings form. MB and GB are binary multiples here (1 MB =
// 1024 × 1024 bytes), as in every size the portal shows (see formatBytes).

export const MEGABYTE = 1024 * 1024;
export const GIGABYTE = 1024 * MEGABYTE;
export const UPLOAD_UNITS = { MB: MEGABYTE, GB: GIGABYTE } as const;
export type UploadUnit = keyof typeof UPLOAD_UNITS;

/** Smallest and largest value of the shop's upload limit; the largest is what a multipart upload can carry. */
export const MIN_UPLOAD_BYTES = MEGABYTE;
export const MAX_UPLOAD_BYTES = MAX_MULTIPART_UPLOAD_BYTES;

/** Largest next offer or order number; order numbers are stored as text, so this only keeps them readable. */
export const MAX_RANGE_NUMBER = 999_999_999;
export const SHOP_TEXT_MAX = 200;

export interface ShopSettingsInput {
  name: string;
  street: string;
  postalCode: string;
  city: string;
  phone: string;
  email: string;
  prepressPhone: string;
  prepressEmail: string;
  prepressHours: string;
  nextOfferNumber: number;
  nextOrderNumber: number;
  maxUploadBytes: number;
  acceptedFileTypes: PrintFileType[];
  removeLogo: boolean;
}

/** The text fields and how a message names each of them ("Bitte geben Sie … ein."). */
const TEXT_FIELDS = {
  name: "den Namen der Druckerei",
  street: "die Straße",
  postalCode: "die Postleitzahl",
  city: "den Ort",
  phone: "die Telefonnummer",
  email: "die E-Mail-Adresse",
  prepressPhone: "die Telefonnummer der Druckvorstufe",
  prepressEmail: "die E-Mail-Adresse der Druckvorstufe",
  prepressHours: "die Erreichbarkeit der Druckvorstufe",
} as const;

function requiredText(label: string) {
  return v.pipe(
    v.optional(v.string(), ""),
    v.transform((value) => value.trim()),
    v.nonEmpty(adminMessages.shopFieldMissing(label)),
    v.maxLength(SHOP_TEXT_MAX, adminMessages.shopFieldTooLong(SHOP_TEXT_MAX)),
  );
}

function requiredEmail(label: string) {
  return v.pipe(requiredText(label), v.email(adminMessages.shopEmailInvalid));
}

const rangeNumber = v.pipe(
  v.optional(v.string(), ""),
  v.transform((value) => value.trim()),
  v.regex(/^\d+$/, adminMessages.numberInvalid),
  v.transform(Number),
  v.minValue(1, adminMessages.numberInvalid),
  v.maxValue(MAX_RANGE_NUMBER, adminMessages.numberTooLarge(MAX_RANGE_NUMBER)),
);

const uploadSizeMessage = adminMessages.uploadSizeInvalid(formatBytes(MIN_UPLOAD_BYTES), formatBytes(MAX_UPLOAD_BYTES));

const settingsFormSchema = v.object({
  name: requiredText(TEXT_FIELDS.name),
  street: requiredText(TEXT_FIELDS.street),
  postalCode: requiredText(TEXT_FIELDS.postalCode),
  city: requiredText(TEXT_FIELDS.city),
  phone: requiredText(TEXT_FIELDS.phone),
  email: requiredEmail(TEXT_FIELDS.email),
  prepressPhone: requiredText(TEXT_FIELDS.prepressPhone),
  prepressEmail: requiredEmail(TEXT_FIELDS.prepressEmail),
  prepressHours: requiredText(TEXT_FIELDS.prepressHours),
  nextOfferNumber: rangeNumber,
  nextOrderNumber: rangeNumber,
  maxUploadSize: v.pipe(
    v.optional(v.string(), ""),
    v.transform((value) => value.trim().replace(",", ".")),
    v.regex(/^\d+(\.\d+)?$/, uploadSizeMessage),
    v.transform(Number),
  ),
  maxUploadUnit: v.picklist(["MB", "GB"], adminMessages.uploadUnitInvalid),
  acceptedFileTypes: v.pipe(
    v.array(v.picklist(PRINT_FILE_TYPES, adminMessages.fileTypeUnknown), adminMessages.fileTypesMissing),
    v.minLength(1, adminMessages.fileTypesMissing),
  ),
  removeLogo: v.pipe(
    v.optional(v.string(), ""),
    v.transform((value) => value === "on"),
  ),
});

/**
 * Reads the settings form from its form data (the logo file is read
 * separately). Returns the settings or a German message per failed field.
 */
export function parseShopSettingsForm(formData: FormData): FormResult<ShopSettingsInput> {
  const form: Record<string, unknown> = {};
  for (const [key, value] of formData) {
    if (typeof value === "string" && key !== "acceptedFileTypes") form[key] = value;
  }
  form.acceptedFileTypes = formData.getAll("acceptedFileTypes").filter((value) => typeof value === "string");

  const parsed = v.safeParse(settingsFormSchema, form);
  if (!parsed.success) {
    const fieldErrors = firstIssuePerField(parsed.issues);
    // The size and its unit share one message, shown beside the size.
    if (fieldErrors.maxUploadUnit && !fieldErrors.maxUploadSize) fieldErrors.maxUploadSize = fieldErrors.maxUploadUnit;
    return { ok: false, fieldErrors };
  }

  const { maxUploadSize, maxUploadUnit, ...rest } = parsed.output;
  const maxUploadBytes = Math.round(maxUploadSize * UPLOAD_UNITS[maxUploadUnit]);
  if (maxUploadBytes < MIN_UPLOAD_BYTES || maxUploadBytes > MAX_UPLOAD_BYTES) {
    return { ok: false, fieldErrors: { maxUploadSize: uploadSizeMessage } };
  }
  return { ok: true, value: { ...rest, maxUploadBytes } };
}

/** Writes a byte count as the form's size and unit: whole gigabytes in GB, else megabytes. */
export function splitUploadSize(bytes: number): { value: string; unit: UploadUnit } {
  if (bytes % GIGABYTE === 0) return { value: String(bytes / GIGABYTE), unit: "GB" };
  const megabytes = Math.round((bytes / MEGABYTE) * 100) / 100;
  return { value: String(megabytes).replace(".", ","), unit: "MB" };
}

/** The settings form's values as the page shows them: the text fields, the upload limit as size and unit, and the accepted file types. */
export interface ShopSettingsFormValues {
  name: string;
  street: string;
  postalCode: string;
  city: string;
  phone: string;
  email: string;
  prepressPhone: string;
  prepressEmail: string;
  prepressHours: string;
  nextOfferNumber: string;
  nextOrderNumber: string;
  maxUploadSize: string;
  maxUploadUnit: string;
  acceptedFileTypes: string[];
  removeLogo: boolean;
}

/** Reads back what the user typed into the settings form, for showing it again after an error. */
export function shopSettingsFormValues(formData: FormData): ShopSettingsFormValues {
  const text = (name: string) => {
    const value = formData.get(name);
    return typeof value === "string" ? value : "";
  };
  return {
    name: text("name"),
    street: text("street"),
    postalCode: text("postalCode"),
    city: text("city"),
    phone: text("phone"),
    email: text("email"),
    prepressPhone: text("prepressPhone"),
    prepressEmail: text("prepressEmail"),
    prepressHours: text("prepressHours"),
    nextOfferNumber: text("nextOfferNumber"),
    nextOrderNumber: text("nextOrderNumber"),
    maxUploadSize: text("maxUploadSize"),
    maxUploadUnit: text("maxUploadUnit"),
    acceptedFileTypes: formData.getAll("acceptedFileTypes").filter((value) => typeof value === "string"),
    removeLogo: text("removeLogo") === "on",
  };
}
