import * as v from "valibot";

import { normalizeEmail } from "~/auth/email-address";

import { adminMessages } from "./admin-messages";
import { firstIssuePerField, type FormResult } from "./companies-form";

export const CONTACT_NAME_MAX = 200;
/** Maximum length of an e-mail address. */
export const EMAIL_MAX = 254;
export const PHONE_MAX = 50;

export const SALUTATIONS = ["Frau", "Herr"] as const;

export interface ContactInput {
  salutation: (typeof SALUTATIONS)[number] | null;
  name: string;
  /** Trimmed and in lowercase, as the login compares it. */
  email: string;
  phone: string | null;
  active: boolean;
}

const trimmedText = v.pipe(
  v.optional(v.string(), ""),
  v.transform((value) => value.trim()),
);

const contactFormSchema = v.object({
  salutation: v.pipe(
    v.optional(v.string(), ""),
    v.picklist(["", ...SALUTATIONS], adminMessages.salutationInvalid),
    v.transform((value) => (value === "" ? null : value)),
  ),
  name: v.pipe(
    trimmedText,
    v.nonEmpty(adminMessages.contactNameMissing),
    v.maxLength(CONTACT_NAME_MAX, adminMessages.contactNameTooLong(CONTACT_NAME_MAX)),
  ),
  // Stored as `normalizeEmail` writes it (lowercase, domain in punycode), so that the login finds it.
  email: v.pipe(
    trimmedText,
    v.maxLength(EMAIL_MAX, adminMessages.emailTooLong(EMAIL_MAX)),
    v.rawTransform(({ dataset, addIssue, NEVER }) => {
      const address = normalizeEmail(dataset.value);
      if (address) return address;
      addIssue({ message: adminMessages.emailInvalid });
      return NEVER;
    }),
  ),
  phone: v.pipe(
    trimmedText,
    v.maxLength(PHONE_MAX, adminMessages.phoneTooLong(PHONE_MAX)),
    v.transform((value) => (value === "" ? null : value)),
  ),
  // A checkbox sends "on" when ticked and nothing otherwise.
  active: v.pipe(
    v.optional(v.string(), ""),
    v.transform((value) => value === "on"),
  ),
});

/** Reads the form that adds or edits a customer contact. */
export function parseContactForm(form: Record<string, unknown>): FormResult<ContactInput> {
  const parsed = v.safeParse(contactFormSchema, form);
  if (!parsed.success) return { ok: false, fieldErrors: firstIssuePerField(parsed.issues) };
  return { ok: true, value: parsed.output as ContactInput };
}
