import { deflateSync } from "node:zlib";
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFString } from "pdf-lib";
import { describe, expect, test } from "vitest";
import { bytesReader, preflight } from "./index";
import { A4_MM, A5_MM, POINTS_PER_MM, addPage, buildPdf, removeOutputIntents, toLatin1, fromLatin1 } from "./test-support/pdf-builders";
import { findingsOf } from "./test-support/report-helpers";
import type { OrderSpecification, PreflightReport } from "./types";

/** Check ids of the document-level checks; the content checks also report on these generated files. */
const DOCUMENT_CHECK_PREFIXES = ["document.", "annotations.", "forms.", "order."];

function ownFindings(report: PreflightReport) {
  return report.findings.filter((finding) => DOCUMENT_CHECK_PREFIXES.some((prefix) => finding.check.startsWith(prefix)));
}

async function createDocument(pageCount = 1): Promise<PDFDocument> {
  const document = await PDFDocument.create();
  for (let i = 0; i < pageCount; i++) await addPage(document, { trimMm: A4_MM, bleedMm: 3 });
  return document;
}

async function check(document: PDFDocument, order?: OrderSpecification) {
  return preflight(bytesReader(await document.save({ useObjectStreams: false })), { order });
}

/** Builds an ICC profile header (ICC.1:2010, section 7.2) with the given data colour space. */
function iccHeader(colourSpace: string): Uint8Array {
  const header = new Uint8Array(128);
  header.set(fromLatin1(colourSpace), 16);
  header.set(fromLatin1("prtr"), 12);
  header.set(fromLatin1("acsp"), 36);
  return header;
}

function setOutputIntent(document: PDFDocument, profileData: Uint8Array, profileDict: Record<string, unknown>, subtype = "GTS_PDFX"): void {
  const profile = document.context.register(document.context.stream(profileData, profileDict as never));
  const intent = document.context.obj({ Type: "OutputIntent", S: subtype, OutputConditionIdentifier: PDFString.of("X"), DestOutputProfile: profile });
  document.catalog.set(PDFName.of("OutputIntents"), document.context.obj([intent]));
}

describe("PDF version", () => {
  test("PDF 1.2 header is a warning", async () => {
    const bytes = toLatin1(await buildPdf([{ trimMm: A4_MM, bleedMm: 3 }]));
    expect(bytes.startsWith("%PDF-1.7")).toBe(true);
    const report = await preflight(bytesReader(fromLatin1(bytes.replace("%PDF-1.7", "%PDF-1.2"))));

    const [finding] = findingsOf(report, "document.pdf-version");
    expect(finding.severity).toBe("warning");
    expect(finding.measured).toBe("PDF 1.2");
    expect(finding.expected).toBe("mindestens PDF 1.3");
    expect(report.verdict).not.toBe("ok");
  });

  test("current version passes", async () => {
    const report = await preflight(bytesReader(await buildPdf([{ trimMm: A4_MM, bleedMm: 3 }])));

    expect(ownFindings(report)).toEqual([]);
  });

  test("catalog Version overrides older header", async () => {
    const document = await createDocument();
    document.catalog.set(PDFName.of("Version"), PDFName.of("1.4"));
    const bytes = toLatin1(await document.save({ useObjectStreams: false })).replace("%PDF-1.7", "%PDF-1.2");
    const report = await preflight(bytesReader(fromLatin1(bytes)));

    expect(findingsOf(report, "document.pdf-version")).toEqual([]);
  });
});

