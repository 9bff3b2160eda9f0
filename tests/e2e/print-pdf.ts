import { cmyk, PDFDocument, PDFName, PDFString, StandardFonts } from "pdf-lib";

const POINTS_PER_MM = 72 / 25.4;
const A4_WIDTH = 210 * POINTS_PER_MM;
const A4_HEIGHT = 297 * POINTS_PER_MM;
const BLEED = 3 * POINTS_PER_MM;

/**
 * Builds a one-page A4 print file that passes every check but one. It has a
 * TrimBox, 3 mm of bleed, a CMYK output intent and CMYK black text. The text
 * uses Helvetica, a standard font that pdf-lib does not embed, so the
 * preflight reports one error, "Schrift nicht eingebettet", plus the note
 * that total ink coverage is not checked.
 */
export async function buildPrintPdf(label: string, paddingBytes = 0): Promise<Buffer> {
  const document = await PDFDocument.create();
  const page = document.addPage([A4_WIDTH + 2 * BLEED, A4_HEIGHT + 2 * BLEED]);
  page.setTrimBox(BLEED, BLEED, A4_WIDTH, A4_HEIGHT);
  page.setBleedBox(0, 0, A4_WIDTH + 2 * BLEED, A4_HEIGHT + 2 * BLEED);

  // A PDF/X output intent; the check reads only /N of the profile, so the profile has no data.
  const profile = document.context.register(document.context.stream(new Uint8Array(0), { N: 4 }));
  const intent = document.context.obj({
    Type: "OutputIntent",
    S: "GTS_PDFX",
    OutputConditionIdentifier: PDFString.of("FOGRA39"),
    DestOutputProfile: profile,
  });
  document.catalog.set(PDFName.of("OutputIntents"), document.context.obj([intent]));

  const helvetica = await document.embedFont(StandardFonts.Helvetica);
  page.drawText(`Testdruck ${label}`, { x: 60, y: A4_HEIGHT - 60, size: 24, font: helvetica, color: cmyk(0, 0, 0, 1) });

  // An unreferenced, uncompressed stream makes the file as large as a test needs without changing the findings.
  if (paddingBytes > 0) document.context.register(document.context.stream(new Uint8Array(paddingBytes).fill(0x20)));

  return Buffer.from(await document.save());
}
