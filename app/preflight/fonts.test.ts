import { PDFDict, PDFDocument, PDFName, StandardFonts } from "pdf-lib";
import { describe, expect, test } from "vitest";
import { bytesReader, preflight } from "./index";
import { A4_MM, addPage, buildPdf, registerFontWithFontFile, registerType0WithoutFontFile } from "./test-support/pdf-builders";
import { findingsOf, listChecks } from "./test-support/report-helpers";

describe("font embedding", () => {
  test("standard font is not embedded", async () => {
    const bytes = await buildPdf([{ trimMm: A4_MM, bleedMm: 3, text: StandardFonts.Helvetica }]);
    const report = await preflight(bytesReader(bytes));

    expect(listChecks(report)).toEqual(["fonts.not-embedded:error"]);
    const [finding] = report.findings;
    expect(finding.measured).toBe("Helvetica");
    expect(finding.page).toBe(1);
    expect(finding.title).toBe("Schrift nicht eingebettet");
    expect(finding.message).toContain("„Helvetica“");
    expect(report.verdict).toBe("error");
  });

  test("one finding per font with its pages", async () => {
    const bytes = await buildPdf([
      { trimMm: A4_MM, bleedMm: 3, text: StandardFonts.Helvetica },
      { trimMm: A4_MM, bleedMm: 3, text: StandardFonts.TimesRoman },
      { trimMm: A4_MM, bleedMm: 3, text: StandardFonts.Helvetica },
      { trimMm: A4_MM, bleedMm: 3, text: StandardFonts.Helvetica },
    ]);
    const report = await preflight(bytesReader(bytes));

    const fonts = findingsOf(report, "fonts.not-embedded");
    expect(fonts.map((finding) => finding.measured)).toEqual(["Helvetica", "Times-Roman"]);
    expect(fonts[0].message).toContain("Seiten 1, 3–4");
    expect(fonts[1].message).toContain("Seite 2");
    expect(fonts[0].page).toBeUndefined();
    expect(fonts[1].page).toBe(2);
  });

  test("font with FontFile2 counts as embedded", async () => {
    const document = await PDFDocument.create();
    const page = await addPage(document, { trimMm: A4_MM, bleedMm: 3, text: StandardFonts.Courier });
    page.node.setFontDictionary(PDFName.of("FEmb"), registerFontWithFontFile(document, "ABCDEF+Minion"));
    page.node.setFontDictionary(PDFName.of("FCid"), registerFontWithFontFile(document, "GHIJKL+KozMin", true));
    const report = await preflight(bytesReader(await document.save()));

    expect(listChecks(report)).toEqual(["fonts.not-embedded:error", "fonts.courier:warning"]);
    expect(report.findings[0].measured).toBe("Courier");
  });

  test("Type0 without font file is reported", async () => {
    const document = await PDFDocument.create();
    const page = await addPage(document, { trimMm: A4_MM, bleedMm: 3 });
    page.node.setFontDictionary(PDFName.of("F1"), registerType0WithoutFontFile(document, "QWERTY+HeiseiMin-W3"));
    const report = await preflight(bytesReader(await document.save()));

    expect(listChecks(report)).toEqual(["fonts.not-embedded:error"]);
    expect(report.findings[0].measured).toBe("HeiseiMin-W3");
  });

  test("fonts inside form XObjects are found", async () => {
    const source = await PDFDocument.create();
    await addPage(source, { trimMm: A4_MM, text: StandardFonts.Helvetica });
    const document = await PDFDocument.create();
    const [embedded] = await document.embedPdf(await source.save());
    const page = await addPage(document, { trimMm: A4_MM, bleedMm: 3 });
    page.drawPage(embedded);
    const report = await preflight(bytesReader(await document.save()));

    expect(listChecks(report)).toEqual(["fonts.not-embedded:error"]);
    expect(report.findings[0].measured).toBe("Helvetica");
  });

  test("form XObject cycle terminates", async () => {
    const document = await PDFDocument.create();
    const page = await addPage(document, { trimMm: A4_MM, bleedMm: 3 });
    const font = document.context.register(document.context.obj({ Type: "Font", Subtype: "Type1", BaseFont: "Times-Bold" }));
    const formRef = document.context.nextRef();
    const form = document.context.stream("", {
      Type: "XObject",
      Subtype: "Form",
      BBox: [0, 0, 10, 10],
      Resources: { Font: { F1: font }, XObject: { Self: formRef } },
    });
    document.context.assign(formRef, form);
    page.node.setXObject(PDFName.of("X1"), formRef);
    const report = await preflight(bytesReader(await document.save()));

    expect(listChecks(report)).toEqual(["fonts.not-embedded:error"]);
    expect(report.findings[0].measured).toBe("Times-Bold");
  });

  test("Type3 font counts as embedded", async () => {
    const document = await PDFDocument.create();
    const page = await addPage(document, { trimMm: A4_MM, bleedMm: 3 });
    const type3 = document.context.register(
      document.context.obj({
        Type: "Font",
        Subtype: "Type3",
        FontBBox: [0, 0, 1, 1],
        FontMatrix: [1, 0, 0, 1, 0, 0],
        CharProcs: {},
        Encoding: { Type: "Encoding", Differences: [] },
        FirstChar: 0,
        LastChar: 0,
        Widths: [0],
      }),
    );
    page.node.setFontDictionary(PDFName.of("T3"), type3);
    const report = await preflight(bytesReader(await document.save()));

    expect(listChecks(report)).toEqual([]);
    expect(report.verdict).toBe("ok");
  });

  test("font dictionary given inline is read", async () => {
    const document = await PDFDocument.create();
    const page = await addPage(document, { trimMm: A4_MM, bleedMm: 3 });
    const resources = page.node.Resources() as PDFDict;
    resources.set(PDFName.of("Font"), document.context.obj({ F9: { Type: "Font", Subtype: "Type1", BaseFont: "Symbol" } }));
    const report = await preflight(bytesReader(await document.save()));

    expect(listChecks(report)).toEqual(["fonts.not-embedded:error"]);
    expect(report.findings[0].measured).toBe("Symbol");
  });
});
