import { PDFDocument, PDFName, StandardFonts } from "pdf-lib";

import { logInToPortal } from "./bench-support";

// Measures the time from the start of an upload to the stored preflight
// verdict, against a portal already running (`npm start`), for PDFs of 1 MB
// and 50 MB. Usage: npm run bench:verdict [-- <base URL>]

const baseUrl = process.argv[2] ?? `http://127.0.0.1:${process.env.PORT ?? "8787"}`;
const SIZES_MB = [1, 50];
const ROUNDS = 3;

/** Builds an A4 PDF with bleed and an uncompressed image of random pixels that brings it to about `megabytes`. */
async function buildPdf(megabytes: number): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const page = pdf.addPage([612.28, 858.9]);
  page.setTrimBox(8.5, 8.5, 595.28, 841.89);
  page.setBleedBox(0, 0, 612.28, 858.9);
  page.drawText("Benchmark", { x: 60, y: 760, size: 24, font: await pdf.embedFont(StandardFonts.Helvetica) });

  const side = Math.floor(Math.sqrt((megabytes * 1024 * 1024) / 3));
  const pixels = new Uint8Array(side * side * 3);
  for (let offset = 0; offset < pixels.length; offset += 65536) {
    crypto.getRandomValues(pixels.subarray(offset, Math.min(offset + 65536, pixels.length)));
  }
  const image = pdf.context.stream(pixels, {
    Type: "XObject",
    Subtype: "Image",
    Width: side,
    Height: side,
    ColorSpace: "DeviceRGB",
    BitsPerComponent: 8,
  });
  page.node.setXObject(PDFName.of("Im1"), pdf.context.register(image));
  return pdf.save({ useObjectStreams: false });
}


async function findOrderId(cookie: string): Promise<string> {
  const html = await (await fetch(`${baseUrl}/`, { headers: { Cookie: cookie } })).text();
  const match = html.match(/\/auftraege\/([0-9a-f-]{36})/);
  if (!match?.[1]) throw new Error("no order found in the overview");
  return match[1];
}

async function waitForVerdict(cookie: string, orderId: string, fileId: string): Promise<string> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const html = await (await fetch(`${baseUrl}/auftraege/${orderId}`, { headers: { Cookie: cookie } })).text();
    const start = html.indexOf(`data-file-id="${fileId}"`);
    const verdict = start >= 0 ? html.slice(start, start + 4000).match(/Datencheck (OK|Warnung|fehlerhaft)/) : null;
    if (verdict) return verdict[0];
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no verdict for file ${fileId} within 120 seconds`);
}

const cookie = await logInToPortal(baseUrl, "kunde@example.com");
const orderId = await findOrderId(cookie);
console.log(`Portal ${baseUrl}, order ${orderId}, ${ROUNDS} rounds per size`);

for (const megabytes of SIZES_MB) {
  const pdf = await buildPdf(megabytes);
  const timings: number[] = [];
  let verdict = "";

  for (let round = 0; round < ROUNDS; round++) {
    const started = performance.now();
    const response = await fetch(`${baseUrl}/auftraege/${orderId}/dateien`, {
      method: "PUT",
      headers: {
        Cookie: cookie,
        Origin: baseUrl,
        "X-Upload-Id": crypto.randomUUID(),
        "X-File-Name": encodeURIComponent(`benchmark-${megabytes}mb.pdf`),
      },
      body: new Uint8Array(pdf),
    });
    const result = (await response.json()) as { ok: boolean; fileId?: string; message?: string };
    if (!result.ok || !result.fileId) throw new Error(`upload failed: ${result.message ?? response.status}`);

    verdict = await waitForVerdict(cookie, orderId, result.fileId);
    timings.push(performance.now() - started);
  }

  const sorted = timings.toSorted((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  console.log(
    `${(pdf.byteLength / 1024 / 1024).toFixed(1)} MiB: upload to verdict median ${median.toFixed(0)} ms ` +
      `(min ${sorted[0]?.toFixed(0)} ms, max ${sorted.at(-1)?.toFixed(0)} ms), ${verdict}`,
  );
}
