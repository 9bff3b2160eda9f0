import { accountMessages } from "./account-messages";
import { COMMON_PASSWORDS } from "./common-passwords";

// Password rules after NIST SP 800-63B and OWASP ASVS 4.0 (2.1): a minimum
// length, a generous maximum, no composition rules, and no password from a
// list of common passwords. Lengths count the Unicode code points of the
// NFC form that `hashPassword` stores, so "ä" is one character however it was typed.

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;

let commonPasswords: Set<string> | undefined;

/** Counts the Unicode code points of the password's NFC form. */
export function passwordLength(password: string): number {
  return [...password.normalize("NFC")].length;
}

/** Digits and punctuation people append to a word to reach a length rule, as in "iloveyou12" or "sommer2024!". */
const APPENDED_SUFFIX = /[\d\p{P}\p{S}]+$/u;
/** Shortest word whose padded forms count as common; shorter stems such as "abc" are too broad. */
const MIN_COMMON_STEM = 4;

/**
 * Tells whether the password is one of the shipped common passwords, or one
 * of them with digits or punctuation appended, ignoring case.
 */
export function isCommonPassword(password: string): boolean {
  commonPasswords ??= new Set(COMMON_PASSWORDS);
  const lowered = password.toLowerCase();
  if (commonPasswords.has(lowered)) return true;

  const stem = lowered.replace(APPENDED_SUFFIX, "");
  return stem !== lowered && [...stem].length >= MIN_COMMON_STEM && commonPasswords.has(stem);
}

/** Checks a new password against the rules; returns the German message of the first rule it breaks, or null. */
export function passwordPolicyError(password: string): string | null {
  const length = passwordLength(password);
  if (length < PASSWORD_MIN_LENGTH) return accountMessages.passwordTooShort(PASSWORD_MIN_LENGTH);
  if (length > PASSWORD_MAX_LENGTH) return accountMessages.passwordTooLong(PASSWORD_MAX_LENGTH);
  if (isCommonPassword(password)) return accountMessages.passwordCommon;
  return null;
}
