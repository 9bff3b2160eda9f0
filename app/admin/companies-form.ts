import * as v from "valibot";

import { adminMessages } from "./admin-messages";

export const COMPANY_NAME_MAX = 200;
export const CUSTOMER_NUMBER_MAX = 50;
/** Maximum number of companies the list shows at once. */
export const COMPANY_LIST_LIMIT = 200;
/** Maximum number of orders a company's page lists, newest first. */
export const COMPANY_ORDERS_LIMIT = 100;
/** Maximum length of the company list's search term. */
export const COMPANY_SEARCH_MAX = 100;

/** German messages per form field, the first problem of each. */
export type FieldErrors = Record<string, string>;

export type FormResult<T> = { ok: true; value: T } | { ok: false; fieldErrors: FieldErrors };

export interface CompanyInput {
  name: string;
  /** Null when the field was left empty. */
  customerNumber: string | null;
}

const trimmedText = v.pipe(
  v.optional(v.string(), ""),
  v.transform((value) => value.trim()),
);

const companyFormSchema = v.object({
  name: v.pipe(
    trimmedText,
    v.nonEmpty(adminMessages.companyNameMissing),
    v.maxLength(COMPANY_NAME_MAX, adminMessages.companyNameTooLong(COMPANY_NAME_MAX)),
  ),
  customerNumber: v.pipe(
    trimmedText,
    v.maxLength(CUSTOMER_NUMBER_MAX, adminMessages.customerNumberTooLong(CUSTOMER_NUMBER_MAX)),
    v.transform((value) => (value === "" ? null : value)),
  ),
});

/** Returns the first message of each field that failed. */
export function firstIssuePerField(issues: [v.BaseIssue<unknown>, ...v.BaseIssue<unknown>[]]): FieldErrors {
  const nested = v.flatten(issues).nested ?? {};
  const errors: FieldErrors = {};
  for (const [path, fieldMessages] of Object.entries(nested)) {
    // An issue inside an array field has a dotted path such as "acceptedFileTypes.1".
    const field = path.split(".")[0];
    if (fieldMessages?.[0] && !errors[field]) errors[field] = fieldMessages[0];
  }
  return errors;
}

/** Reads the form that creates or edits a company. */
export function parseCompanyForm(form: Record<string, unknown>): FormResult<CompanyInput> {
  const parsed = v.safeParse(companyFormSchema, form);
  if (!parsed.success) return { ok: false, fieldErrors: firstIssuePerField(parsed.issues) };
  return { ok: true, value: parsed.output };
}

/** Reads the company list's search term. A term that is too long gets a message and searches nothing. */
export function parseCompanySearch(value: string | null): { search: string; error: string | null } {
  const search = (value ?? "").trim();
  if (search.length > COMPANY_SEARCH_MAX) return { search: "", error: adminMessages.searchTooLong(COMPANY_SEARCH_MAX) };
  return { search, error: null };
}
