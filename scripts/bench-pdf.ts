import {
  concatTransformationMatrix,
  drawObject,
  PDFDocument,
  PDFName,
  popGraphicsState,
  pushGraphicsState,
  StandardFonts,
} from "pdf-lib";

// The benchmark PDF that both preflight benchmarks check: 100 A4 pages with
// 3 mm bleed and 300 uncompressed RGB images of random pixels, about 200 MB.
// The pixels are random, so the bytes differ from run to run.

export const PAGE_COUNT = 100;
export const IMAGES_PER_PAGE = 3;
const TARGET_BYTES = 200 * 1024 * 1024;
/** Points per image pixel, i.e. effective resolutions of 300, 200, 144 and 100 ppi. */
const SCALES = [0.24, 0.36, 0.5, 0.72];

/** Returns the image sizes in pixels: widths of 300 to 700, pixel counts of half to one and a half times the mean. */
function imageSizes(): { width: number; height: number }[] {
  const count = PAGE_COUNT * IMAGES_PER_PAGE;
  const meanPixels = TARGET_BYTES / 3 / count;
  return Array.from({ length: count }, (_, index) => {
    const width = 300 + ((index * 97) % 401);
    const factor = 0.5 + (index % 100) / 99;
    return { width, height: Math.max(1, Math.round((meanPixels * factor) / width)) };
  });
}

function randomPixels(length: number): Uint8Array {
  const pixels = new Uint8Array(length);
  // getRandomValues fills at most 65,536 bytes per call.
  for (let offset = 0; offset < length; offset += 65536) {
    crypto.getRandomValues(pixels.subarray(offset, Math.min(offset + 65536, length)));
  }
  return pixels;
}

/** Builds the benchmark PDF: A4 pages with 3 mm bleed, three RGB images each, drawn at different scales. */
export async function buildBenchmarkPdf(): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const sizes = imageSizes();

  for (let pageIndex = 0; pageIndex < PAGE_COUNT; pageIndex++) {
    const page = pdf.addPage([612.28, 858.9]);
    page.setTrimBox(8.5, 8.5, 595.28, 841.89);
    page.setBleedBox(0, 0, 612.28, 858.9);
    page.drawText(`Seite ${pageIndex + 1}`, { x: 40, y: 820, size: 12, font });

    for (let slot = 0; slot < IMAGES_PER_PAGE; slot++) {
      const imageIndex = pageIndex * IMAGES_PER_PAGE + slot;
      const { width, height } = sizes[imageIndex];
      const image = pdf.context.stream(randomPixels(width * height * 3), {
        Type: "XObject",
        Subtype: "Image",
        Width: width,
        Height: height,
        ColorSpace: "DeviceRGB",
        BitsPerComponent: 8,
      });
      const name = `Im${slot + 1}`;
      page.node.setXObject(PDFName.of(name), pdf.context.register(image));

      const scale = SCALES[imageIndex % SCALES.length];
      page.pushOperators(
        pushGraphicsState(),
        concatTransformationMatrix(width * scale, 0, 0, height * scale, 40 + slot * 20, 40 + slot * 260),
        drawObject(name),
        popGraphicsState(),
      );
    }
  }
  return pdf.save({ useObjectStreams: false });
}
