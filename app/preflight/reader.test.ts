import { PDFDict, PDFDocument, PDFName, PDFRef, StandardFonts } from "pdf-lib";
import { describe, expect, test } from "vitest";
import { bytesReader, preflight } from "./index";
import type { RangeReader } from "./types";
import { A4_MM, addPage, buildPdf, fromLatin1, pseudoRandomBytes, toLatin1 } from "./test-support/pdf-builders";
import { buildHybridPdf } from "./test-support/raw-pdf";
import { listChecks } from "./test-support/report-helpers";

function countingReader(bytes: Uint8Array): RangeReader & { bytesRead: number } {
  const inner = bytesReader(bytes);
  const reader = {
    size: inner.size,
    bytesRead: 0,
    async read(offset: number, length: number) {
      const chunk = await inner.read(offset, length);
      reader.bytesRead += chunk.length;
      return chunk;
    },
  };
  return reader;
}

/** Appends an incremental update that replaces or adds objects, with a classic table and /Prev. */
function appendIncrementalUpdate(bytes: Uint8Array, objects: Map<number, string>, root: string, size: number): Uint8Array {
  const original = toLatin1(bytes);
  const previousStartxref = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(original)?.[1]);
  let update = "\n";
  const offsets = new Map<number, number>();
  for (const [num, body] of objects) {
    offsets.set(num, original.length + update.length);
    update += `${num} 0 obj\n${body}\nendobj\n`;
  }

  const xrefOffset = original.length + update.length;
  update += "xref\n0 1\n0000000000 65535 f \n";
  for (const [num, offset] of offsets) update += `${num} 1\n${String(offset).padStart(10, "0")} 00000 n \n`;
  update += `trailer\n<< /Size ${size} /Root ${root} /Prev ${previousStartxref} >>\nstartxref\n${xrefOffset}\n%%EOF\n`;
  return fromLatin1(original + update);
}

