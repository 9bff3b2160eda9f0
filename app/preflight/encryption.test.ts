import { createHash } from "node:crypto";
import { describe, expect, test } from "vitest";
import { md5 } from "./crypto/md5";
import { rc4 } from "./crypto/rc4";
import { aesCbcDecryptNoPadding, aesCbcEncryptNoPadding } from "./crypto/aes";
import { bytesReader, preflight } from "./index";
import { PdfDocument } from "./reader/document";
import { PdfString } from "./reader/objects";
import { CachedReader } from "./reader/range-cache";
import { buildEncryptedPdf, type EncryptionMethod } from "./test-support/encrypted-pdf";
import { pseudoRandomBytes } from "./test-support/pdf-builders";
import { listChecks } from "./test-support/report-helpers";

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

describe("crypto helpers", () => {
  test("md5 matches RFC 1321 vectors", () => {
    expect(hex(md5(new Uint8Array(0)))).toBe("d41d8cd98f00b204e9800998ecf8427e");
    expect(hex(md5(new TextEncoder().encode("abc")))).toBe("900150983cd24fb0d6963f7d28e17f72");
  });

  test("md5 matches node crypto on all lengths", () => {
    for (let length = 0; length < 200; length++) {
      const data = pseudoRandomBytes(length, length + 1);
      expect(hex(md5(data)), `length ${length}`).toBe(createHash("md5").update(data).digest("hex"));
    }
  });

  test("rc4 matches known vector", () => {
    const encrypted = rc4(new TextEncoder().encode("Key"), new TextEncoder().encode("Plaintext"));
    expect(hex(encrypted)).toBe("bbf316e8d940af0ad3");
  });

  test("aes without padding round-trips", async () => {
    const key = pseudoRandomBytes(32, 7);
    const iv = pseudoRandomBytes(16, 8);
    const data = pseudoRandomBytes(64, 9);
    const encrypted = await aesCbcEncryptNoPadding(key, iv, data);

    expect(encrypted.length).toBe(64);
    expect(hex(await aesCbcDecryptNoPadding(key, iv, encrypted))).toBe(hex(data));
  });
});

describe("encrypted files", () => {
  const methods: EncryptionMethod[] = ["RC4-40", "RC4-128", "AESV2", "AESV3"];

  for (const method of methods) {
    test(`${method} with user password is rejected`, async () => {
      const report = await preflight(bytesReader(await buildEncryptedPdf({ method, userPassword: "geheim" })));

      expect(listChecks(report)).toEqual(["file.encrypted:error"]);
      expect(report.findings[0].title).toBe("Datei ist passwortgeschützt");
      expect(report.findings[0].message).toContain("ohne Passwortschutz");
      expect(report.pageCount).toBeNull();
      expect(report.verdict).toBe("error");
    });

    test(`${method} with owner password only is checked`, async () => {
      const report = await preflight(bytesReader(await buildEncryptedPdf({ method, userPassword: "" })));

      // The page and its font sit in an encrypted object stream: finding them proves decryption.
      expect(listChecks(report)).toEqual(["fonts.not-embedded:error", "document.output-intent-missing:warning"]);
      expect(report.findings[0].measured).toBe("Helvetica");
      expect(report.pageCount).toBe(1);
    });

    test(`${method} strings are decrypted`, async () => {
      const bytes = await buildEncryptedPdf({ method, userPassword: "", catalogLang: "de-DE" });
      const document = await PdfDocument.open(new CachedReader(bytesReader(bytes)));

      const lang = (await document.getCatalog()).get("Lang");
      expect(lang).toBeInstanceOf(PdfString);
      expect(new TextDecoder("latin1").decode((lang as PdfString).bytes)).toBe("de-DE");
    });
  }

  test("encrypted file with broken startxref", async () => {
    for (const method of methods) {
      const bytes = await buildEncryptedPdf({ method, userPassword: "" });
      const broken = Buffer.from(Buffer.from(bytes).toString("latin1").replace(/startxref\s+\d+/, "startxref\n3"), "latin1");
      const report = await preflight(bytesReader(new Uint8Array(broken)));

      expect(listChecks(report), method).toEqual(["file.repaired:warning", "fonts.not-embedded:error", "document.output-intent-missing:warning"]);
      expect(report.pageCount, method).toBe(1);
    }
  });

  test("unknown security handler is unsupported", async () => {
    const bytes = await buildEncryptedPdf({ method: "RC4-128", userPassword: "" });
    const patched = Buffer.from(Buffer.from(bytes).toString("latin1").replace("/Filter /Standard", "/Filter /Adobe.PubSec"), "latin1");
    const report = await preflight(bytesReader(new Uint8Array(patched)));

    expect(listChecks(report)).toEqual(["file.encryption-unsupported:error"]);
    expect(report.pageCount).toBeNull();
  });
});
