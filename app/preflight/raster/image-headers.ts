// Header readers for TIFF, JPEG and PNG: pixel size, colour mode and stored resolution.
// Only headers and markers are read; pixel data is never decoded.

import type { RangeReader } from "../types";

export type ColourMode = "CMYK" | "RGB" | "Graustufen" | "Strich (1 Bit)" | "Indizierte Farben" | "Lab" | "YCbCr" | "unbekannt";

export interface ImageHeader {
  format: "TIFF" | "JPEG" | "PNG";
  width: number;
  height: number;
  mode: ColourMode;
  /** Bits per sample of the first channel, when the header states it. */
  bitsPerSample?: number;
  /** Stored resolution in pixels per inch, when the file states one. */
  ppiX?: number;
  ppiY?: number;
}

/** Thrown when a header is cut off or inconsistent. */
export class ImageHeaderError extends Error {}

const MAX_TIFF_ENTRIES = 4096;
/** JPEG files with this many bytes of markers before the frame header are treated as damaged. */
const MAX_JPEG_SCAN_BYTES = 16 * 1024 * 1024;
const MAX_PNG_CHUNKS = 10_000;

async function readExactly(reader: RangeReader, offset: number, length: number): Promise<Uint8Array> {
  const bytes = await reader.read(offset, length);
  if (bytes.length < length) throw new ImageHeaderError(`expected ${length} bytes at offset ${offset}, found ${bytes.length}`);
  return bytes;
}

/** Reads the first image file directory of a TIFF file (TIFF 6.0, section 2) in either byte order. */
export async function readTiffHeader(reader: RangeReader): Promise<ImageHeader> {
  const head = await readExactly(reader, 0, 8);
  const littleEndian = head[0] === 0x49;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const ifdOffset = view.getUint32(4, littleEndian);

  const countBytes = await readExactly(reader, ifdOffset, 2);
  const count = new DataView(countBytes.buffer, countBytes.byteOffset, 2).getUint16(0, littleEndian);
  if (count === 0 || count > MAX_TIFF_ENTRIES) throw new ImageHeaderError(`invalid TIFF directory with ${count} entries`);
  const entries = await readExactly(reader, ifdOffset + 2, count * 12);
  const entryView = new DataView(entries.buffer, entries.byteOffset, entries.byteLength);

  const values = new Map<number, number>();
  const rationals = new Map<number, number>();
  for (let index = 0; index < count; index++) {
    const base = index * 12;
    const tag = entryView.getUint16(base, littleEndian);
    const type = entryView.getUint16(base + 2, littleEndian);
    const valueCount = entryView.getUint32(base + 4, littleEndian);
    // Field types: 3 SHORT, 4 LONG, 5 RATIONAL. Values that fit in four bytes sit in the entry
    // itself, longer ones (BitsPerSample of an RGB image) at the offset stored there.
    if (type === 3 && valueCount <= 2) values.set(tag, entryView.getUint16(base + 8, littleEndian));
    else if (type === 3) {
      const first = await readExactly(reader, entryView.getUint32(base + 8, littleEndian), 2);
      values.set(tag, new DataView(first.buffer, first.byteOffset, 2).getUint16(0, littleEndian));
    } else if (type === 4 && valueCount <= 1) values.set(tag, entryView.getUint32(base + 8, littleEndian));
    else if (type === 4) {
      const first = await readExactly(reader, entryView.getUint32(base + 8, littleEndian), 4);
      values.set(tag, new DataView(first.buffer, first.byteOffset, 4).getUint32(0, littleEndian));
    } else if (type === 5) {
      const valueOffset = entryView.getUint32(base + 8, littleEndian);
      const rational = await readExactly(reader, valueOffset, 8);
      const rationalView = new DataView(rational.buffer, rational.byteOffset, 8);
      const denominator = rationalView.getUint32(4, littleEndian);
      if (denominator > 0) rationals.set(tag, rationalView.getUint32(0, littleEndian) / denominator);
    }
  }

  const width = values.get(256);
  const height = values.get(257);
  if (!width || !height) throw new ImageHeaderError("TIFF ImageWidth or ImageLength missing");

  const photometric = values.get(262);
  const samplesPerPixel = values.get(277) ?? 1;
  const bitsPerSample = values.get(258) ?? 1;
  // ResolutionUnit: 1 none, 2 inch (default), 3 centimetre.
  const unit = values.get(296) ?? 2;
  const toPpi = (value: number | undefined) => {
    if (value === undefined || unit === 1) return undefined;
    return unit === 3 ? value * 2.54 : value;
  };

  return {
    format: "TIFF",
    width,
    height,
    mode: describeTiffMode(photometric, samplesPerPixel, bitsPerSample),
    bitsPerSample,
    ppiX: toPpi(rationals.get(282)),
    ppiY: toPpi(rationals.get(283)),
  };
}

