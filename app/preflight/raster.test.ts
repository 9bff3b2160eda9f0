import { describe, expect, test } from "vitest";
import { bytesReader, detectRasterFormat, inspectRasterFile } from "./index";
import { findingsOf, listChecks } from "./test-support/report-helpers";

interface TiffEntry {
  tag: number;
  /** 3 SHORT, 4 LONG, 5 RATIONAL. */
  type: 3 | 4 | 5;
  value: number | [number, number];
  /** Writes the SHORT value this many times after the directory, so the entry contains an offset. */
  repeat?: number;
}

/** Builds a TIFF header with one image file directory and no pixel data. */
function buildTiff(entries: TiffEntry[], littleEndian: boolean): Uint8Array {
  const ifdOffset = 8;
  const ifdBytes = 2 + entries.length * 12 + 4;
  const rationals = entries.filter((entry) => entry.type === 5);
  const repeated = entries.reduce((sum, entry) => sum + (entry.repeat ?? 0) * 2, 0);
  const bytes = new Uint8Array(ifdOffset + ifdBytes + rationals.length * 8 + repeated);
  const view = new DataView(bytes.buffer);

  bytes.set(littleEndian ? [0x49, 0x49, 0x2a, 0x00] : [0x4d, 0x4d, 0x00, 0x2a]);
  view.setUint32(4, ifdOffset, littleEndian);
  view.setUint16(ifdOffset, entries.length, littleEndian);

  let dataOffset = ifdOffset + ifdBytes;
  entries.forEach((entry, index) => {
    const base = ifdOffset + 2 + index * 12;
    view.setUint16(base, entry.tag, littleEndian);
    view.setUint16(base + 2, entry.type, littleEndian);
    view.setUint32(base + 4, entry.repeat ?? 1, littleEndian);
    if (entry.type === 3 && entry.repeat) {
      view.setUint32(base + 8, dataOffset, littleEndian);
      for (let i = 0; i < entry.repeat; i++) view.setUint16(dataOffset + 2 * i, entry.value as number, littleEndian);
      dataOffset += 2 * entry.repeat;
    } else if (entry.type === 3) view.setUint16(base + 8, entry.value as number, littleEndian);
    if (entry.type === 4) view.setUint32(base + 8, entry.value as number, littleEndian);
    if (entry.type === 5) {
      const [numerator, denominator] = entry.value as [number, number];
      view.setUint32(base + 8, dataOffset, littleEndian);
      view.setUint32(dataOffset, numerator, littleEndian);
      view.setUint32(dataOffset + 4, denominator, littleEndian);
      dataOffset += 8;
    }
  });
  return bytes;
}

function tiffEntries(width: number, height: number, photometric: number, samples: number, ppi: number, unit = 2): TiffEntry[] {
  return [
    { tag: 256, type: 4, value: width },
    { tag: 257, type: 4, value: height },
    { tag: 258, type: 3, value: 8 },
    { tag: 262, type: 3, value: photometric },
    { tag: 277, type: 3, value: samples },
    { tag: 282, type: 5, value: [ppi, 1] },
    { tag: 283, type: 5, value: [ppi, 1] },
    { tag: 296, type: 3, value: unit },
  ];
}

function segment(marker: number, payload: number[]): number[] {
  const length = payload.length + 2;
  return [0xff, marker, length >> 8, length & 0xff, ...payload];
}

/** Builds a JPEG with SOI, a JFIF APP0 segment, a comment and a baseline frame header. */
function buildJpeg(width: number, height: number, components: number, dpi = 300): Uint8Array {
  const jfif = [0x4a, 0x46, 0x49, 0x46, 0x00, 1, 2, 1, dpi >> 8, dpi & 0xff, dpi >> 8, dpi & 0xff, 0, 0];
  const comment = [...new TextEncoder().encode("Probe")];
  const frame = [8, height >> 8, height & 0xff, width >> 8, width & 0xff, components];
  for (let i = 0; i < components; i++) frame.push(i + 1, 0x11, 0);
  return new Uint8Array([0xff, 0xd8, ...segment(0xe0, jfif), ...segment(0xfe, comment), ...segment(0xc0, frame), 0xff, 0xd9]);
}

function pngChunk(type: string, data: number[]): number[] {
  const length = data.length;
  // The CRC is not checked by the reader, so zeros suffice.
  return [length >>> 24, (length >> 16) & 0xff, (length >> 8) & 0xff, length & 0xff, ...new TextEncoder().encode(type), ...data, 0, 0, 0, 0];
}

