import { deflateSync } from "node:zlib";
import { PDFName } from "pdf-lib";
import { describe, expect, test } from "vitest";
import { ContentInterpreter } from "./content/interpreter";
import { bytesReader, preflight, type ProfileId } from "./index";
import { PdfDocument } from "./reader/document";
import { collectPages } from "./reader/pages";
import { CachedReader } from "./reader/range-cache";
import { ContentPdf, buildContentPdf } from "./test-support/content-pdf";
import { findingsOf } from "./test-support/report-helpers";
import type { PreflightReport } from "./types";

async function check(bytes: Uint8Array, profile?: ProfileId): Promise<PreflightReport> {
  return preflight(bytesReader(bytes), { profile });
}

const SPOT_TINT = { FunctionType: 2, Domain: [0, 1], C0: [0, 0, 0, 0], C1: [0, 0.3, 1, 0], N: 1 };

function separation(name: string): unknown[] {
  return ["Separation", name, "DeviceCMYK", SPOT_TINT];
}

describe("image resolution", () => {
  test("low-resolution image is an error", async () => {
    // 100 pixels over 100 pt: 72 ppi.
    const bytes = await buildContentPdf("q 100 0 0 100 50 50 cm /Im0 Do Q", (pdf) => ({ XObject: { Im0: pdf.image(100, 100) } }));
    const findings = findingsOf(await check(bytes), "images.resolution-low");

    expect(findings).toHaveLength(1);
    expect(findings[0].severity).toBe("error");
    expect(findings[0].measured).toBe("72 ppi");
    expect(findings[0].expected).toBe("mindestens 225 ppi");
    expect(findings[0].page).toBe(1);
    expect(findings[0].area).toEqual([50, 50, 150, 150]);
  });

  test("300 ppi image passes", async () => {
    const bytes = await buildContentPdf("q 72 0 0 72 50 50 cm /Im0 Do Q", (pdf) => ({ XObject: { Im0: pdf.image(300, 300) } }));
    expect(findingsOf(await check(bytes), "images.resolution-low")).toEqual([]);
  });

  test("200 ppi image is a warning", async () => {
    const bytes = await buildContentPdf("q 72 0 0 72 50 50 cm /Im0 Do Q", (pdf) => ({ XObject: { Im0: pdf.image(200, 200) } }));
    const findings = findingsOf(await check(bytes), "images.resolution-low");

    expect(findings.map((finding) => finding.severity)).toEqual(["warning"]);
    expect(findings[0].measured).toBe("200 ppi");
  });

  test("rotated image keeps its resolution", async () => {
    // 30 degrees, 100 pt along both image axes, 100 pixels: 72 ppi.
    const cos = Math.cos(Math.PI / 6) * 100;
    const sin = Math.sin(Math.PI / 6) * 100;
    const content = `q ${cos} ${sin} ${-sin} ${cos} 200 200 cm /Im0 Do Q`;
    const bytes = await buildContentPdf(content, (pdf) => ({ XObject: { Im0: pdf.image(100, 100) } }));
    const findings = findingsOf(await check(bytes), "images.resolution-low");

    expect(findings.map((finding) => finding.measured)).toEqual(["72 ppi"]);
  });

  test("rotated sharp image passes", async () => {
    const bytes = await buildContentPdf("q 0 72 -72 0 200 200 cm /Im0 Do Q", (pdf) => ({ XObject: { Im0: pdf.image(300, 300) } }));
    expect(findingsOf(await check(bytes), "images.resolution-low")).toEqual([]);
  });

  test("skewed image uses the coarser axis", async () => {
    // x axis 144 pt long: 150 ppi; y axis (72, 144) is 161 pt long: 134 ppi.
    const bytes = await buildContentPdf("q 144 0 72 144 50 50 cm /Im0 Do Q", (pdf) => ({ XObject: { Im0: pdf.image(300, 300) } }));
    const findings = findingsOf(await check(bytes), "images.resolution-low");

    expect(findings.map((finding) => `${finding.severity} ${finding.measured}`)).toEqual(["error 134 ppi"]);
  });

  test("image in nested forms with Matrix", async () => {
    // 2 × 0.5 × 0.25 × 400 pt = 100 pt for 150 pixels: 108 ppi.
    const bytes = await buildContentPdf("q 2 0 0 2 0 0 cm /Outer Do Q", (pdf) => {
      const inner = pdf.form("q 400 0 0 400 0 0 cm /Im0 Do Q", { XObject: { Im0: pdf.image(150, 150) } }, { Matrix: [0.25, 0, 0, 0.25, 0, 0] });
      const outer = pdf.form("/Inner Do", { XObject: { Inner: inner } }, { Matrix: [0.5, 0, 0, 0.5, 10, 10] });
      return { XObject: { Outer: outer } };
    });
    const findings = findingsOf(await check(bytes), "images.resolution-low");

    expect(findings.map((finding) => finding.measured)).toEqual(["108 ppi"]);
    expect(findings[0].area).toEqual([20, 20, 120, 120]);
  });

  test("form resources fall back to the parent's", async () => {
    const bytes = await buildContentPdf("/Fm0 Do", (pdf) => ({
      XObject: { Fm0: pdf.stream({ Type: "XObject", Subtype: "Form", BBox: [0, 0, 500, 500] }, "q 100 0 0 100 0 0 cm /Im0 Do Q"), Im0: pdf.image(100, 100) },
    }));
    expect(findingsOf(await check(bytes), "images.resolution-low").map((finding) => finding.measured)).toEqual(["72 ppi"]);
  });

  test("unfiltered inline image is skipped by its length", async () => {
    // 20 × 20 gray pixels whose data contains " EI " to mislead a search; RGB paint follows.
    const pixels = " EI ".repeat(100);
    const content = `q 20 0 0 20 10 10 cm BI /W 20 /H 20 /CS /G /BPC 8 ID ${pixels} EI Q 1 0 0 rg 0 0 50 50 re f`;
    const report = await check(await buildContentPdf(content));

    expect(findingsOf(report, "images.resolution-low").map((finding) => finding.measured)).toEqual(["72 ppi"]);
    expect(findingsOf(report, "colour.device-independent").map((finding) => finding.measured)).toEqual(["RGB"]);
  });

  test("filtered inline image ends at EI", async () => {
    const data = deflateSync(Buffer.alloc(20 * 20 * 4, 0x41));
    const head = Buffer.from("q 20 0 0 20 10 10 cm BI /W 20 /H 20 /CS /CMYK /BPC 8 /F /Fl ID ", "latin1");
    const tail = Buffer.from("\nEI Q 1 0 0 rg 0 0 50 50 re f", "latin1");
    const report = await check(await buildContentPdf(new Uint8Array(Buffer.concat([head, data, tail]))));

    expect(findingsOf(report, "images.resolution-low").map((finding) => finding.measured)).toEqual(["72 ppi"]);
    expect(findingsOf(report, "colour.device-independent")).toHaveLength(1);
  });

  test("tiny images are exempt", async () => {
    const bytes = await buildContentPdf("q 500 0 0 500 0 0 cm /Im0 Do Q", (pdf) => ({ XObject: { Im0: pdf.image(16, 400) } }));
    expect(findingsOf(await check(bytes), "images.resolution-low")).toEqual([]);
  });

  test("1-bit image against bitmap limits", async () => {
    // 1000 pixels over 144 pt: 500 ppi, an error for line art but fine for a photo.
    const bytes = await buildContentPdf("q 144 0 0 144 0 0 cm /Im0 Do Q", (pdf) => ({ XObject: { Im0: pdf.image(1000, 1000, "DeviceGray", 1) } }));
    const report = await check(bytes);

    expect(findingsOf(report, "images.bitmap-resolution-low").map((finding) => `${finding.severity} ${finding.measured}`)).toEqual(["error 500 ppi"]);
    expect(findingsOf(report, "images.resolution-low")).toEqual([]);
  });

  test("sharp image mask passes", async () => {
    const bytes = await buildContentPdf("q 0 0 0 1 k 72 0 0 72 0 0 cm /Im0 Do Q", (pdf) => ({
      XObject: { Im0: pdf.stream({ Type: "XObject", Subtype: "Image", Width: 1000, Height: 1000, ImageMask: true }, "\0") },
    }));
    expect(findingsOf(await check(bytes), "images.bitmap-resolution-low")).toEqual([]);
  });

  test("one finding per placement", async () => {
    const content = "q 100 0 0 100 0 0 cm /Im0 Do Q q 100 0 0 100 200 0 cm /Im0 Do Q";
    const bytes = await buildContentPdf(content, (pdf) => ({ XObject: { Im0: pdf.image(100, 100) } }));
    expect(findingsOf(await check(bytes), "images.resolution-low")).toHaveLength(2);
  });
});