describe("output intent", () => {
  test("missing output intent is a warning", async () => {
    const document = await createDocument();
    removeOutputIntents(document);
    const report = await check(document);

    const [finding] = findingsOf(report, "document.output-intent-missing");
    expect(finding.severity).toBe("warning");
    expect(finding.title).toBe("Ausgabebedingung fehlt");
    expect(finding.message).toContain("PDF/X");
    expect(report.verdict).not.toBe("ok");
  });

  test("CMYK intent with /N 4 passes", async () => {
    const report = await check(await createDocument());

    expect(findingsOf(report, "document.output-intent-missing")).toEqual([]);
  });

  test("compressed CMYK ICC header passes without /N", async () => {
    const document = await createDocument();
    const data = new Uint8Array(deflateSync(Buffer.concat([Buffer.from(iccHeader("CMYK")), Buffer.alloc(20000, 7)])));
    setOutputIntent(document, data, { Filter: "FlateDecode" });
    const report = await check(document);

    expect(findingsOf(report, "document.output-intent-missing")).toEqual([]);
  });

  test("RGB ICC profile is a warning", async () => {
    const document = await createDocument();
    setOutputIntent(document, iccHeader("RGB "), {});
    const report = await check(document);

    expect(findingsOf(report, "document.output-intent-missing")).toHaveLength(1);
  });

  test("/N 3 profile is a warning", async () => {
    const document = await createDocument();
    setOutputIntent(document, new Uint8Array(0), { N: 3 });
    const report = await check(document);

    expect(findingsOf(report, "document.output-intent-missing")).toHaveLength(1);
  });

  test("PDF/A intent does not count", async () => {
    const document = await createDocument();
    setOutputIntent(document, new Uint8Array(0), { N: 4 }, "GTS_PDFA1");
    const report = await check(document);

    expect(findingsOf(report, "document.output-intent-missing")).toHaveLength(1);
  });
});

describe("layers", () => {
  /** Builds a file with the layers "Motiv" and "Hilfslinien"; in `defaults`, "visible" and "guides" stand for arrays with one of them. */
  async function documentWithLayers(defaults: Record<string, unknown>) {
    const document = await createDocument();
    const visible = document.context.register(document.context.obj({ Type: "OCG", Name: PDFString.of("Motiv") }));
    const guides = document.context.register(document.context.obj({ Type: "OCG", Name: PDFString.of("Hilfslinien") }));
    const layerArrays: Record<string, unknown> = { visible: [visible], guides: [guides] };
    const defaultsDict = document.context.obj({});
    for (const [key, value] of Object.entries(defaults)) {
      const resolved = typeof value === "string" ? layerArrays[value] : value;
      defaultsDict.set(PDFName.of(key), document.context.obj(resolved as never));
    }
    document.catalog.set(PDFName.of("OCProperties"), document.context.obj({ OCGs: [visible, guides], D: defaultsDict }));
    return document;
  }

  test("layer in /OFF is a warning", async () => {
    const report = await check(await documentWithLayers({ OFF: "guides" }));

    const hidden = findingsOf(report, "document.layer-hidden");
    expect(hidden).toHaveLength(1);
    expect(hidden[0].severity).toBe("warning");
    expect(hidden[0].measured).toBe("Hilfslinien");
    expect(hidden[0].message).toContain("„Hilfslinien“");
    const [info] = findingsOf(report, "document.layers");
    expect(info.severity).toBe("info");
    expect(info.measured).toBe("2 Ebenen");
    expect(info.message).toContain("„Motiv“, „Hilfslinien“");
  });

  test("BaseState OFF hides layers not in /ON", async () => {
    const report = await check(await documentWithLayers({ BaseState: PDFName.of("OFF"), ON: "visible" }));

    expect(findingsOf(report, "document.layer-hidden").map((finding) => finding.measured)).toEqual(["Hilfslinien"]);
  });

  test("visible layers are only an info", async () => {
    const report = await check(await documentWithLayers({}));

    expect(findingsOf(report, "document.layer-hidden")).toEqual([]);
    expect(findingsOf(report, "document.layers")).toHaveLength(1);
  });

  test("UTF-16 layer name is decoded", async () => {
    const document = await createDocument();
    const layer = document.context.register(document.context.obj({ Type: "OCG", Name: PDFHexString.fromText("Überfüller") }));
    document.catalog.set(PDFName.of("OCProperties"), document.context.obj({ OCGs: [layer], D: { OFF: [layer] } }));
    const report = await check(document);

    expect(findingsOf(report, "document.layer-hidden").map((finding) => finding.measured)).toEqual(["Überfüller"]);
    expect(findingsOf(report, "document.layers").map((finding) => finding.measured)).toEqual(["1 Ebene"]);
  });

  test("no layers, no finding", async () => {
    const report = await check(await createDocument());

    expect(findingsOf(report, "document.layers")).toEqual([]);
  });
});

