import { describe, expect, it } from "vitest";

import { findPdfHeader } from "./pdf-signature";

const encode = (text: string) => new TextEncoder().encode(text);

describe("findPdfHeader", () => {
  it("finds the header at the start", () => {
    expect(findPdfHeader(encode("%PDF-1.7\n%âãÏÓ\n"))).toBe(0);
  });

  it("finds the header after leading bytes", () => {
    const bytes = new Uint8Array(600);
    bytes.set(encode("%PDF-1.4"), 512);
    expect(findPdfHeader(bytes)).toBe(512);
  });

  it("rejects a header after the first 1024 bytes", () => {
    const bytes = new Uint8Array(2048);
    bytes.set(encode("%PDF-1.4"), 1020);
    expect(findPdfHeader(bytes)).toBe(-1);
  });

  it("rejects other file types", () => {
    expect(findPdfHeader(encode("PK\u0003\u0004 a zip archive"))).toBe(-1);
    expect(findPdfHeader(encode("%!PS-Adobe-3.0"))).toBe(-1);
    expect(findPdfHeader(encode("%PDF"))).toBe(-1);
  });

  it("rejects empty input", () => {
    expect(findPdfHeader(new Uint8Array(0))).toBe(-1);
  });
});