describe("content interpretation", () => {
  test("form that draws itself ends", async () => {
    const pdf = await ContentPdf.create();
    const selfRef = pdf.document.context.nextRef();
    const form = pdf.stream({ Type: "XObject", Subtype: "Form", BBox: [0, 0, 100, 100], Resources: { XObject: { Self: selfRef } } }, "0 0 0 1 k 0 0 10 10 re f /Self Do");
    pdf.document.context.assign(selfRef, pdf.document.context.lookup(form) as never);
    pdf.addPage({ content: "/Self Do", resources: { XObject: { Self: selfRef } } });
    const report = await check(await pdf.save());

    expect(report.findings.map((finding) => finding.check)).not.toContain("engine.failed");
    expect(findingsOf(report, "page.empty")).toEqual([]);
  });

  test("printable annotation appearance is checked", async () => {
    const pdf = await ContentPdf.create();
    const appearance = pdf.stream({ Type: "XObject", Subtype: "Form", BBox: [0, 0, 10, 10] }, "1 0 0 rg 0 0 10 10 re f");
    const printable = pdf.object({ Type: "Annot", Subtype: "Square", Rect: [100, 100, 200, 150], F: 4, AP: { N: appearance } });
    pdf.addPage({ content: "", extra: { Annots: [printable] } });
    const report = await check(await pdf.save());

    const findings = findingsOf(report, "colour.device-independent");
    expect(findings).toHaveLength(1);
    expect(findings[0].area).toEqual([100, 100, 200, 150]);
  });

  test("hidden annotation is not checked", async () => {
    const pdf = await ContentPdf.create();
    const appearance = pdf.stream({ Type: "XObject", Subtype: "Form", BBox: [0, 0, 10, 10] }, "1 0 0 rg 0 0 10 10 re f");
    const noPrint = pdf.object({ Type: "Annot", Subtype: "Square", Rect: [100, 100, 200, 150], F: 0, AP: { N: appearance } });
    const hidden = pdf.object({ Type: "Annot", Subtype: "Square", Rect: [100, 100, 200, 150], F: 6, AP: { N: appearance } });
    pdf.addPage({ content: "", extra: { Annots: [noPrint, hidden] } });
    const report = await check(await pdf.save());

    expect(findingsOf(report, "colour.device-independent")).toEqual([]);
    expect(findingsOf(report, "page.empty")).toHaveLength(1);
  });

  test("tiling pattern content is checked", async () => {
    const bytes = await buildContentPdf("/Pattern cs /P0 scn 0 0 100 100 re f", (pdf) => ({
      Pattern: {
        P0: pdf.stream({ PatternType: 1, PaintType: 1, TilingType: 1, BBox: [0, 0, 10, 10], XStep: 10, YStep: 10, Resources: {} }, "0 0 1 rg 0 0 5 5 re f"),
      },
    }));
    expect(findingsOf(await check(bytes), "colour.device-independent")).toHaveLength(1);
  });

  test("text filled with a shading pattern is checked", async () => {
    const bytes = await buildContentPdf("/Pattern cs /P0 scn BT /F1 20 Tf 100 100 Td (Text) Tj ET", (pdf) => ({
      Font: { F1: pdf.helvetica() },
      Pattern: {
        P0: pdf.object({
          PatternType: 2,
          Shading: { ShadingType: 2, ColorSpace: "DeviceRGB", Coords: [0, 0, 100, 0], Function: { FunctionType: 2, Domain: [0, 1], C0: [1, 0, 0], C1: [0, 0, 1], N: 1 } },
        }),
      },
    }));
    expect(findingsOf(await check(bytes), "colour.device-independent").map((finding) => finding.measured)).toEqual(["RGB"]);
  });

  test("Type3 glyph procedures are checked", async () => {
    const bytes = await buildContentPdf("BT /T3 12 Tf 100 100 Td (a) Tj ET", (pdf) => {
      const glyph = pdf.stream({}, "1000 0 d0 q 1000 0 0 1000 0 0 cm /Im0 Do Q");
      const font = pdf.object({
        Type: "Font",
        Subtype: "Type3",
        FontBBox: [0, 0, 1000, 1000],
        FontMatrix: [0.001, 0, 0, 0.001, 0, 0],
        CharProcs: { a: glyph },
        Encoding: { Type: "Encoding", Differences: [97, "a"] },
        FirstChar: 97,
        LastChar: 97,
        Widths: [1000],
        Resources: { XObject: { Im0: pdf.image(20, 20, "DeviceRGB") } },
      });
      return { Font: { T3: font } };
    });
    const report = await check(bytes);

    // The glyph image is 12 pt wide for 20 pixels: 120 ppi, in RGB.
    expect(findingsOf(report, "images.resolution-low").map((finding) => finding.measured)).toEqual(["120 ppi"]);
    expect(findingsOf(report, "colour.device-independent")).toHaveLength(1);
  });

  test("soft mask image is measured but not colour-checked", async () => {
    const bytes = await buildContentPdf("/SM gs 0 0 0 1 k 0 0 100 100 re f", (pdf) => {
      const group = pdf.form("q 100 0 0 100 0 0 cm /Im0 Do Q", { XObject: { Im0: pdf.image(100, 100, "DeviceRGB") } }, {
        Group: { S: "Transparency", CS: "DeviceGray" },
      });
      return { ExtGState: { SM: { Type: "ExtGState", SMask: { Type: "Mask", S: "Luminosity", G: group } } } };
    });
    const report = await check(bytes);

    expect(findingsOf(report, "images.resolution-low").map((finding) => finding.measured)).toEqual(["72 ppi"]);
    expect(findingsOf(report, "colour.device-independent")).toEqual([]);
  });

  test("deeply nested forms end", async () => {
    const pdf = await ContentPdf.create();
    let form = pdf.form("0 0 0 1 k 0 0 10 10 re f");
    for (let level = 0; level < 40; level++) form = pdf.form("/Fm Do", { XObject: { Fm: form } });
    pdf.addPage({ content: "/Fm Do", resources: { XObject: { Fm: form } } });
    const report = await check(await pdf.save());

    expect(report.findings.map((finding) => finding.check)).not.toContain("engine.failed");
    expect(findingsOf(report, "page.empty")).toHaveLength(1);
  });

  test("undecodable content is not an empty page", async () => {
    const pdf = await ContentPdf.create();
    pdf.addPage({ content: "" });
    const page = pdf.document.getPage(0);
    page.node.set(PDFName.of("Contents"), pdf.stream({ Filter: "LZWDecode" }, "\x80\x0b"));
    const report = await check(await pdf.save());

    expect(findingsOf(report, "page.empty")).toEqual([]);
  });

  test("unbalanced Q in a form keeps the page state", async () => {
    // The form pops more states than it saves; the page's CTM after it must still scale by 100.
    const content = "q 100 0 0 100 0 0 cm /Fm0 Do /Im0 Do Q";
    const bytes = await buildContentPdf(content, (pdf) => ({
      XObject: { Fm0: pdf.form("Q Q 0 0 0 1 k 0 0 1 1 re f"), Im0: pdf.image(100, 100) },
    }));
    expect(findingsOf(await check(bytes), "images.resolution-low").map((finding) => finding.measured)).toEqual(["72 ppi"]);
  });

  test("large compressed content across chunks", async () => {
    // About 1 MB of decoded content, inflated in many chunks, so that inline images and tokens straddle chunk ends.
    // The 400 bytes of each image look like "EI" and RGB paint operators, which count only when the image is skipped wrongly.
    const unit = "q 20 0 0 20 0 0 cm BI /W 20 /H 20 /CS /G /BPC 8 ID " + " EI 1 0 0 rg 0 0 1 1 re f".repeat(16) + " EI Q 0 0 0 1 k 0 0 10 10 re f BT /F1 8 Tf (x) Tj ET\n";
    const content = unit.repeat(2000) + "1 0 0 rg 0 0 5 5 re f";
    const pdf = await ContentPdf.create();
    pdf.addPage({ content: "", resources: { Font: { F1: pdf.helvetica() } } });
    pdf.document.getPage(0).node.set(PDFName.of("Contents"), pdf.stream({ Filter: "FlateDecode" }, new Uint8Array(deflateSync(Buffer.from(content, "latin1")))));
    const document = await PdfDocument.open(new CachedReader(bytesReader(await pdf.save())));
    const { pages } = await collectPages(document);
    const counts = new Map<string, number>();
    let rgbFills = 0;

    await new ContentInterpreter(document).runPage({ dict: pages[0].dict, resources: pages[0].resources, mediaBox: [0, 0, 600, 800] }, (event) => {
      counts.set(event.kind, (counts.get(event.kind) ?? 0) + 1);
      if (event.kind === "fill" && event.state.fillSpace.family === "DeviceRGB") rgbFills++;
    });

    expect(counts.get("image")).toBe(2000);
    expect(counts.get("fill")).toBe(2001);
    expect(counts.get("text")).toBe(2000);
    expect(rgbFills).toBe(1);
  });

  test("hidden layer content is ignored", async () => {
    const pdf = await ContentPdf.create();
    const hiddenLayer = pdf.object({ Type: "OCG", Name: "Entwurf" });
    const visibleLayer = pdf.object({ Type: "OCG", Name: "Druck" });
    pdf.document.catalog.set(
      PDFName.of("OCProperties"),
      pdf.document.context.obj({ OCGs: [hiddenLayer, visibleLayer], D: { OFF: [hiddenLayer] } } as never),
    );
    const content = "/OC /Off BDC 1 0 0 rg 0 0 10 10 re f EMC /OC /On BDC 0 0 1 RG 0 0 m 10 10 l S EMC";
    pdf.addPage({ content, resources: { Properties: { Off: hiddenLayer, On: visibleLayer } } });
    const findings = findingsOf(await check(await pdf.save()), "colour.device-independent");

    expect(findings).toHaveLength(1);
    expect(findings[0].area).toEqual([-0.5, -0.5, 10.5, 10.5]);
  });

  test("page geometry and progress are reported", async () => {
    const pdf = await ContentPdf.create();
    pdf.addPage({ content: "0 0 0 1 k 0 0 10 10 re f" });
    pdf.addPage({ content: "0 0 0 1 k 0 0 10 10 re f", size: [300, 400], extra: { Rotate: 90 } });
    const progress: string[] = [];
    const report = await preflight(bytesReader(await pdf.save()), { onProgress: (done, total) => void progress.push(`${done}/${total}`) });

    expect(progress).toEqual(["1/2", "2/2"]);
    expect(report.engineVersion).toBe("0.2.0");
    expect(report.pages).toEqual([
      { number: 1, mediaBox: [0, 0, 600, 800], trimBox: [10, 10, 590, 790], bleedBox: [0, 0, 600, 800], rotate: 0 },
      { number: 2, mediaBox: [0, 0, 300, 400], trimBox: [10, 10, 290, 390], bleedBox: [0, 0, 300, 400], rotate: 90 },
    ]);
  });
});