function uint32(value: number): number[] {
  return [value >>> 24, (value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff];
}

function buildPng(width: number, height: number, colourType: number, pixelsPerMetre?: number): Uint8Array {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  const ihdr = pngChunk("IHDR", [...uint32(width), ...uint32(height), 8, colourType, 0, 0, 0]);
  const phys = pixelsPerMetre ? pngChunk("pHYs", [...uint32(pixelsPerMetre), ...uint32(pixelsPerMetre), 1]) : [];
  return new Uint8Array([...signature, ...ihdr, ...phys, ...pngChunk("IDAT", [0]), ...pngChunk("IEND", [])]);
}

/** Builds a ZIP archive with stored (uncompressed) entries: local headers, central directory and end record. */
function buildZip(files: { name: string; content: string }[]): Uint8Array {
  const local: number[] = [];
  const central: number[] = [];
  const u16 = (value: number) => [value & 0xff, value >> 8];
  const u32 = (value: number) => [value & 0xff, (value >> 8) & 0xff, (value >> 16) & 0xff, value >>> 24];

  for (const file of files) {
    const name = [...new TextEncoder().encode(file.name)];
    const content = [...new TextEncoder().encode(file.content)];
    const offset = local.length;
    local.push(...u32(0x04034b50), ...u16(20), ...u16(0x800), ...u16(0), ...u16(0), ...u16(0), ...u32(0));
    local.push(...u32(content.length), ...u32(content.length), ...u16(name.length), ...u16(0), ...name, ...content);
    central.push(...u32(0x02014b50), ...u16(20), ...u16(20), ...u16(0x800), ...u16(0), ...u16(0), ...u16(0), ...u32(0));
    central.push(...u32(content.length), ...u32(content.length), ...u16(name.length), ...u16(0), ...u16(0), ...u16(0), ...u16(0));
    central.push(...u32(0), ...u32(offset), ...name);
  }
  const end = [...u32(0x06054b50), ...u16(0), ...u16(0), ...u16(files.length), ...u16(files.length), ...u32(central.length), ...u32(local.length), ...u16(0)];
  return new Uint8Array([...local, ...central, ...end]);
}

const A4 = { trimWidthMm: 210, trimHeightMm: 297 };
/** A4 at 300 ppi: 2480 × 3508 pixels. */
const A4_300_PPI: [number, number] = [2480, 3508];

describe("format detection", () => {
  test("magic bytes are recognised", () => {
    expect(detectRasterFormat(buildTiff(tiffEntries(1, 1, 2, 3, 72), true))).toBe("TIFF");
    expect(detectRasterFormat(buildTiff(tiffEntries(1, 1, 2, 3, 72), false))).toBe("TIFF");
    expect(detectRasterFormat(buildJpeg(1, 1, 3))).toBe("JPEG");
    expect(detectRasterFormat(buildPng(1, 1, 2))).toBe("PNG");
    expect(detectRasterFormat(buildZip([]))).toBe("ZIP");
    expect(detectRasterFormat(new TextEncoder().encode("%PDF-1.7"))).toBeUndefined();
  });

  test("unknown file is an error", async () => {
    const report = await inspectRasterFile(bytesReader(new TextEncoder().encode("GIF89a......")));

    expect(listChecks(report)).toEqual(["raster.unknown-format:error"]);
    expect(report.verdict).toBe("error");
    expect(report.pageCount).toBeNull();
  });
});

describe("TIFF", () => {
  for (const littleEndian of [true, false]) {
    test(`CMYK at 300 ppi passes (${littleEndian ? "II" : "MM"})`, async () => {
      const bytes = buildTiff(tiffEntries(...A4_300_PPI, 5, 4, 300), littleEndian);
      const report = await inspectRasterFile(bytesReader(bytes), A4);

      expect(listChecks(report)).toEqual(["raster.pixel-size:info", "raster.colour-mode:info", "raster.resolution:info"]);
      expect(report.findings[0].measured).toBe("2.480 × 3.508 Pixel");
      expect(report.findings[1].measured).toBe("CMYK");
      expect(report.findings[2].measured).toBe("300 ppi");
      expect(report.verdict).toBe("ok");
      expect(report.pageCount).toBe(1);
    });
  }

  test("RGB is a warning", async () => {
    const entries = tiffEntries(...A4_300_PPI, 2, 3, 300).map((entry) => (entry.tag === 258 ? { ...entry, repeat: 3 } : entry));
    const report = await inspectRasterFile(bytesReader(buildTiff(entries, false)), A4);

    const [finding] = findingsOf(report, "raster.colour-not-cmyk");
    expect(finding.severity).toBe("warning");
    expect(finding.measured).toBe("RGB");
    expect(finding.expected).toBe("CMYK");
    expect(report.verdict).toBe("warning");
  });

  test("low resolution at order size is an error", async () => {
    // 1240 pixels across 210 mm are 150 ppi, 620 pixels 75 ppi.
    const warning = await inspectRasterFile(bytesReader(buildTiff(tiffEntries(1240, 1754, 1, 1, 300), true)), A4);
    const error = await inspectRasterFile(bytesReader(buildTiff(tiffEntries(620, 877, 1, 1, 300), true)), A4);

    expect(findingsOf(warning, "raster.resolution-low")[0].severity).toBe("warning");
    expect(findingsOf(warning, "raster.resolution-low")[0].measured).toBe("150 ppi");
    expect(findingsOf(error, "raster.resolution-low")[0].severity).toBe("error");
    expect(findingsOf(error, "raster.resolution-low")[0].expected).toBe("mehr als 224 ppi");
    expect(findingsOf(warning, "raster.colour-mode")[0].measured).toBe("Graustufen");
  });

  test("profile sets the resolution limits", async () => {
    // 827 pixels across 210 mm are 100 ppi: an error for sheetfed, enough for large format.
    const bytes = buildTiff(tiffEntries(827, 1170, 5, 4, 100), true);
    const sheetfed = await inspectRasterFile(bytesReader(bytes), A4);
    const largeFormat = await inspectRasterFile(bytesReader(bytes), A4, "gwg2022-largeformat");

    expect(findingsOf(sheetfed, "raster.resolution-low")[0].severity).toBe("error");
    expect(findingsOf(largeFormat, "raster.resolution")[0].measured).toBe("100 ppi");
    expect(largeFormat.profile).toBe("gwg2022-largeformat");
  });

  test("failing reader becomes a finding", async () => {
    const reader = { size: 100, read: async () => Promise.reject(new Error("R2 timed out")) };
    const report = await inspectRasterFile(reader);

    expect(listChecks(report)).toEqual(["engine.failed:error"]);
  });

  test("landscape image fits landscape side", async () => {
    const report = await inspectRasterFile(bytesReader(buildTiff(tiffEntries(3508, 2480, 5, 4, 300), true)), A4);

    expect(findingsOf(report, "raster.resolution")[0].measured).toBe("300 ppi");
  });

  test("stored resolution in centimetres is converted", async () => {
    const report = await inspectRasterFile(bytesReader(buildTiff(tiffEntries(100, 100, 5, 4, 118, 3), true)));

    const [finding] = findingsOf(report, "raster.resolution-not-checked");
    expect(finding.severity).toBe("info");
    expect(finding.message).toContain("300 ppi");
  });

  test("truncated TIFF is unreadable", async () => {
    const bytes = buildTiff(tiffEntries(100, 100, 5, 4, 300), true).subarray(0, 20);
    const report = await inspectRasterFile(bytesReader(bytes));

    expect(listChecks(report)).toEqual(["raster.unreadable:error"]);
  });
});

describe("JPEG", () => {
  test("RGB JPEG reads size and density", async () => {
    const report = await inspectRasterFile(bytesReader(buildJpeg(...A4_300_PPI, 3)));

    expect(listChecks(report)).toEqual(["raster.pixel-size:info", "raster.colour-not-cmyk:warning", "raster.resolution-not-checked:info"]);
    expect(report.findings[0].measured).toBe("2.480 × 3.508 Pixel");
    expect(report.findings[2].message).toContain("300 ppi");
  });

  test("CMYK JPEG passes at order size", async () => {
    const report = await inspectRasterFile(bytesReader(buildJpeg(...A4_300_PPI, 4)), A4);

    expect(findingsOf(report, "raster.colour-mode")[0].measured).toBe("CMYK");
    expect(report.verdict).toBe("ok");
  });

  test("JPEG without frame header is unreadable", async () => {
    const bytes = buildJpeg(100, 100, 3).subarray(0, 30);
    const report = await inspectRasterFile(bytesReader(bytes));

    expect(listChecks(report)).toEqual(["raster.unreadable:error"]);
  });
});

describe("PNG", () => {
  test("RGB PNG with pHYs", async () => {
    // 11811 pixels per metre are 300 ppi.
    const report = await inspectRasterFile(bytesReader(buildPng(800, 600, 6, 11811)));

    expect(findingsOf(report, "raster.pixel-size")[0].measured).toBe("800 × 600 Pixel");
    expect(findingsOf(report, "raster.colour-not-cmyk")[0].measured).toBe("RGB");
    expect(findingsOf(report, "raster.resolution-not-checked")[0].message).toContain("300 ppi");
  });

  test("grayscale PNG is no colour warning", async () => {
    const report = await inspectRasterFile(bytesReader(buildPng(800, 600, 0)));

    expect(findingsOf(report, "raster.colour-mode")[0].measured).toBe("Graustufen");
    expect(findingsOf(report, "raster.colour-not-cmyk")).toEqual([]);
    expect(report.verdict).toBe("ok");
  });
});

describe("ZIP", () => {
  test("contents are listed but not checked", async () => {
    const bytes = buildZip([
      { name: "Druckdaten/", content: "" },
      { name: "Druckdaten/Flyer.pdf", content: "%PDF-1.7 placeholder" },
      { name: "Druckdaten/Logo.tif", content: "II*" },
    ]);
    const report = await inspectRasterFile(bytesReader(bytes));

    expect(listChecks(report)).toEqual(["zip.contents:info", "zip.not-checked:warning"]);
    expect(report.findings[0].measured).toBe("2 Dateien");
    expect(report.findings[0].message).toContain("Druckdaten/Flyer.pdf (20 Byte)");
    expect(report.findings[1].message).toContain("nicht geprüft");
    expect(report.verdict).toBe("warning");
  });

  test("ZIP without central directory is unreadable", async () => {
    const bytes = buildZip([{ name: "a.pdf", content: "x" }]);
    const report = await inspectRasterFile(bytesReader(bytes.subarray(0, 40)));

    expect(listChecks(report)).toEqual(["zip.unreadable:error"]);
  });
});
