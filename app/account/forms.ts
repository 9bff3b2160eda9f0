import * as v from "valibot";

import { accountMessages } from "~/auth/account-messages";
import { EMAIL_MAX_LENGTH, normalizeEmail } from "~/auth/email-address";

import { accessRequestMessages, profileMessages, STAFF_ROLES, teamMessages, type StaffRole } from "./messages";

// Forms of the profile, the access request and the team page. Limits are
// exported for the inputs' maxLength; the schemas run on the server.

export const NAME_MAX = 200;
export const COMPANY_NAME_MAX = 200;
export const PHONE_MAX = 50;
export const REQUEST_MESSAGE_MAX = 2000;
export { EMAIL_MAX_LENGTH as EMAIL_MAX };

export const SALUTATIONS = ["Frau", "Herr"] as const;

/** German messages per form field, the first problem of each. */
export type FieldErrors = Record<string, string>;

export type FormResult<T> = { ok: true; value: T } | { ok: false; fieldErrors: FieldErrors };

const trimmedText = v.pipe(
  v.optional(v.string(), ""),
  v.transform((value) => value.trim()),
);

// Digits, spaces and the separators people write in phone numbers: "+49 (0)421 555-010/23".
const PHONE_PATTERN = /^[0-9+()/.\- ]*$/;

const phoneField = v.pipe(
  trimmedText,
  v.maxLength(PHONE_MAX, profileMessages.phoneTooLong(PHONE_MAX)),
  v.regex(PHONE_PATTERN, profileMessages.phoneInvalid),
  v.transform((value) => (value === "" ? null : value)),
);

/** Builds an e-mail address field whose output is trimmed, lowercase and has an ASCII domain (see `normalizeEmail`). */
function emailField(missing: string, invalid: string, tooLong: string) {
  return v.pipe(
    trimmedText,
    v.nonEmpty(missing),
    v.maxLength(EMAIL_MAX_LENGTH, tooLong),
    v.rawTransform(({ dataset, addIssue, NEVER }) => {
      const normalized = normalizeEmail(dataset.value);
      if (normalized === null) {
        addIssue({ message: invalid });
        return NEVER;
      }
      return normalized;
    }),
  );
}

function firstIssuePerField(issues: [v.BaseIssue<unknown>, ...v.BaseIssue<unknown>[]]): FieldErrors {
  const nested = v.flatten(issues).nested ?? {};
  const errors: FieldErrors = {};
  for (const [field, fieldMessages] of Object.entries(nested)) {
    if (fieldMessages?.[0] && !errors[field]) errors[field] = fieldMessages[0];
  }
  return errors;
}

function parseWith<TSchema extends v.GenericSchema<unknown, unknown>>(
  schema: TSchema,
  form: Record<string, unknown>,
): FormResult<v.InferOutput<TSchema>> {
  const parsed = v.safeParse(schema, form);
  if (!parsed.success) return { ok: false, fieldErrors: firstIssuePerField(parsed.issues) };
  return { ok: true, value: parsed.output };
}

const profileFormSchema = v.object({
  name: v.pipe(trimmedText, v.nonEmpty(profileMessages.nameMissing), v.maxLength(NAME_MAX, profileMessages.nameTooLong(NAME_MAX))),
  phone: phoneField,
});
export type ProfileInput = v.InferOutput<typeof profileFormSchema>;

/** Reads the profile form: name and phone. */
export function parseProfileForm(form: Record<string, unknown>): FormResult<ProfileInput> {
  return parseWith(profileFormSchema, form);
}

// Passwords are taken as typed: no trimming, because spaces may be part of them.
const passwordFormSchema = v.object({
  currentPassword: v.pipe(v.optional(v.string(), ""), v.nonEmpty(profileMessages.currentPasswordMissing)),
  newPassword: v.pipe(v.optional(v.string(), ""), v.nonEmpty(profileMessages.newPasswordMissing)),
  newPasswordRepeat: v.optional(v.string(), ""),
});
export type PasswordChangeInput = v.InferOutput<typeof passwordFormSchema>;

/** Reads the password change form; the password rules are checked by `changePassword`. */
export function parsePasswordForm(form: Record<string, unknown>): FormResult<PasswordChangeInput> {
  const parsed = parseWith(passwordFormSchema, form);
  if (!parsed.ok) return parsed;
  if (parsed.value.newPassword !== parsed.value.newPasswordRepeat) {
    return { ok: false, fieldErrors: { newPasswordRepeat: accountMessages.passwordMismatch } };
  }
  return parsed;
}

const accessRequestFormSchema = v.object({
  name: v.pipe(trimmedText, v.nonEmpty(accessRequestMessages.nameMissing), v.maxLength(NAME_MAX, accessRequestMessages.nameTooLong(NAME_MAX))),
  companyName: v.pipe(
    trimmedText,
    v.nonEmpty(accessRequestMessages.companyMissing),
    v.maxLength(COMPANY_NAME_MAX, accessRequestMessages.companyTooLong(COMPANY_NAME_MAX)),
  ),
  email: emailField(
    accessRequestMessages.emailMissing,
    accessRequestMessages.emailInvalid,
    accessRequestMessages.emailTooLong(EMAIL_MAX_LENGTH),
  ),
  phone: phoneField,
  message: v.pipe(
    trimmedText,
    v.maxLength(REQUEST_MESSAGE_MAX, accessRequestMessages.messageTooLong(REQUEST_MESSAGE_MAX)),
    v.transform((value) => (value === "" ? null : value)),
  ),
});
export type AccessRequestInput = v.InferOutput<typeof accessRequestFormSchema>;

/** Reads the "Jetzt anfragen" form. */
export function parseAccessRequestForm(form: Record<string, unknown>): FormResult<AccessRequestInput> {
  return parseWith(accessRequestFormSchema, form);
}

const roleField = v.picklist(STAFF_ROLES, teamMessages.roleInvalid);

const staffFormSchema = v.object({
  salutation: v.pipe(
    v.optional(v.string(), ""),
    v.picklist(["", ...SALUTATIONS], teamMessages.salutationInvalid),
    v.transform((value) => (value === "" ? null : value)),
  ),
  name: v.pipe(trimmedText, v.nonEmpty(teamMessages.nameMissing), v.maxLength(NAME_MAX, teamMessages.nameTooLong(NAME_MAX))),
  email: emailField(teamMessages.emailInvalid, teamMessages.emailInvalid, accessRequestMessages.emailTooLong(EMAIL_MAX_LENGTH)),
  phone: phoneField,
  role: roleField,
});
export type StaffInput = v.InferOutput<typeof staffFormSchema>;

/** Reads the form that creates a staff account. */
export function parseStaffForm(form: Record<string, unknown>): FormResult<StaffInput> {
  return parseWith(staffFormSchema, form);
}

/** Reads the role of the team page's role form; null when it is not a staff role. */
export function parseStaffRole(value: unknown): StaffRole | null {
  const parsed = v.safeParse(roleField, value);
  return parsed.success ? parsed.output : null;
}