describe("colour by use", () => {
  test("RGB content is an error for sheet-fed offset", async () => {
    const bytes = await buildContentPdf("1 0 0 rg 10 10 100 100 re f");
    const findings = findingsOf(await check(bytes, "gwg2022-sheetfed"), "colour.device-independent");

    expect(findings).toHaveLength(1);
    expect(findings[0].severity).toBe("error");
    expect(findings[0].measured).toBe("RGB");
    expect(findings[0].area).toEqual([10, 10, 110, 110]);
  });

  test("RGB content passes for digital print", async () => {
    const bytes = await buildContentPdf("1 0 0 rg 10 10 100 100 re f");
    expect(findingsOf(await check(bytes, "gwg2022-digital"), "colour.device-independent")).toEqual([]);
  });

  test("CMYK content passes", async () => {
    const bytes = await buildContentPdf("0 1 0 0 k 10 10 100 100 re f 0 0 0 1 K 2 w 0 0 m 100 100 l S");
    expect(findingsOf(await check(bytes), "colour.device-independent")).toEqual([]);
  });

  test("RGB colour space that is never painted passes", async () => {
    const bytes = await buildContentPdf("0 0 0 1 k 10 10 100 100 re f", () => ({ ColorSpace: { CS0: "DeviceRGB" } }));
    expect(findingsOf(await check(bytes), "colour.device-independent")).toEqual([]);
  });

  test("Lab, ICC-based and RGB images are errors", async () => {
    const content = "/Lab0 cs 50 0 0 sc 0 0 10 10 re f /Icc0 CS 0 0 1 SC 0 0 m 10 10 l S q 300 0 0 300 0 0 cm /Im0 Do Q";
    const bytes = await buildContentPdf(content, (pdf) => ({
      ColorSpace: { Lab0: ["Lab", { WhitePoint: [0.95, 1, 1.09] }], Icc0: ["ICCBased", pdf.stream({ N: 3 }, "")] },
      XObject: { Im0: pdf.image(1250, 1250, "DeviceRGB") },
    }));
    const measured = findingsOf(await check(bytes), "colour.device-independent").map((finding) => finding.measured);

    expect(measured.sort()).toEqual(["ICC-basiertem RGB", "Lab", "RGB"]);
  });

  test("ICC-based CMYK and gray pass", async () => {
    const content = "/Icc4 cs 0 0 0 1 sc 0 0 10 10 re f /Icc1 CS 0.5 SC 0 0 m 10 10 l S";
    const bytes = await buildContentPdf(content, (pdf) => ({
      ColorSpace: { Icc4: ["ICCBased", pdf.stream({ N: 4 }, "")], Icc1: ["ICCBased", pdf.stream({ N: 1 }, "")] },
    }));
    expect(findingsOf(await check(bytes), "colour.device-independent")).toEqual([]);
  });

  test("three spot colours exceed the sheet-fed limit", async () => {
    const content = "/S1 cs 1 sc 0 0 10 10 re f /S2 cs 1 sc 0 0 10 10 re f /S3 cs 1 sc 0 0 10 10 re f";
    const resources = () => ({ ColorSpace: { S1: separation("Gold"), S2: separation("Silber"), S3: separation("HKS 43") } });
    const findings = findingsOf(await check(await buildContentPdf(content, resources)), "colour.spot-colours-too-many");

    expect(findings).toHaveLength(1);
    expect(findings[0].severity).toBe("error");
    expect(findings[0].measured).toBe("3 Sonderfarben");
    expect(findings[0].expected).toBe("höchstens 2");
    expect(findings[0].page).toBe(1);
  });

  test("two spot colours and process names pass", async () => {
    const content = "/S1 cs 1 sc 0 0 10 10 re f /S2 cs 1 sc 0 0 10 10 re f /S3 cs 1 sc 0 0 10 10 re f /N0 cs 1 1 sc 0 0 10 10 re f";
    const resources = () => ({
      ColorSpace: {
        S1: separation("Gold"),
        S2: separation("Silber"),
        S3: separation("Black"),
        N0: ["DeviceN", ["Cyan", "None"], "DeviceCMYK", SPOT_TINT],
      },
    });
    expect(findingsOf(await check(await buildContentPdf(content, resources)), "colour.spot-colours-too-many")).toEqual([]);
  });

  test("spot colour All is a warning", async () => {
    const bytes = await buildContentPdf("/R cs 1 sc 0 0 10 10 re f", () => ({ ColorSpace: { R: separation("All") } }));
    const report = await check(bytes);

    expect(findingsOf(report, "colour.spot-all").map((finding) => finding.severity)).toEqual(["warning"]);
    expect(findingsOf(report, "colour.spot-colours-too-many")).toEqual([]);
  });

  test("RGB transparency group is a warning", async () => {
    const pdf = await ContentPdf.create();
    pdf.addPage({ content: "0 0 0 1 k 0 0 10 10 re f", extra: { Group: { Type: "Group", S: "Transparency", CS: "DeviceRGB" } } });
    pdf.addPage({ content: "0 0 0 1 k 0 0 10 10 re f", extra: { Group: { Type: "Group", S: "Transparency", CS: "DeviceCMYK" } } });
    const findings = findingsOf(await check(await pdf.save()), "colour.transparency-group-rgb");

    expect(findings.map((finding) => `${finding.page} ${finding.severity}`)).toEqual(["1 warning"]);
  });
});

