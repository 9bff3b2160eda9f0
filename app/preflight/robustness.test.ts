import { StandardFonts } from "pdf-lib";
import { describe, expect, test } from "vitest";
import { bytesReader, preflight } from "./index";
import { A4_MM, buildPdf, pseudoRandomBytes } from "./test-support/pdf-builders";
import { buildEncryptedPdf } from "./test-support/encrypted-pdf";

/** Overwrites `count` bytes at pseudo-random positions, driven by `seed`. */
function corrupt(bytes: Uint8Array, seed: number, count: number): Uint8Array {
  const copy = Uint8Array.from(bytes);
  const noise = pseudoRandomBytes(count * 5, seed);
  for (let i = 0; i < count; i++) {
    const position = ((noise[i * 5] << 24) | (noise[i * 5 + 1] << 16) | (noise[i * 5 + 2] << 8) | noise[i * 5 + 3]) >>> 0;
    copy[position % copy.length] = noise[i * 5 + 4];
  }
  return copy;
}

describe("robustness", () => {
  test("corrupted files never throw", async () => {
    const sources = [
      await buildPdf([{ trimMm: A4_MM, bleedMm: 3, text: StandardFonts.Helvetica }, { trimMm: A4_MM }], { useObjectStreams: false }),
      await buildPdf([{ trimMm: A4_MM, bleedMm: 3, text: StandardFonts.Helvetica }, { trimMm: A4_MM }], { useObjectStreams: true }),
      await buildEncryptedPdf({ method: "AESV2", userPassword: "" }),
    ];

    for (const [index, source] of sources.entries()) {
      for (let seed = 1; seed <= 150; seed++) {
        const started = performance.now();
        const report = await preflight(bytesReader(corrupt(source, seed * 7919 + index, 1 + (seed % 8))));

        expect(["ok", "warning", "error"], `source ${index}, seed ${seed}`).toContain(report.verdict);
        expect(report.findings.map((finding) => finding.check), `source ${index}, seed ${seed}`).not.toContain("engine.failed");
        expect(performance.now() - started, `source ${index}, seed ${seed}`).toBeLessThan(5000);
      }
    }
  }, 120_000);
});
