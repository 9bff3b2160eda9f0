import { deflateSync } from "node:zlib";
import { describe, expect, test } from "vitest";
import { decodeStreamData, inflate } from "./reader/filters";
import { PdfDict, PdfName } from "./reader/objects";
import { pseudoRandomBytes } from "./test-support/pdf-builders";

describe("stream filters", () => {
  test("inflate keeps data of truncated stream", async () => {
    const original = pseudoRandomBytes(200_000, 3).map((byte) => byte & 0x0f);
    const compressed = deflateSync(original);
    const inflated = await inflate(compressed.subarray(0, Math.floor(compressed.length / 2)));

    expect(inflated.length).toBeGreaterThan(10_000);
    expect(inflated.length).toBeLessThan(original.length);
    expect(Buffer.from(inflated).equals(Buffer.from(original.subarray(0, inflated.length)))).toBe(true);
  });

  test("inflate of garbage does not throw", async () => {
    const inflated = await inflate(pseudoRandomBytes(1000, 5));

    expect(inflated).toBeInstanceOf(Uint8Array);
  });

  test("PNG Up predictor is reversed", async () => {
    // Two rows of 3 columns, each row starting with filter type 2 (Up).
    const rows = [2, 1, 2, 3, 2, 10, 20, 30];
    const parms = new PdfDict(new Map([["Predictor", 12], ["Columns", 3]]));
    const decoded = await decodeStreamData(deflateSync(Uint8Array.from(rows)), new PdfName("FlateDecode"), parms);

    expect(Array.from(decoded)).toEqual([1, 2, 3, 11, 22, 33]);
  });

  test("PNG Paeth and Sub predictors are reversed", async () => {
    const rows = [1, 5, 1, 1, 4, 1, 1, 1];
    const parms = new PdfDict(new Map([["Predictor", 15], ["Columns", 3]]));
    const decoded = await decodeStreamData(deflateSync(Uint8Array.from(rows)), new PdfName("FlateDecode"), parms);

    expect(Array.from(decoded)).toEqual([5, 6, 7, 6, 7, 8]);
  });

  test("unsupported filter is rejected", async () => {
    await expect(decodeStreamData(new Uint8Array(4), new PdfName("LZWDecode"), undefined)).rejects.toThrow("LZWDecode");
  });
});
