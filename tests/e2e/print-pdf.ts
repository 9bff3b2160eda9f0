import { PDFDocument, StandardFonts } from "pdf-lib";

const POINTS_PER_MM = 72 / 25.4;
const A4_WIDTH = 210 * POINTS_PER_MM;
const A4_HEIGHT = 297 * POINTS_PER_MM;
const BLEED = 3 * POINTS_PER_MM;

/**
 * Builds a one-page A4 print file with a TrimBox and 3 mm of bleed on every
 * side, so the box checks pass. Its text uses Helvetica as a standard font
 * that pdf-lib does not embed, so the preflight reports exactly one error:
 * "Schrift nicht eingebettet".
 */
export async function buildPrintPdf(label: string): Promise<Buffer> {
  const document = await PDFDocument.create();
  const page = document.addPage([A4_WIDTH + 2 * BLEED, A4_HEIGHT + 2 * BLEED]);
  page.setTrimBox(BLEED, BLEED, A4_WIDTH, A4_HEIGHT);
  page.setBleedBox(0, 0, A4_WIDTH + 2 * BLEED, A4_HEIGHT + 2 * BLEED);

  const helvetica = await document.embedFont(StandardFonts.Helvetica);
  page.drawText(`Testdruck ${label}`, { x: 60, y: A4_HEIGHT - 60, size: 24, font: helvetica });

  return Buffer.from(await document.save());
}