function describeTiffMode(photometric: number | undefined, samplesPerPixel: number, bitsPerSample: number): ColourMode {
  switch (photometric) {
    case 0:
    case 1:
      return bitsPerSample === 1 ? "Strich (1 Bit)" : "Graustufen";
    case 2:
      return "RGB";
    case 3:
      return "Indizierte Farben";
    case 5:
      // InkSet defaults to CMYK; four samples are CMYK, more add spot or extra channels.
      return samplesPerPixel >= 4 ? "CMYK" : "unbekannt";
    case 6:
      return "YCbCr";
    case 8:
    case 9:
    case 10:
      return "Lab";
    default:
      return "unbekannt";
  }
}

/**
 * Walks JPEG markers (ITU-T T.81, annex B) to the first frame header and reads the JFIF density on
 * the way. Three components count as RGB and four as CMYK, as in Adobe's and libjpeg's convention.
 * NOTE: the Exif resolution is not read.
 */
export async function readJpegHeader(reader: RangeReader): Promise<ImageHeader> {
  let offset = 2;
  let ppi: number | undefined;

  while (offset < Math.min(reader.size, MAX_JPEG_SCAN_BYTES)) {
    const marker = await readExactly(reader, offset, 4);
    if (marker[0] !== 0xff) throw new ImageHeaderError(`JPEG marker expected at offset ${offset}`);
    const code = marker[1];
    // Fill bytes (0xFF) may precede a marker.
    if (code === 0xff) {
      offset++;
      continue;
    }
    const length = (marker[2] << 8) | marker[3];
    if (length < 2) throw new ImageHeaderError(`invalid JPEG segment length at offset ${offset}`);

    // SOF0 to SOF15 except DHT (C4), JPG (C8) and DAC (CC).
    if (code >= 0xc0 && code <= 0xcf && code !== 0xc4 && code !== 0xc8 && code !== 0xcc) {
      const frame = await readExactly(reader, offset + 4, 6);
      const height = (frame[1] << 8) | frame[2];
      const width = (frame[3] << 8) | frame[4];
      const components = frame[5];
      if (!width || !height) throw new ImageHeaderError("JPEG frame header has no size");
      const modes: Record<number, ColourMode> = { 1: "Graustufen", 3: "RGB", 4: "CMYK" };
      const mode = modes[components] ?? "unbekannt";
      return { format: "JPEG", width, height, mode, bitsPerSample: frame[0], ppiX: ppi, ppiY: ppi };
    }

    if (code === 0xe0 && length >= 16) {
      const segment = await readExactly(reader, offset + 4, 12);
      if (String.fromCharCode(...segment.subarray(0, 5)) === "JFIF\0") {
        // Units: 1 dots per inch, 2 dots per centimetre; 0 means only an aspect ratio.
        const units = segment[7];
        const density = (segment[8] << 8) | segment[9];
        if (density > 0 && units === 1) ppi = density;
        if (density > 0 && units === 2) ppi = density * 2.54;
      }
    }
    if (code === 0xd9 || code === 0xda) break;
    offset += 2 + length;
  }
  throw new ImageHeaderError("JPEG frame header not found");
}

/** Reads IHDR and, if present before the image data, pHYs (PNG specification, sections 11.2.2 and 11.3.5.3). */
export async function readPngHeader(reader: RangeReader): Promise<ImageHeader> {
  const ihdr = await readExactly(reader, 8, 25);
  if (String.fromCharCode(...ihdr.subarray(4, 8)) !== "IHDR") throw new ImageHeaderError("PNG IHDR chunk missing");
  const view = new DataView(ihdr.buffer, ihdr.byteOffset, ihdr.byteLength);
  const width = view.getUint32(8);
  const height = view.getUint32(12);
  const bitDepth = ihdr[16];
  const colourType = ihdr[17];
  if (!width || !height) throw new ImageHeaderError("PNG image has no size");

  const modes: Record<number, ColourMode> = { 0: "Graustufen", 2: "RGB", 3: "Indizierte Farben", 4: "Graustufen", 6: "RGB" };
  const header: ImageHeader = { format: "PNG", width, height, mode: modes[colourType] ?? "unbekannt", bitsPerSample: bitDepth };
  if (colourType === 0 && bitDepth === 1) header.mode = "Strich (1 Bit)";

  let offset = 33;
  for (let chunk = 0; chunk < MAX_PNG_CHUNKS && offset + 8 <= reader.size; chunk++) {
    const chunkHead = await readExactly(reader, offset, 8);
    const length = new DataView(chunkHead.buffer, chunkHead.byteOffset, 8).getUint32(0);
    const type = String.fromCharCode(...chunkHead.subarray(4, 8));
    if (type === "IDAT" || type === "IEND") break;
    if (type === "pHYs" && length >= 9) {
      const data = await readExactly(reader, offset + 8, 9);
      const dataView = new DataView(data.buffer, data.byteOffset, 9);
      // Unit 1 is the metre; unit 0 gives only the aspect ratio.
      if (data[8] === 1) {
        header.ppiX = dataView.getUint32(0) * 0.0254;
        header.ppiY = dataView.getUint32(4) * 0.0254;
      }
    }
    offset += 12 + length;
  }
  return header;
}
