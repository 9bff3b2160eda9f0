import { describe, expect, it } from "vitest";

import { accountMessages } from "./account-messages";
import { COMMON_PASSWORDS } from "./common-passwords";
import { isCommonPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, passwordLength, passwordPolicyError } from "./password-policy";

describe("common password list", () => {
  it("has 10,000 entries", () => {
    expect(COMMON_PASSWORDS).toHaveLength(10_000);
  });

  it("starts with the most common passwords", () => {
    expect(COMMON_PASSWORDS.slice(0, 2)).toEqual(["123456", "password"]);
  });

  it("has no duplicates", () => {
    expect(new Set(COMMON_PASSWORDS).size).toBe(COMMON_PASSWORDS.length);
  });
});

describe("passwordPolicyError", () => {
  it("rejects a password of 9 characters", () => {
    expect(passwordPolicyError("abcdefghi")).toBe(accountMessages.passwordTooShort(PASSWORD_MIN_LENGTH));
  });

  it("accepts a password of exactly 10 characters", () => {
    expect(passwordPolicyError("Lindenblat")).toBeNull();
  });

  it("rejects a common password of 10 or more characters", () => {
    const common = COMMON_PASSWORDS.find((password) => [...password].length >= PASSWORD_MIN_LENGTH);
    expect(common).toBeDefined();
    expect(passwordPolicyError(common!)).toBe(accountMessages.passwordCommon);
  });

  it("rejects a common word with digits appended", () => {
    for (const password of ["iloveyou12", "Password2024!", "football1234", "sunshine99!!"]) {
      expect(passwordPolicyError(password), password).toBe(accountMessages.passwordCommon);
    }
    // A short stem with digits is not a common word, and a longer phrase passes.
    expect(isCommonPassword("abc1234567")).toBe(false);
    expect(passwordPolicyError("Kaffeetasse im Hafen 12")).toBeNull();
  });

  it("compares common passwords case-insensitively", () => {
    expect(isCommonPassword("QwertyUiop")).toBe(true);
    expect(passwordPolicyError("QWERTYUIOP")).toBe(accountMessages.passwordCommon);
  });

  it("requires no digits, capitals or symbols", () => {
    expect(passwordPolicyError("ein langer satz aus woertern")).toBeNull();
  });

  it("counts code points, not UTF-16 units", () => {
    // Five emoji are ten UTF-16 code units but five characters.
    const emoji = "😀😀😀😀😀";
    expect(emoji.length).toBe(10);
    expect(passwordLength(emoji)).toBe(5);
    expect(passwordPolicyError(emoji)).toBe(accountMessages.passwordTooShort(PASSWORD_MIN_LENGTH));
    expect(passwordPolicyError("😀".repeat(10))).toBeNull();
  });

  it("counts a decomposed umlaut as one character", () => {
    const decomposed = "a\u0308".repeat(9);
    expect(decomposed.length).toBe(18);
    expect(passwordPolicyError(decomposed)).toBe(accountMessages.passwordTooShort(PASSWORD_MIN_LENGTH));
  });

  it("rejects a password over the maximum", () => {
    expect(passwordPolicyError("x".repeat(PASSWORD_MAX_LENGTH))).toBeNull();
    expect(passwordPolicyError("x".repeat(PASSWORD_MAX_LENGTH + 1))).toBe(accountMessages.passwordTooLong(PASSWORD_MAX_LENGTH));
  });
});