describe("overprint", () => {
  const text = (setup: string, size = 10) => `${setup} BT /F1 ${size} Tf 100 100 Td (Text) Tj ET`;
  const withFont = (pdf: ContentPdf) => ({
    Font: { F1: pdf.helvetica() },
    ExtGState: { OP: { Type: "ExtGState", OP: true, op: true, OPM: 1 }, KO: { Type: "ExtGState", OP: false, op: false } },
  });

  test("white text set to overprint is an error", async () => {
    const report = await check(await buildContentPdf(text("/OP gs 0 0 0 0 k", 20), withFont));
    const findings = findingsOf(report, "overprint.white-text");

    expect(findings.map((finding) => finding.severity)).toEqual(["error"]);
    expect(findings[0].page).toBe(1);
    expect(findings[0].area).toBeDefined();
  });

  test("white knockout text passes", async () => {
    const report = await check(await buildContentPdf(text("/KO gs 1 g", 20), withFont));
    expect(findingsOf(report, "overprint.white-text")).toEqual([]);
  });

  test("white overprinting path is a warning", async () => {
    const report = await check(await buildContentPdf("/OP gs 0 0 0 0 k 0 0 100 100 re f", withFont));
    expect(findingsOf(report, "overprint.white-path").map((finding) => finding.severity)).toEqual(["warning"]);
  });

  test("small black knockout text is a warning", async () => {
    const report = await check(await buildContentPdf(text("0 0 0 1 k", 8), withFont));
    const findings = findingsOf(report, "overprint.black-text-knockout");

    expect(findings.map((finding) => finding.measured)).toEqual(["8 pt"]);
  });

  test("small black overprinting text passes", async () => {
    const report = await check(await buildContentPdf(text("/OP gs 0 0 0 1 k", 8), withFont));
    expect(findingsOf(report, "overprint.black-text-knockout")).toEqual([]);
  });

  test("large black knockout text passes", async () => {
    const report = await check(await buildContentPdf(text("0 g", 14), withFont));
    expect(findingsOf(report, "overprint.black-text-knockout")).toEqual([]);
  });

  test("thin black knockout line is a warning", async () => {
    const report = await check(await buildContentPdf("0 G 0.5 w 0 0 m 100 100 l S", withFont));
    expect(findingsOf(report, "overprint.black-line-knockout").map((finding) => finding.measured)).toEqual(["0,5 pt"]);
  });

  test("thin black overprinting line passes", async () => {
    const report = await check(await buildContentPdf("/OP gs 0 G 0.5 w 0 0 m 100 100 l S", withFont));
    expect(findingsOf(report, "overprint.black-line-knockout")).toEqual([]);
  });
});