describe("file structure", () => {
  test("object streams and xref stream", async () => {
    const bytes = await buildPdf(
      [
        { trimMm: A4_MM, bleedMm: 3, text: StandardFonts.Helvetica },
        { trimMm: A4_MM, bleedMm: 1 },
      ],
      { useObjectStreams: true },
    );
    expect(toLatin1(bytes)).toContain("/ObjStm");
    const report = await preflight(bytesReader(bytes));

    expect(listChecks(report)).toEqual(["boxes.bleed-too-small:error", "fonts.not-embedded:error"]);
    expect(report.pageCount).toBe(2);
  });

  test("incremental update replaces objects", async () => {
    for (const useObjectStreams of [false, true]) {
      const original = await buildPdf([{ trimMm: A4_MM, bleedMm: 3, text: StandardFonts.Helvetica }], { useObjectStreams });
      const document = await PDFDocument.load(original);
      const fontDict = (document.getPage(0).node.Resources() as PDFDict).lookup(PDFName.of("Font"), PDFDict);
      const fontRef = fontDict.values()[0] as PDFRef;
      // pdf-lib does not count its object and cross-reference streams in largestObjectNumber, but /Size does.
      const size = Number([...toLatin1(original).matchAll(/\/Size (\d+)/g)].at(-1)?.[1]);
      const next = Math.max(document.context.largestObjectNumber + 1, size);
      const root = String(document.context.trailerInfo.Root);
      const objects = new Map([
        [fontRef.objectNumber, `<< /Type /Font /Subtype /TrueType /BaseFont /Helvetica /FontDescriptor ${next} 0 R >>`],
        [next, `<< /Type /FontDescriptor /FontName /Helvetica /Flags 32 /FontFile2 ${next + 1} 0 R >>`],
        [next + 1, "<< /Length 4 >>\nstream\nabcd\nendstream"],
      ]);
      const updated = appendIncrementalUpdate(original, objects, root, next + 2);
      const report = await preflight(bytesReader(updated));

      expect(listChecks(report), `useObjectStreams: ${useObjectStreams}`).toEqual([]);
      expect(report.verdict).toBe("ok");
    }
  });

  test("hybrid file reads XRefStm entries", async () => {
    const bytes = buildHybridPdf(
      [
        { num: 1, body: "<< /Type /Catalog /Pages 2 0 R >>" },
        { num: 2, body: "<< /Type /Pages /Kids [3 0 R] /Count 1 /MediaBox [0 0 612 792] >>" },
        { num: 3, body: "<< /Type /Page /Parent 2 0 R /TrimBox [9 9 603 783] /Resources << /Font << /F1 4 0 R >> >> >>", compressed: true },
        { num: 4, body: "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>", compressed: true },
      ],
      1,
      5,
    );
    const report = await preflight(bytesReader(bytes));

    expect(listChecks(report)).toEqual(["fonts.not-embedded:error", "document.output-intent-missing:warning"]);
    expect(report.pageCount).toBe(1);
  });

  test("broken xref offsets are repaired", async () => {
    const bytes = await buildPdf([{ trimMm: A4_MM, bleedMm: 3, text: StandardFonts.Helvetica }]);
    // Shift every in-use offset in the table by 7 bytes, so no entry points at its object.
    const broken = toLatin1(bytes).replace(/(\d{10}) 00000 n/g, (_, offset: string) => `${String(Number(offset) + 7).padStart(10, "0")} 00000 n`);
    const report = await preflight(bytesReader(fromLatin1(broken)));

    expect(listChecks(report)).toEqual(["file.repaired:warning", "fonts.not-embedded:error"]);
    expect(report.pageCount).toBe(1);
    expect(report.findings[0].title).toContain("beschädigt");
  });

  test("wrong startxref is repaired", async () => {
    const bytes = await buildPdf([{ trimMm: A4_MM, bleedMm: 3 }], { useObjectStreams: true });
    const broken = toLatin1(bytes).replace(/startxref\s+\d+/, "startxref\n12");
    const report = await preflight(bytesReader(fromLatin1(broken)));

    expect(listChecks(report)).toEqual(["file.repaired:warning"]);
    expect(report.pageCount).toBe(1);
    expect(report.verdict).toBe("warning");
  });

  test("garbage before header is tolerated", async () => {
    for (const useObjectStreams of [false, true]) {
      const bytes = await buildPdf([{ trimMm: A4_MM, bleedMm: 3 }, { trimMm: A4_MM, bleedMm: 0 }], { useObjectStreams });
      const prefixed = new Uint8Array([...fromLatin1("GARBAGE 1 2 3 junk\r\n"), ...pseudoRandomBytes(300).map((byte) => byte | 0x80), ...bytes]);
      const report = await preflight(bytesReader(prefixed));

      expect(listChecks(report), `useObjectStreams: ${useObjectStreams}`).toEqual(["boxes.bleed-too-small:error"]);
      expect(report.findings[0].page).toBe(2);
      expect(report.pageCount).toBe(2);
    }
  });

  test("truncated file is repaired or rejected", async () => {
    const bytes = await buildPdf([
      { trimMm: A4_MM, bleedMm: 3, text: StandardFonts.Helvetica },
      { trimMm: A4_MM, bleedMm: 3 },
    ]);
    const text = toLatin1(bytes);
    const cut = text.lastIndexOf("endobj", text.indexOf("xref")) + "endobj".length;
    const withoutXref = await preflight(bytesReader(bytes.subarray(0, cut)));

    expect(listChecks(withoutXref)).toEqual(["file.truncated:error", "fonts.not-embedded:error"]);
    expect(withoutXref.pageCount).toBe(2);

    for (const fraction of [0.9, 0.5, 0.2, 0.05]) {
      const report = await preflight(bytesReader(bytes.subarray(0, Math.floor(bytes.length * fraction))));
      expect(report.verdict, `cut at ${fraction}`).toBe("error");
      expect(report.findings.length, `cut at ${fraction}`).toBeGreaterThan(0);
    }
  });

  test("truncated object stream file", async () => {
    const bytes = await buildPdf([{ trimMm: A4_MM, bleedMm: 3, text: StandardFonts.Helvetica }], { useObjectStreams: true });
    for (let cut = 0; cut < bytes.length; cut += 97) {
      const report = await preflight(bytesReader(bytes.subarray(0, cut)));
      expect(report.verdict, `cut at ${cut}`).toBe("error");
    }
  });

  test("random garbage is unreadable", async () => {
    const report = await preflight(bytesReader(pseudoRandomBytes(100_000)));

    expect(listChecks(report)).toEqual(["file.unreadable:error"]);
    expect(report.pageCount).toBeNull();
    expect(report.verdict).toBe("error");
    expect(report.findings[0].title).toBe("Datei nicht lesbar");
  });

  test("empty file is unreadable", async () => {
    const report = await preflight(bytesReader(new Uint8Array(0)));

    expect(listChecks(report)).toEqual(["file.unreadable:error"]);
    expect(report.pageCount).toBeNull();
  });

  test("header only is unreadable", async () => {
    const report = await preflight(bytesReader(fromLatin1("%PDF-1.7\n%%EOF\n")));

    expect(listChecks(report)).toEqual(["file.unreadable:error"]);
  });

  test("zero pages is an error", async () => {
    const document = await PDFDocument.create();
    const report = await preflight(bytesReader(await document.save({ addDefaultPage: false })));

    expect(listChecks(report)).toEqual(["pages.none:error"]);
    expect(report.pageCount).toBe(0);
    expect(report.verdict).toBe("error");
  });

  test("page tree cycle terminates", async () => {
    const document = await PDFDocument.create();
    await addPage(document, { trimMm: A4_MM, bleedMm: 3 });
    const pages = document.catalog.Pages();
    pages.Kids().push(document.catalog.get(PDFName.of("Pages")) as PDFRef);
    const report = await preflight(bytesReader(await document.save()));

    expect(listChecks(report)).toEqual(["pages.tree-damaged:warning"]);
    expect(report.pageCount).toBe(1);
  });

  test("reads only a small part of a large file", async () => {
    const document = await PDFDocument.create();
    await addPage(document, { trimMm: A4_MM, bleedMm: 3 });
    document.context.register(document.context.stream(pseudoRandomBytes(20 * 1024 * 1024)));
    const bytes = await document.save({ useObjectStreams: false });
    const reader = countingReader(bytes);
    const report = await preflight(reader);

    expect(report.verdict).toBe("ok");
    expect(reader.bytesRead).toBeLessThan(512 * 1024);
  });

  test("failing reader becomes a finding", async () => {
    const bytes = await buildPdf([{ trimMm: A4_MM, bleedMm: 3 }]);
    const reader: RangeReader = {
      size: bytes.length,
      async read() {
        throw new Error("R2 GET failed");
      },
    };
    const report = await preflight(reader);

    expect(listChecks(report)).toEqual(["engine.failed:error"]);
    expect(report.pageCount).toBeNull();
  });
});
