import { PDFDocument, PDFName } from "pdf-lib";
import { describe, expect, test } from "vitest";
import { bytesReader, preflight } from "./index";
import { A4_MM, A5_MM, POINTS_PER_MM, addOutputIntent, addPage, buildPdf } from "./test-support/pdf-builders";
import { findingsOf, listChecks } from "./test-support/report-helpers";

describe("page boxes", () => {
  test("3 mm bleed passes", async () => {
    const bytes = await buildPdf([{ trimMm: A4_MM, bleedMm: 3 }, { trimMm: A4_MM, bleedMm: 3 }]);
    const report = await preflight(bytesReader(bytes));

    expect(listChecks(report)).toEqual([]);
    expect(report.verdict).toBe("ok");
    expect(report.pageCount).toBe(2);
    expect(report.engineVersion).toBe("0.2.0");
  });

  test("trim equal to media has no bleed", async () => {
    const bytes = await buildPdf([{ trimMm: A4_MM, bleedMm: 0 }]);
    const report = await preflight(bytesReader(bytes));

    expect(listChecks(report)).toEqual(["boxes.bleed-too-small:error"]);
    expect(report.findings[0].page).toBe(1);
    expect(report.findings[0].measured).toBe("0 mm");
    expect(report.findings[0].expected).toBe("mindestens 3 mm");
    expect(report.findings[0].title).toBe("Beschnitt zu klein");
    expect(report.verdict).toBe("error");
  });

  test("1 mm bleed is too small on every page", async () => {
    const bytes = await buildPdf([{ trimMm: A4_MM, bleedMm: 3 }, { trimMm: A4_MM, bleedMm: 1 }, { trimMm: A4_MM, bleedMm: 1.5 }]);
    const report = await preflight(bytesReader(bytes));

    const bleed = findingsOf(report, "boxes.bleed-too-small");
    expect(bleed.map((finding) => finding.page)).toEqual([2, 3]);
    expect(bleed.map((finding) => finding.measured)).toEqual(["1 mm", "1,5 mm"]);
    expect(bleed[0].message).toContain("Seite 2");
    expect(report.verdict).toBe("error");
  });

  test("minBleedMm option lowers the threshold", async () => {
    const bytes = await buildPdf([{ trimMm: A4_MM, bleedMm: 1 }]);
    const report = await preflight(bytesReader(bytes), { minBleedMm: 1 });

    expect(listChecks(report)).toEqual([]);
    expect(report.verdict).toBe("ok");
  });

  test("invalid minBleedMm falls back to 3 mm", async () => {
    const bytes = await buildPdf([{ trimMm: A4_MM, bleedMm: 2 }]);

    for (const minBleedMm of [Number.NaN, -1, Number.POSITIVE_INFINITY]) {
      const report = await preflight(bytesReader(bytes), { minBleedMm });
      expect(listChecks(report), `minBleedMm ${minBleedMm}`).toEqual(["boxes.bleed-too-small:error"]);
      expect(report.findings[0].expected).toBe("mindestens 3 mm");
    }
  });

  test("bleed measured at the smallest side", async () => {
    const document = await PDFDocument.create();
    addOutputIntent(document);
    const page = document.addPage([600, 800]);
    // 5 mm left, bottom and top, but only 2 mm on the right.
    const fiveMm = 5 * POINTS_PER_MM;
    const twoMm = 2 * POINTS_PER_MM;
    page.setTrimBox(fiveMm, fiveMm, 600 - fiveMm - twoMm, 800 - 2 * fiveMm);
    const report = await preflight(bytesReader(await document.save()));

    expect(listChecks(report)).toEqual(["boxes.bleed-too-small:error"]);
    expect(report.findings[0].measured).toBe("2 mm");
  });

  test("BleedBox limits the bleed", async () => {
    const document = await PDFDocument.create();
    addOutputIntent(document);
    const page = document.addPage([600, 800]);
    const fiveMm = 5 * POINTS_PER_MM;
    page.setTrimBox(fiveMm, fiveMm, 600 - 2 * fiveMm, 800 - 2 * fiveMm);
    page.setBleedBox(fiveMm - POINTS_PER_MM, fiveMm - POINTS_PER_MM, 600 - 2 * fiveMm + 2 * POINTS_PER_MM, 800 - 2 * fiveMm + 2 * POINTS_PER_MM);
    const report = await preflight(bytesReader(await document.save()));

    expect(listChecks(report)).toEqual(["boxes.bleed-too-small:error"]);
    expect(report.findings[0].measured).toBe("1 mm");
  });

  test("BleedBox is clipped to MediaBox", async () => {
    const document = await PDFDocument.create();
    addOutputIntent(document);
    const page = document.addPage([600, 800]);
    const oneMm = POINTS_PER_MM;
    page.setTrimBox(oneMm, oneMm, 600 - 2 * oneMm, 800 - 2 * oneMm);
    page.setBleedBox(-50, -50, 700, 900);
    const report = await preflight(bytesReader(await document.save()));

    expect(listChecks(report)).toEqual(["boxes.bleed-too-small:error"]);
    expect(report.findings[0].measured).toBe("1 mm");
  });

  test("CropBox is the default bleed box", async () => {
    const document = await PDFDocument.create();
    addOutputIntent(document);
    const page = document.addPage([600, 800]);
    const fiveMm = 5 * POINTS_PER_MM;
    page.setTrimBox(fiveMm, fiveMm, 600 - 2 * fiveMm, 800 - 2 * fiveMm);
    page.setCropBox(fiveMm - 2 * POINTS_PER_MM, 0, 600, 800);
    const report = await preflight(bytesReader(await document.save()));

    expect(listChecks(report)).toEqual(["boxes.bleed-too-small:error"]);
    expect(report.findings[0].measured).toBe("2 mm");
  });

  test("missing TrimBox is an error per page", async () => {
    const bytes = await buildPdf([{ trimMm: A4_MM, bleedMm: 3, trim: "none" }, { trimMm: A4_MM, bleedMm: 3 }]);
    const report = await preflight(bytesReader(bytes));

    expect(listChecks(report)).toEqual(["boxes.trimbox-missing:error"]);
    expect(report.findings[0].page).toBe(1);
    expect(report.findings[0].title).toBe("Endformat (TrimBox) fehlt");
    expect(report.verdict).toBe("error");
  });

  test("ArtBox stands in for TrimBox", async () => {
    const bytes = await buildPdf([{ trimMm: A4_MM, bleedMm: 3, trim: "art" }]);
    const report = await preflight(bytesReader(bytes));

    expect(listChecks(report)).toEqual(["boxes.trimbox-from-artbox:info"]);
    expect(report.verdict).toBe("ok");
  });

  test("ArtBox without bleed fails the bleed check", async () => {
    const bytes = await buildPdf([{ trimMm: A4_MM, bleedMm: 0, trim: "art" }]);
    const report = await preflight(bytesReader(bytes));

    expect(listChecks(report)).toEqual(["boxes.trimbox-from-artbox:info", "boxes.bleed-too-small:error"]);
  });

  test("mixed trim sizes are an error", async () => {
    const bytes = await buildPdf([
      { trimMm: A4_MM, bleedMm: 3 },
      { trimMm: A5_MM, bleedMm: 3 },
      { trimMm: [210.1, 297.1], bleedMm: 3 },
    ]);
    const report = await preflight(bytesReader(bytes));

    expect(listChecks(report)).toEqual(["boxes.trim-size-mismatch:error"]);
    const [mismatch] = report.findings;
    expect(mismatch.page).toBe(2);
    expect(mismatch.measured).toBe("148 × 210 mm");
    expect(mismatch.expected).toBe("210 × 297 mm wie Seite 1");
    expect(mismatch.message).toContain("Seite 2");
  });

  test("rotated page counts as other orientation", async () => {
    const bytes = await buildPdf([
      { trimMm: A4_MM, bleedMm: 3 },
      { trimMm: [297, 210], bleedMm: 3, rotate: 90 },
      { trimMm: A4_MM, bleedMm: 3, rotate: 90 },
    ]);
    const report = await preflight(bytesReader(bytes));

    expect(listChecks(report)).toEqual(["boxes.trim-size-mismatch:error"]);
    expect(report.findings[0].page).toBe(3);
  });

  test("MediaBox inherited from page tree", async () => {
    const document = await PDFDocument.create();
    const page = await addPage(document, { trimMm: A4_MM, bleedMm: 0 });
    const mediaBox = page.node.get(PDFName.of("MediaBox"));
    page.node.delete(PDFName.of("MediaBox"));
    document.catalog.Pages().set(PDFName.of("MediaBox"), mediaBox ?? document.context.obj([0, 0, 1, 1]));
    const report = await preflight(bytesReader(await document.save()));

    expect(listChecks(report)).toEqual(["boxes.bleed-too-small:error"]);
    expect(report.findings[0].measured).toBe("0 mm");
  });

  test("missing MediaBox is an error", async () => {
    const document = await PDFDocument.create();
    const page = await addPage(document, { trimMm: A4_MM, bleedMm: 3 });
    page.node.delete(PDFName.of("MediaBox"));
    const report = await preflight(bytesReader(await document.save()));

    expect(listChecks(report)).toEqual(["boxes.mediabox-missing:error"]);
  });

  test("many pages without bleed are summarised", async () => {
    const pages = Array.from({ length: 120 }, () => ({ trimMm: A5_MM, bleedMm: 0 }));
    const report = await preflight(bytesReader(await buildPdf(pages)));

    expect(findingsOf(report, "boxes.bleed-too-small")).toHaveLength(100);
    const [summary] = findingsOf(report, "boxes.bleed-too-small.truncated");
    expect(summary.severity).toBe("info");
    expect(summary.message).toContain("20 weitere");
    expect(report.pageCount).toBe(120);
  });
});
