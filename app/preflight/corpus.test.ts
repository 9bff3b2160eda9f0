// Runs the engine over a folder of real-world PDFs, set with PDF_CORPUS_DIR, and compares the
// results with corpus-manifest.json. Without PDF_CORPUS_DIR the tests are skipped.

import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import manifest from "./corpus-manifest.json";
import { checkFonts } from "./checks/fonts";
import { ContentInterpreter } from "./content/interpreter";
import { preflight } from "./index";
import { PdfDocument } from "./reader/document";
import { collectPages } from "./reader/pages";
import { CachedReader } from "./reader/range-cache";
import { openFileReader } from "./test-support/file-reader";
import type { PreflightReport } from "./types";

interface ImagePpi {
  page: number;
  x: number;
  y: number;
}

interface ManifestEntry {
  pageCount: number | null;
  /** Each image placement in drawing order, with the whole-number ppi that pdfimages -list reports. */
  imagePpi?: ImagePpi[];
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

  // Effective resolution of every image placement, from the interpreter's image events.
  for (const [name, expected] of Object.entries(entries)) {
    if (!expected.imagePpi || !files.includes(name)) continue;

    test(`${name} image resolution matches pdfimages`, async () => {
      const reader = openFileReader(join(directory, name));
      const measured: ImagePpi[] = [];
      try {
        const document = await PdfDocument.open(new CachedReader(reader));
        const { pages } = await collectPages(document);
        const interpreter = new ContentInterpreter(document);
        for (const page of pages) {
          await interpreter.runPage({ dict: page.dict, resources: page.resources, mediaBox: [0, 0, 612, 792] }, (event) => {
            if (event.kind === "image") measured.push({ page: page.number, x: event.ppiX, y: event.ppiY });
          });
        }
      } finally {
        reader.close();
      }

      expect(measured.map((image) => image.page)).toEqual(expected.imagePpi?.map((image) => image.page));
      measured.forEach((image, index) => {
        const reference = expected.imagePpi?.[index] as ImagePpi;
        // pdfimages rounds to whole ppi, so 1 ppi of difference is allowed.
        expect(Math.abs(image.x - reference.x), `image ${index + 1} x-ppi ${image.x}`).toBeLessThanOrEqual(1);
        expect(Math.abs(image.y - reference.y), `image ${index + 1} y-ppi ${image.y}`).toBeLessThanOrEqual(1);
      });
    });
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