describe("JavaScript and actions", () => {
  test("document JavaScript in /Names is a warning", async () => {
    const document = await createDocument();
    const action = document.context.register(document.context.obj({ S: "JavaScript", JS: PDFString.of("app.alert(1)") }));
    document.catalog.set(PDFName.of("Names"), document.context.obj({ JavaScript: { Names: [PDFString.of("init"), action] } }));
    const report = await check(document);

    const [finding] = findingsOf(report, "document.javascript");
    expect(finding.severity).toBe("warning");
    expect(finding.title).toBe("JavaScript in der Datei");
  });

  test("OpenAction JavaScript in /Next chain is found", async () => {
    const document = await createDocument();
    const script = document.context.obj({ S: "JavaScript", JS: PDFString.of("this.print()") });
    document.catalog.set(PDFName.of("OpenAction"), document.context.obj({ S: "GoTo", D: [document.getPage(0).ref, "Fit"], Next: script }));
    const report = await check(document);

    expect(findingsOf(report, "document.javascript")).toHaveLength(1);
  });

  test("field calculation script is found", async () => {
    const document = await createDocument();
    const widget = document.context.register(
      document.context.obj({ Type: "Annot", Subtype: "Widget", Rect: [100, 100, 200, 120], F: 4, P: document.getPage(0).ref }),
    );
    const field = document.context.register(
      document.context.obj({ FT: "Tx", T: PDFString.of("Summe"), Kids: [widget], AA: { C: { S: "JavaScript", JS: PDFString.of("AFSimple_Calculate()") } } }),
    );
    document.context.lookup(widget, PDFDict).set(PDFName.of("Parent"), field);
    document.getPage(0).node.set(PDFName.of("Annots"), document.context.obj([widget]));
    document.catalog.set(PDFName.of("AcroForm"), document.context.obj({ Fields: [field] }));
    const report = await check(document);

    expect(findingsOf(report, "document.javascript")).toHaveLength(1);
    expect(findingsOf(report, "forms.fields").map((finding) => finding.measured)).toEqual(["1 Formularfeld"]);
    expect(findingsOf(report, "forms.field-printable").map((finding) => finding.measured)).toEqual(["Summe"]);
  });

  test("GoTo OpenAction passes", async () => {
    const document = await createDocument();
    document.catalog.set(PDFName.of("OpenAction"), document.context.obj([document.getPage(0).ref, "Fit"]));
    const report = await check(document);

    expect(findingsOf(report, "document.javascript")).toEqual([]);
    expect(findingsOf(report, "document.actions")).toEqual([]);
  });

  test("Launch and SubmitForm actions are a warning", async () => {
    const document = await createDocument();
    const page = document.getPage(0);
    page.node.set(PDFName.of("AA"), document.context.obj({ O: { S: "Launch", F: PDFString.of("calc.exe") } }));
    const link = document.context.obj({
      Type: "Annot",
      Subtype: "Link",
      Rect: [20, 20, 60, 40],
      A: { S: "SubmitForm", F: PDFString.of("https://example.com") },
    });
    page.node.set(PDFName.of("Annots"), document.context.obj([link]));
    const report = await check(document);

    const [finding] = findingsOf(report, "document.actions");
    expect(finding.severity).toBe("warning");
    expect(finding.measured).toBe("Launch, SubmitForm");
    expect(findingsOf(report, "annotations.in-print-area")).toEqual([]);
  });
});

