import { PDFDocument, PDFName, StandardFonts } from "pdf-lib";
import { describe, expect, test } from "vitest";
import { bytesReader, preflight } from "./index";
import { A4_MM, addPage } from "./test-support/pdf-builders";
import { findingsOf } from "./test-support/report-helpers";

/** Registers a font whose descriptor has a /FontFile3 stream of the given subtype, without a real font program. */
function registerFontFile3(document: PDFDocument, baseFont: string, fontFileSubtype: string, cid = false) {
  const fontFile = document.context.register(document.context.stream(new Uint8Array([0x4f, 0x54, 0x54, 0x4f]), { Subtype: fontFileSubtype }));
  const descriptor = document.context.register(document.context.obj({ Type: "FontDescriptor", FontName: baseFont, Flags: 32, FontFile3: fontFile }));
  if (!cid) {
    return document.context.register(document.context.obj({ Type: "Font", Subtype: "Type1", BaseFont: baseFont, FontDescriptor: descriptor }));
  }
  const descendant = document.context.register(
    document.context.obj({ Type: "Font", Subtype: "CIDFontType0", BaseFont: baseFont, FontDescriptor: descriptor }),
  );
  return document.context.register(
    document.context.obj({ Type: "Font", Subtype: "Type0", BaseFont: baseFont, Encoding: "Identity-H", DescendantFonts: [descendant] }),
  );
}

describe("FontFile3 and Courier", () => {
  test("FontFile3 fonts count as embedded", async () => {
    const document = await PDFDocument.create();
    const page = await addPage(document, { trimMm: A4_MM, bleedMm: 3 });
    page.node.setFontDictionary(PDFName.of("F1"), registerFontFile3(document, "ABCDEF+MyriadPro-Regular", "OpenType"));
    page.node.setFontDictionary(PDFName.of("F2"), registerFontFile3(document, "GHIJKL+Minion-Bold", "Type1C"));
    page.node.setFontDictionary(PDFName.of("F3"), registerFontFile3(document, "MNOPQR+KozMinPro-Regular", "CIDFontType0C", true));
    const report = await preflight(bytesReader(await document.save()));

    expect(findingsOf(report, "fonts.not-embedded")).toEqual([]);
  });

  test("embedded Courier subset is a warning", async () => {
    const document = await PDFDocument.create();
    const page = await addPage(document, { trimMm: A4_MM, bleedMm: 3 });
    page.node.setFontDictionary(PDFName.of("F1"), registerFontFile3(document, "ABCDEF+CourierNewPS-BoldMT", "OpenType"));
    const report = await preflight(bytesReader(await document.save()));

    const [finding] = findingsOf(report, "fonts.courier");
    expect(finding.severity).toBe("warning");
    expect(finding.measured).toBe("CourierNewPS-BoldMT");
    expect(finding.title).toBe("Schrift Courier");
    expect(finding.page).toBe(1);
    expect(findingsOf(report, "fonts.not-embedded")).toEqual([]);
  });

  test("standard Courier is a warning and not embedded", async () => {
    const document = await PDFDocument.create();
    await addPage(document, { trimMm: A4_MM, bleedMm: 3, text: StandardFonts.Courier });
    await addPage(document, { trimMm: A4_MM, bleedMm: 3, text: StandardFonts.CourierBold });
    await addPage(document, { trimMm: A4_MM, bleedMm: 3, text: StandardFonts.Courier });
    const report = await preflight(bytesReader(await document.save()));

    const courier = findingsOf(report, "fonts.courier");
    expect(courier.map((finding) => finding.measured)).toEqual(["Courier", "Courier-Bold"]);
    expect(courier[0].message).toContain("Seiten 1, 3");
    expect(courier[0].page).toBeUndefined();
    expect(findingsOf(report, "fonts.not-embedded")).toHaveLength(2);
  });

  test("other fonts are no Courier", async () => {
    const document = await PDFDocument.create();
    const page = await addPage(document, { trimMm: A4_MM, bleedMm: 3, text: StandardFonts.Helvetica });
    page.node.setFontDictionary(PDFName.of("F1"), registerFontFile3(document, "ABCDEF+Couriosity", "OpenType"));
    const report = await preflight(bytesReader(await document.save()));

    expect(findingsOf(report, "fonts.courier")).toEqual([]);
  });
});
