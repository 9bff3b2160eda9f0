import { describe, expect, it } from "vitest";

import { normalizeEmail, storedEmailForms } from "./email-address";

describe("normalizeEmail", () => {
  it("trims and lowercases", () => {
    expect(normalizeEmail("  Kunde@Example.COM \t")).toBe("kunde@example.com");
  });

  it("converts an internationalised domain to punycode", () => {
    expect(normalizeEmail("kunde@bücher.example")).toBe("kunde@xn--bcher-kva.example");
    expect(normalizeEmail("Kunde@BÜCHER.example")).toBe("kunde@xn--bcher-kva.example");
  });

  it("keeps a punycode domain", () => {
    expect(normalizeEmail("kunde@xn--bcher-kva.example")).toBe("kunde@xn--bcher-kva.example");
  });

  it("keeps dots and plus signs in the local part", () => {
    expect(normalizeEmail("Vorname.Nachname+Druck@example.com")).toBe("vorname.nachname+druck@example.com");
  });

  it.each(["", "kunde", "kunde@firma@example.com", '"a b"@example.com', "@example.com", "kunde@", "kunde@exa mple.com", "kunde@example.com/pfad", "kunde@host:8080", "kunde@[::1]"])(
    "rejects %j",
    (input) => {
      expect(normalizeEmail(input)).toBeNull();
    },
  );

  it("rejects an address over 254 characters", () => {
    expect(normalizeEmail(`${"a".repeat(64)}@${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(63)}.de`)).toBeNull();
  });
});

describe("storedEmailForms", () => {
  it("returns one form for an ASCII address", () => {
    expect(storedEmailForms(" Kunde@Example.com")).toEqual(["kunde@example.com"]);
  });

  it("returns the punycode and the Unicode form for an internationalised domain", () => {
    expect(storedEmailForms("Kunde@Bücher.example")).toEqual(["kunde@xn--bcher-kva.example", "kunde@bücher.example"]);
  });

  it("returns nothing for an invalid address", () => {
    expect(storedEmailForms("kein-at-zeichen")).toEqual([]);
  });
});