describe("annotations and form fields", () => {
  function addAnnotation(document: PDFDocument, pageIndex: number, entries: Record<string, unknown>) {
    const page = document.getPage(pageIndex);
    const annotation = document.context.register(document.context.obj({ Type: "Annot", ...entries } as never));
    const existing = page.node.lookup(PDFName.of("Annots"));
    if (existing instanceof PDFArray) existing.push(annotation);
    else page.node.set(PDFName.of("Annots"), document.context.obj([annotation]));
    return annotation;
  }

  test("comment in print area is a warning with area", async () => {
    const document = await createDocument(2);
    addAnnotation(document, 1, { Subtype: "Text", Rect: [100, 700, 120, 720], Contents: PDFString.of("Bitte prüfen") });
    const report = await check(document);

    const [finding] = findingsOf(report, "annotations.in-print-area");
    expect(finding.severity).toBe("warning");
    expect(finding.page).toBe(2);
    expect(finding.measured).toBe("Text");
    expect(finding.area).toEqual([100, 700, 120, 720]);
    expect(finding.title).toBe("Kommentar oder Formularfeld im Druckbereich");
  });

  test("comment outside bleed box passes", async () => {
    const document = await createDocument();
    const page = document.getPage(0);
    page.setMediaBox(-200, 0, page.getWidth() + 200, page.getHeight());
    page.setBleedBox(0, 0, page.getTrimBox().width + 6 * POINTS_PER_MM, page.getTrimBox().height + 6 * POINTS_PER_MM);
    addAnnotation(document, 0, { Subtype: "Square", Rect: [-150, 100, -50, 200] });
    const report = await check(document);

    expect(findingsOf(report, "annotations.in-print-area")).toEqual([]);
  });

  test("links and printer marks pass", async () => {
    const document = await createDocument();
    addAnnotation(document, 0, { Subtype: "Link", Rect: [100, 100, 200, 120] });
    addAnnotation(document, 0, { Subtype: "PrinterMark", Rect: [0, 0, 10, 10] });
    const report = await check(document);

    expect(ownFindings(report)).toEqual([]);
  });

  test("printable field in trim is a warning", async () => {
    const document = await createDocument();
    const field = addAnnotation(document, 0, { Subtype: "Widget", FT: "Tx", T: PDFString.of("Name"), F: 4, Rect: [100, 100, 300, 120] });
    const hiddenField = addAnnotation(document, 0, { Subtype: "Widget", FT: "Tx", T: PDFString.of("Intern"), F: 2, Rect: [100, 200, 300, 220] });
    document.catalog.set(PDFName.of("AcroForm"), document.context.obj({ Fields: [field, hiddenField] }));
    const report = await check(document);

    const printable = findingsOf(report, "forms.field-printable");
    expect(printable).toHaveLength(1);
    expect(printable[0].severity).toBe("warning");
    expect(printable[0].measured).toBe("Name");
    expect(printable[0].area).toEqual([100, 100, 300, 120]);
    const [info] = findingsOf(report, "forms.fields");
    expect(info.severity).toBe("info");
    expect(info.measured).toBe("2 Formularfelder");
    expect(findingsOf(report, "annotations.in-print-area")).toEqual([]);
  });

  test("field without print flag is only counted", async () => {
    const document = await createDocument();
    const field = addAnnotation(document, 0, { Subtype: "Widget", FT: "Btn", T: PDFString.of("Senden"), Rect: [100, 100, 200, 120] });
    document.catalog.set(PDFName.of("AcroForm"), document.context.obj({ Fields: [field] }));
    const report = await check(document);

    expect(findingsOf(report, "forms.field-printable")).toEqual([]);
    expect(findingsOf(report, "forms.fields").map((finding) => finding.measured)).toEqual(["1 Formularfeld"]);
  });
});

