import { test } from "vitest";
import { PDFDocument, StandardFonts } from "pdf-lib";
import { bytesReader, preflight } from "./index";
import { addPage, A4_MM, pseudoRandomBytes, toLatin1, fromLatin1 } from "./test-support/pdf-builders";

test("large", async () => {
  const document = await PDFDocument.create();
  for (let i = 0; i < 200; i++) await addPage(document, { trimMm: A4_MM, bleedMm: 3, text: StandardFonts.Helvetica });
  for (let i = 0; i < 10; i++) document.context.register(document.context.stream(pseudoRandomBytes(20 * 1024 * 1024, i + 1)));
  for (const useObjectStreams of [false, true]) {
    const bytes = await document.save({ useObjectStreams });
    let reads = 0, bytesRead = 0;
    const inner = bytesReader(bytes);
    const reader = { size: inner.size, async read(o: number, l: number) { reads++; const r = await inner.read(o, l); bytesRead += r.length; return r; } };
    let t = performance.now();
    let report = await preflight(reader);
    console.log(useObjectStreams, "size MB", (bytes.length / 1048576).toFixed(1), "ms", Math.round(performance.now() - t), "reads", reads, "KB read", Math.round(bytesRead / 1024), report.verdict, report.pageCount, report.findings.map((f) => f.check).join(","));
    // Broken startxref: forces a full repair scan.
    const tail = bytes.length - 200;
    const broken = Uint8Array.from(bytes);
    broken.set(fromLatin1(toLatin1(bytes.subarray(tail)).replace(/startxref\s+\d+/, "startxref\n1")), tail);
    reads = 0; bytesRead = 0;
    const inner2 = bytesReader(broken);
    const reader2 = { size: inner2.size, async read(o: number, l: number) { reads++; const r = await inner2.read(o, l); bytesRead += r.length; return r; } };
    t = performance.now();
    report = await preflight(reader2);
    console.log("repair", useObjectStreams, "ms", Math.round(performance.now() - t), "reads", reads, "MB read", Math.round(bytesRead / 1048576), report.verdict, report.pageCount, [...new Set(report.findings.map((f) => f.check))].join(","));
  }
}, 600_000);
