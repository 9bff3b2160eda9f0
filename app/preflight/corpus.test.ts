// Runs the engine over a folder of real-world PDFs, set with PDF_CORPUS_DIR, and compares the
// results with corpus-manifest.json. Without PDF_CORPUS_DIR the tests are skipped.

import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import manifest from "./corpus-manifest.json";
import { checkFonts } from "./checks/fonts";
import { preflight } from "./index";
import { PdfDocument } from "./reader/document";
import { collectPages } from "./reader/pages";
import { CachedReader } from "./reader/range-cache";
import { openFileReader } from "./test-support/file-reader";
import type { PreflightReport } from "./types";

interface ManifestEntry {
  pageCount: number | null;
  encrypted?: boolean;
  repaired?: boolean;
  notEmbeddedFonts?: string[];
  trimBoxMissingPages?: number[];
  bleedTooSmallPages?: number[];
  trimSizeMismatchPages?: number[];
  userPassword?: string;
  pageCountWithPassword?: number;
  notEmbeddedFontsWithPassword?: string[];
}

const corpusDir = process.env.PDF_CORPUS_DIR;
const entries = manifest.files as Record<string, ManifestEntry>;
/** Generous bound per file, so a slow CI machine does not fail but a hang does. */
const MAX_SECONDS_PER_FILE = 30;

function listPdfFiles(directory: string): string[] {
  return readdirSync(directory)
    .filter((name) => name.toLowerCase().endsWith(".pdf"))
    .sort();
}

function pagesOf(report: PreflightReport, check: string): number[] {
  return report.findings.filter((finding) => finding.check === check).map((finding) => finding.page ?? 0);
}

const suiteName = corpusDir ? `corpus in ${corpusDir}` : "corpus (skipped: PDF_CORPUS_DIR is not set to a folder of PDFs)";

describe.skipIf(!corpusDir)(suiteName, () => {
  const directory = corpusDir ?? "";
  const files = corpusDir ? listPdfFiles(directory) : [];

  test("corpus folder has PDFs", () => {
    expect(files.length).toBeGreaterThan(0);
  });

  for (const name of files) {
    test(
      `${name} finishes and matches manifest`,
      async () => {
        const reader = openFileReader(join(directory, name));
        const started = performance.now();
        let report: PreflightReport;
        try {
          report = await preflight(reader);
        } finally {
          reader.close();
        }
        const seconds = (performance.now() - started) / 1000;

        expect(seconds).toBeLessThan(MAX_SECONDS_PER_FILE);
        expect(["ok", "warning", "error"]).toContain(report.verdict);
        expect(report.findings.map((finding) => finding.check)).not.toContain("engine.failed");

        const expected = entries[name];
        if (!expected) return;

        expect(report.pageCount).toBe(expected.pageCount);
        expect(report.findings.some((finding) => finding.check === "file.encrypted")).toBe(expected.encrypted ?? false);
        expect(report.findings.some((finding) => finding.check === "file.repaired")).toBe(expected.repaired ?? false);
        if (expected.notEmbeddedFonts) {
          const fonts = report.findings.filter((finding) => finding.check === "fonts.not-embedded").map((finding) => finding.measured);
          expect(fonts.sort()).toEqual([...expected.notEmbeddedFonts].sort());
        }
        if (expected.trimBoxMissingPages) expect(pagesOf(report, "boxes.trimbox-missing")).toEqual(expected.trimBoxMissingPages);
        if (expected.bleedTooSmallPages) expect(pagesOf(report, "boxes.bleed-too-small")).toEqual(expected.bleedTooSmallPages);
        if (expected.trimSizeMismatchPages) expect(pagesOf(report, "boxes.trim-size-mismatch")).toEqual(expected.trimSizeMismatchPages);
      },
      (MAX_SECONDS_PER_FILE + 5) * 1000,
    );
  }

  // Opening the AES-256 file with its user password checks the revision 6 hash and AESV3 decryption on a real file.
  for (const [name, expected] of Object.entries(entries)) {
    if (!expected.userPassword || !files.includes(name)) continue;

    test(`${name} opens with its user password`, async () => {
      const reader = openFileReader(join(directory, name));
      try {
        const document = await PdfDocument.open(new CachedReader(reader), new TextEncoder().encode(expected.userPassword));
        const { pages } = await collectPages(document);
        const fonts = await checkFonts(document, pages);

        expect(pages.length).toBe(expected.pageCountWithPassword);
        expect(fonts.map((finding) => finding.measured).sort()).toEqual(expected.notEmbeddedFontsWithPassword ?? []);
      } finally {
        reader.close();
      }
    });
  }
});
