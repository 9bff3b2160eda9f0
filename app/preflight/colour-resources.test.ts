import { PDFDocument, PDFName } from "pdf-lib";
import { describe, expect, test } from "vitest";
import { bytesReader, preflight } from "./index";
import { A4_MM, addPage } from "./test-support/pdf-builders";
import { findingsOf } from "./test-support/report-helpers";

const TINT = { FunctionType: 2, Domain: [0, 1], C0: [0, 0, 0, 0], C1: [0, 1, 0.6, 0], N: 1 };

async function createDocument(pageCount = 1): Promise<PDFDocument> {
  const document = await PDFDocument.create();
  for (let i = 0; i < pageCount; i++) await addPage(document, { trimMm: A4_MM, bleedMm: 3 });
  return document;
}

async function check(document: PDFDocument) {
  return preflight(bytesReader(await document.save({ useObjectStreams: false })));
}

describe("spot colours in resources", () => {
  test("unused Separation is listed", async () => {
    const document = await createDocument();
    const separation = document.context.obj(["Separation", "HKS 43 K", "DeviceCMYK", TINT] as never);
    document.getPage(0).node.Resources()?.set(PDFName.of("ColorSpace"), document.context.obj({ CS0: separation }));
    const report = await check(document);

    const [finding] = findingsOf(report, "colour.spot-list");
    expect(finding.severity).toBe("info");
    expect(finding.measured).toBe("1 Sonderfarbe");
    expect(finding.message).toContain("Sonderfarben: HKS 43 K.");
    expect(finding.page).toBeUndefined();
    expect(finding.expected).toBe("höchstens 2 Sonderfarben");
  });

  test("spots from images, shadings and forms are listed once", async () => {
    const document = await createDocument(2);
    const devicen = document.context.obj(["DeviceN", ["Cyan", "PANTONE 123 C"], "DeviceCMYK", TINT] as never);
    const image = document.context.register(
      document.context.stream("", { Type: "XObject", Subtype: "Image", Width: 1, Height: 1, BitsPerComponent: 8, ColorSpace: devicen }),
    );
    const shading = document.context.obj({ ShadingType: 2, ColorSpace: ["Separation", "Gold", "DeviceCMYK", TINT], Coords: [0, 0, 1, 0], Function: TINT });
    const form = document.context.register(
      document.context.stream("", {
        Type: "XObject",
        Subtype: "Form",
        BBox: [0, 0, 10, 10],
        Resources: { Shading: { Sh1: shading }, ColorSpace: { CS1: ["Indexed", ["Separation", "PANTONE 123 C", "DeviceCMYK", TINT], 1, "0011"] } },
      } as never),
    );
    document.getPage(0).node.setXObject(PDFName.of("Im1"), image);
    document.getPage(1).node.setXObject(PDFName.of("Fm1"), form);
    document.getPage(0).node.setXObject(PDFName.of("Fm1"), form);
    const report = await check(document);

    const findings = findingsOf(report, "colour.spot-list");
    expect(findings).toHaveLength(1);
    expect(findings[0].measured).toBe("2 Sonderfarben");
    expect(findings[0].message).toContain("Sonderfarben: Gold, PANTONE 123 C.");
  });

  test("process colour separations are not spots", async () => {
    const document = await createDocument();
    const colourSpaces = document.context.obj({
      CS0: ["Separation", "Black", "DeviceCMYK", TINT],
      CS1: ["DeviceN", ["Cyan", "Magenta", "None"], "DeviceCMYK", TINT],
    } as never);
    document.getPage(0).node.Resources()?.set(PDFName.of("ColorSpace"), colourSpaces);
    const report = await check(document);

    expect(findingsOf(report, "colour.spot-list")).toEqual([]);
    expect(findingsOf(report, "colour.spot-all-resource")).toEqual([]);
  });

  test("Separation All is a warning", async () => {
    const document = await createDocument(2);
    const all = document.context.obj(["Separation", "All", "DeviceCMYK", TINT] as never);
    document.getPage(1).node.Resources()?.set(PDFName.of("ColorSpace"), document.context.obj({ CS0: all }));
    const report = await check(document);

    const [finding] = findingsOf(report, "colour.spot-all-resource");
    expect(finding.severity).toBe("warning");
    expect(finding.page).toBe(2);
    expect(finding.measured).toBe("All");
    expect(findingsOf(report, "colour.spot-list")).toEqual([]);
  });

  test("UTF-8 spot name is decoded", async () => {
    const document = await createDocument();
    const separation = document.context.obj(["Separation", "Goldbraun Glänzend", "DeviceCMYK", TINT] as never);
    document.getPage(0).node.Resources()?.set(PDFName.of("ColorSpace"), document.context.obj({ CS0: separation }));
    const report = await check(document);

    expect(findingsOf(report, "colour.spot-list")[0].message).toContain("Goldbraun Glänzend");
  });
});