describe("LZW and transfer functions", () => {
  test("LZW content stream is a warning", async () => {
    const document = await createDocument(2);
    const contents = document.context.register(document.context.stream("", { Filter: "LZWDecode" }));
    document.getPage(1).node.set(PDFName.of("Contents"), contents);
    const report = await check(document);

    const [finding] = findingsOf(report, "document.lzw");
    expect(finding.severity).toBe("warning");
    expect(finding.page).toBe(2);
    expect(finding.measured).toBe("LZWDecode");
  });

  test("LZW image in a filter chain is a warning", async () => {
    const document = await createDocument();
    const image = document.context.register(
      document.context.stream("", { Type: "XObject", Subtype: "Image", Width: 1, Height: 1, ColorSpace: "DeviceGray", BitsPerComponent: 8, Filter: ["ASCIIHexDecode", "LZWDecode"] }),
    );
    document.getPage(0).node.setXObject(PDFName.of("Im1"), image);
    const report = await check(document);

    expect(findingsOf(report, "document.lzw")).toHaveLength(1);
  });

  test("Flate streams pass", async () => {
    const report = await preflight(bytesReader(await buildPdf([{ trimMm: A4_MM, bleedMm: 3 }], { useObjectStreams: true })));

    expect(findingsOf(report, "document.lzw")).toEqual([]);
  });

  test("transfer function in a form is a warning", async () => {
    const document = await createDocument(2);
    const transfer = document.context.obj({ FunctionType: 2, Domain: [0, 1], C0: [0], C1: [1], N: 0.8 });
    const form = document.context.register(
      document.context.stream("", { Type: "XObject", Subtype: "Form", BBox: [0, 0, 10, 10], Resources: { ExtGState: { GS1: { TR: transfer } } } }),
    );
    document.getPage(1).node.setXObject(PDFName.of("Fm1"), form);
    const report = await check(document);

    const [finding] = findingsOf(report, "document.transfer-function");
    expect(finding.severity).toBe("warning");
    expect(finding.page).toBe(2);
  });

  test("Identity and Default transfer pass", async () => {
    const document = await createDocument();
    const states = document.context.obj({ GS1: { TR: "Identity" }, GS2: { TR2: "Default" } });
    document.getPage(0).node.Resources()?.set(PDFName.of("ExtGState"), states);
    const report = await check(document);

    expect(findingsOf(report, "document.transfer-function")).toEqual([]);
  });
});

describe("order specification", () => {
  test("matching order passes", async () => {
    const report = await check(await createDocument(4), { trimWidthMm: 210, trimHeightMm: 297, pageCountMultiple: 4, pageCount: 4 });

    expect(ownFindings(report)).toEqual([]);
  });

  test("landscape order accepts portrait pages", async () => {
    const report = await check(await createDocument(), { trimWidthMm: 297.3, trimHeightMm: 210 });

    expect(findingsOf(report, "order.trim-size")).toEqual([]);
  });

  test("other trim size is an error", async () => {
    const report = await check(await createDocument(2), { trimWidthMm: A5_MM[0], trimHeightMm: A5_MM[1] });

    const [finding] = findingsOf(report, "order.trim-size");
    expect(finding.severity).toBe("error");
    expect(finding.measured).toBe("210 × 297 mm");
    expect(finding.expected).toBe("148 × 210 mm");
    expect(finding.page).toBeUndefined();
    expect(finding.message).toContain("Seiten 1–2");
    expect(report.verdict).toBe("error");
  });

  test("trim size outside 0.5 mm tolerance is an error", async () => {
    const report = await check(await createDocument(), { trimWidthMm: 210.6, trimHeightMm: 297 });

    expect(findingsOf(report, "order.trim-size")).toHaveLength(1);
  });

  test("page count not a multiple is an error", async () => {
    const report = await check(await createDocument(3), { pageCountMultiple: 4 });

    const [finding] = findingsOf(report, "order.page-count-multiple");
    expect(finding.severity).toBe("error");
    expect(finding.measured).toBe("3 Seiten");
    expect(finding.expected).toBe("durch 4 teilbar");
  });

  test("wrong page count is an error", async () => {
    const report = await check(await createDocument(3), { pageCount: 2 });

    const [finding] = findingsOf(report, "order.page-count");
    expect(finding.severity).toBe("error");
    expect(finding.measured).toBe("3 Seiten");
    expect(finding.expected).toBe("2 Seiten");
  });
});