describe("small text and thin lines", () => {
  const withFont = (pdf: ContentPdf) => ({ Font: { F1: pdf.helvetica() } });
  const text = (colour: string, size: number, matrix = "") => `${matrix} ${colour} BT /F1 ${size} Tf 100 100 Td (Text) Tj ET`;

  test("small multi-ink text is a warning", async () => {
    const report = await check(await buildContentPdf(text("0.5 0.5 0 0 k", 6), withFont));
    const findings = findingsOf(report, "text.small-multi-ink");

    expect(findings.map((finding) => `${finding.severity} ${finding.measured} ${finding.expected}`)).toEqual(["warning 6 pt mindestens 9 pt"]);
  });

  test("multi-ink text at 10 pt passes", async () => {
    const report = await check(await buildContentPdf(text("0.5 0.5 0 0 k", 10), withFont));
    expect(findingsOf(report, "text.small-multi-ink")).toEqual([]);
  });

  test("effective size includes the CTM", async () => {
    const report = await check(await buildContentPdf(text("0.5 0.5 0 0 k", 16, "0.5 0 0 0.5 0 0 cm"), withFont));
    expect(findingsOf(report, "text.small-multi-ink").map((finding) => finding.measured)).toEqual(["8 pt"]);
  });

  test("small single-ink text passes", async () => {
    const report = await check(await buildContentPdf(text("0 1 0 0 k", 6), withFont));
    expect(findingsOf(report, "text.small-multi-ink")).toEqual([]);
    expect(findingsOf(report, "text.small-white")).toEqual([]);
  });

  test("text area uses CID widths", async () => {
    // Two glyphs of 500/1000 em at 6 pt advance 6 pt from x = 100.
    const bytes = await buildContentPdf("0.5 0.5 0 0 k BT /F0 6 Tf 100 100 Td <00010001> Tj ET", (pdf) => {
      const descendant = pdf.object({ Type: "Font", Subtype: "CIDFontType2", BaseFont: "Demo", DW: 1000, W: [1, [500]] });
      return { Font: { F0: pdf.object({ Type: "Font", Subtype: "Type0", BaseFont: "Demo", Encoding: "Identity-H", DescendantFonts: [descendant] }) } };
    });
    const findings = findingsOf(await check(bytes), "text.small-multi-ink");

    expect(findings).toHaveLength(1);
    expect(findings[0].area?.[0]).toBe(100);
    expect(findings[0].area?.[2]).toBe(106);
  });

  test("small white text is a warning", async () => {
    const report = await check(await buildContentPdf(text("0 0 0 0 k", 6), withFont));
    expect(findingsOf(report, "text.small-white").map((finding) => finding.measured)).toEqual(["6 pt"]);
  });

  test("small rich black text is a warning", async () => {
    const report = await check(await buildContentPdf(text("0.4 0 0 1 k", 10), withFont));
    expect(findingsOf(report, "text.rich-black-small").map((finding) => finding.measured)).toEqual(["10 pt"]);
  });

  test("large rich black text passes", async () => {
    const report = await check(await buildContentPdf(text("0.4 0 0 1 k", 14), withFont));
    expect(findingsOf(report, "text.rich-black-small")).toEqual([]);
  });

  test("thin white line is a warning", async () => {
    const report = await check(await buildContentPdf("1 G 0.1 w 0 0 m 100 100 l S"));
    const findings = findingsOf(report, "lines.thin-white");

    expect(findings.map((finding) => `${finding.measured} ${finding.expected}`)).toEqual(["0,1 pt mindestens 0,25 pt"]);
  });

  test("white line at 0.5 pt passes", async () => {
    const report = await check(await buildContentPdf("1 G 0.5 w 0 0 m 100 100 l S"));
    expect(findingsOf(report, "lines.thin-white")).toEqual([]);
  });

  test("thin multi-ink line and rectangle are warnings", async () => {
    const report = await check(await buildContentPdf("0.5 0.5 0 0 K 0.1 w 0 0 m 100 0 l S 0 0.5 0.5 0 k 10 10 100 0.1 re f"));
    const findings = findingsOf(report, "lines.thin-multi-ink");

    expect(findings).toHaveLength(1);
    expect(findings[0].measured).toBe("0,1 pt");
  });

  test("thin multi-ink rectangle is a warning", async () => {
    const report = await check(await buildContentPdf("0 0.5 0.5 0 k 10 10 100 0.1 re f 10 20 100 1 re f"));
    const findings = findingsOf(report, "lines.thin-multi-ink");

    expect(findings.map((finding) => finding.measured)).toEqual(["0,1 pt"]);
    expect(findings[0].area).toEqual([10, 10, 110, 10.1]);
  });

  test("scaled line width counts", async () => {
    // 1 pt scaled by 0.1 is 0.1 pt.
    const report = await check(await buildContentPdf("0.1 0 0 0.1 0 0 cm 0.5 0.5 0 0 K 1 w 0 0 m 1000 0 l S"));
    expect(findingsOf(report, "lines.thin-multi-ink").map((finding) => finding.measured)).toEqual(["0,1 pt"]);
  });
});

describe("empty pages and ink", () => {
  test("page without marks is a warning", async () => {
    const pdf = await ContentPdf.create();
    pdf.addPage({ content: "0 0 0 1 k 0 0 10 10 re f" });
    pdf.addPage({ content: "q 0 0 10 10 re W n Q BT ET" });
    const report = await check(await pdf.save());

    expect(findingsOf(report, "page.empty").map((finding) => `${finding.page} ${finding.severity}`)).toEqual(["2 warning"]);
  });

  test("ink coverage is reported as not checked", async () => {
    const report = await check(await buildContentPdf("0 0 0 1 k 0 0 10 10 re f"));
    const findings = findingsOf(report, "ink.not-checked");

    expect(findings.map((finding) => `${finding.severity} ${finding.measured}`)).toEqual(["info nicht geprüft"]);
  });
});
