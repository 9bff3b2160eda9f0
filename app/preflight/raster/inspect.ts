// Checks print files that are not PDFs: TIFF, JPEG and PNG images by their headers, and ZIP
// archives by their list of contents.

import { ENGINE_VERSION } from "../preflight";
import { texts } from "../messages";
import { rasterTexts } from "../messages-document";
import { getProfile, type ProfileId, type PreflightProfile } from "../profiles";
import type { Finding, OrderSpecification, PreflightReport, RangeReader, Verdict } from "../types";
import { ImageHeaderError, readJpegHeader, readPngHeader, readTiffHeader, type ImageHeader } from "./image-headers";
import { ZipFormatError, readZipEntries } from "./zip";

export type RasterFormat = "TIFF" | "JPEG" | "PNG" | "ZIP";

/** Entries listed by name in the ZIP info finding; the rest are counted. */
const MAX_LISTED_ZIP_ENTRIES = 50;
const wholeNumber = new Intl.NumberFormat("de-DE", { maximumFractionDigits: 0 });

/** Returns the file format from its first bytes, or undefined when it is none of the supported ones. */
export function detectRasterFormat(head: Uint8Array): RasterFormat | undefined {
  const startsWith = (...bytes: number[]) => bytes.every((byte, index) => head[index] === byte);
  if (startsWith(0x49, 0x49, 0x2a, 0x00) || startsWith(0x4d, 0x4d, 0x00, 0x2a)) return "TIFF";
  if (startsWith(0xff, 0xd8, 0xff)) return "JPEG";
  if (startsWith(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return "PNG";
  // A local file header, or the end record of an empty archive.
  if (startsWith(0x50, 0x4b, 0x03, 0x04) || startsWith(0x50, 0x4b, 0x05, 0x06)) return "ZIP";
  return undefined;
}

/**
 * Checks a TIFF, JPEG, PNG or ZIP file and returns a report in the form of the PDF preflight.
 * Images get their pixel size, colour mode and, when the order gives a trim size, the effective
 * resolution at that size. ZIP archives are listed, not checked. Does not throw: damaged files
 * and failures of the reader become findings.
 */
export async function inspectRasterFile(reader: RangeReader, order?: OrderSpecification, profileId?: ProfileId): Promise<PreflightReport> {
  const profile = getProfile(profileId);
  const findings: Finding[] = [];
  let pageCount: number | null = null;

  try {
    const format = detectRasterFormat(await reader.read(0, 8));
    if (format === "ZIP") {
      findings.push(...(await inspectZip(reader)));
    } else if (format === undefined) {
      findings.push({ check: "raster.unknown-format", severity: "error", ...rasterTexts.unknownFormat() });
    } else {
      const header = await readImageHeader(reader, format);
      if (header) {
        pageCount = 1;
        findings.push(...describeImage(header, profile, order));
      } else {
        findings.push({ check: "raster.unreadable", severity: "error", ...rasterTexts.unreadable(format) });
      }
    }
  } catch (error) {
    console.warn("inspectRasterFile: engine.failed", error instanceof Error ? error.message : String(error));
    findings.push({ check: "engine.failed", severity: "error", ...texts.engineFailed() });
  }

  return { verdict: computeVerdict(findings), pageCount, findings, engineVersion: ENGINE_VERSION, profile: profile.id, pages: [] };
}

async function readImageHeader(reader: RangeReader, format: Exclude<RasterFormat, "ZIP">): Promise<ImageHeader | undefined> {
  try {
    if (format === "TIFF") return await readTiffHeader(reader);
    if (format === "JPEG") return await readJpegHeader(reader);
    return await readPngHeader(reader);
  } catch (error) {
    if (error instanceof ImageHeaderError || error instanceof RangeError) return undefined;
    throw error;
  }
}

function describeImage(header: ImageHeader, profile: PreflightProfile, order: OrderSpecification | undefined): Finding[] {
  const findings: Finding[] = [];
  const size = `${wholeNumber.format(header.width)} × ${wholeNumber.format(header.height)} Pixel`;
  findings.push({ check: "raster.pixel-size", severity: "info", measured: size, ...rasterTexts.pixelSize(header.format, size) });

  if (header.mode === "CMYK" || header.mode === "Graustufen" || header.mode === "Strich (1 Bit)") {
    findings.push({ check: "raster.colour-mode", severity: "info", measured: header.mode, ...rasterTexts.colourModeOk(header.mode) });
  } else if (header.mode === "RGB" || header.mode === "YCbCr" || header.mode === "Lab" || header.mode === "Indizierte Farben") {
    findings.push({ check: "raster.colour-not-cmyk", severity: "warning", measured: header.mode, expected: "CMYK", ...rasterTexts.colourModeRgb(header.mode) });
  } else {
    findings.push({ check: "raster.colour-not-cmyk", severity: "warning", measured: header.mode, expected: "CMYK", ...rasterTexts.colourModeUnknown(header.mode) });
  }

  findings.push(checkResolution(header, profile, order));
  return findings;
}

/** Effective resolution = pixels / (trim size in inches), on the worse axis, with the image fitted to portrait or landscape like the order. */
function checkResolution(header: ImageHeader, profile: PreflightProfile, order: OrderSpecification | undefined): Finding {
  const limits = header.mode === "Strich (1 Bit)" ? profile.images.bitmap : profile.images.continuousTone;
  const trimWidth = order?.trimWidthMm;
  const trimHeight = order?.trimHeightMm;

  if (!trimWidth || !trimHeight || trimWidth <= 0 || trimHeight <= 0) {
    const stored = header.ppiX ? ` (in der Datei gespeichert: ${wholeNumber.format(header.ppiX)} ppi)` : "";
    const expected = `mehr als ${limits.warningAtOrBelow} ppi`;
    return { check: "raster.resolution-not-checked", severity: "info", expected, ...rasterTexts.resolutionNotChecked(stored, expected) };
  }

  // Match the image's orientation to the order's: the longer image side fills the longer trim side.
  const imageLandscape = header.width >= header.height;
  const [long, short] = trimWidth >= trimHeight ? [trimWidth, trimHeight] : [trimHeight, trimWidth];
  const [widthMm, heightMm] = imageLandscape ? [long, short] : [short, long];
  // Rounded to whole ppi, so that 2480 pixels across A4 (299.96 ppi) count as 300 ppi.
  const ppi = Math.round(Math.min(header.width / (widthMm / 25.4), header.height / (heightMm / 25.4)));
  const measured = `${wholeNumber.format(ppi)} ppi`;
  const expected = `mehr als ${limits.warningAtOrBelow} ppi`;

  if (ppi <= limits.errorAtOrBelow) {
    return { check: "raster.resolution-low", severity: "error", measured, expected, ...rasterTexts.resolutionLow(measured, expected) };
  }
  if (ppi <= limits.warningAtOrBelow) {
    return { check: "raster.resolution-low", severity: "warning", measured, expected, ...rasterTexts.resolutionLow(measured, expected) };
  }
  return { check: "raster.resolution", severity: "info", measured, expected, ...rasterTexts.resolutionOk(measured) };
}

async function inspectZip(reader: RangeReader): Promise<Finding[]> {
  let entries;
  try {
    entries = await readZipEntries(reader);
  } catch (error) {
    if (error instanceof ZipFormatError || error instanceof RangeError) {
      return [{ check: "zip.unreadable", severity: "error", ...rasterTexts.zipUnreadable() }];
    }
    throw error;
  }

  const files = entries.filter((entry) => !entry.name.endsWith("/"));
  const listed = files.slice(0, MAX_LISTED_ZIP_ENTRIES).map((entry) => `${entry.name} (${formatBytes(entry.size)})`);
  if (files.length > MAX_LISTED_ZIP_ENTRIES) listed.push(`und ${files.length - MAX_LISTED_ZIP_ENTRIES} weitere`);

  return [
    {
      check: "zip.contents",
      severity: "info",
      measured: files.length === 1 ? "1 Datei" : `${files.length} Dateien`,
      ...rasterTexts.zipContents(files.length, listed.join(", ")),
    },
    { check: "zip.not-checked", severity: "warning", ...rasterTexts.zipNotChecked() },
  ];
}

function formatBytes(bytes: number): string {
  const format = new Intl.NumberFormat("de-DE", { maximumFractionDigits: 1 });
  if (bytes < 1024) return `${bytes} Byte`;
  if (bytes < 1024 * 1024) return `${format.format(bytes / 1024)} KB`;
  return `${format.format(bytes / (1024 * 1024))} MB`;
}

function computeVerdict(findings: Finding[]): Verdict {
  if (findings.some((finding) => finding.severity === "error")) return "error";
  if (findings.some((finding) => finding.severity === "warning")) return "warning";
  return "ok";
}
