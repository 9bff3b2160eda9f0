// Page box checks: TrimBox present, one trim size for all pages, enough bleed around the trim.

import { formatMm, formatSizeMm, pointsToMm } from "../format";
import { texts } from "../messages";
import type { PdfDocument } from "../reader/document";
import { numberValue, type PdfObject } from "../reader/objects";
import type { PageEntry } from "../reader/pages";
import { intersectBoxes, readBox } from "./pdf-values";
import type { Box, Finding, PageGeometry } from "../types";

interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

interface TrimInfo {
  page: number;
  width: number;
  height: number;
}

/** Two trim sizes closer than this (in points) count as equal. */
const SIZE_TOLERANCE_POINTS = 0.5;
/** Bleed may be this much (in points) under the minimum, so that 3 mm written as 8.5 pt passes. */
const BLEED_TOLERANCE_POINTS = 0.1;
const POINTS_PER_MM = 72 / 25.4;

export interface BoxCheckResult {
  findings: Finding[];
  /** Geometry of each page that has a valid media box, in page order. */
  geometry: PageGeometry[];
}

export async function checkBoxes(document: PdfDocument, pages: PageEntry[], minBleedMm: number): Promise<BoxCheckResult> {
  const findings: Finding[] = [];
  const geometry: PageGeometry[] = [];
  let reference: TrimInfo | undefined;

  for (const page of pages) {
    const media = await readRect(document, page.mediaBox);
    if (!media) {
      findings.push({ check: "boxes.mediabox-missing", severity: "error", page: page.number, ...texts.mediaBoxMissing(page.number) });
      continue;
    }

    const rotate = numberValue(await document.resolve(page.rotate)) ?? 0;
    const bleed = await findBleed(document, page, media);
    const trim = await findTrim(document, page, media, findings);
    geometry.push({
      number: page.number,
      mediaBox: toBox(media),
      trimBox: trim ? toBox(trim) : undefined,
      bleedBox: toBox(bleed),
      rotate: normaliseRotate(rotate),
    });
    if (!trim) continue;

    const trimInfo = describeTrim(page.number, trim, rotate);
    if (!reference) reference = trimInfo;
    else checkTrimSize(trimInfo, reference, findings);

    checkBleed(page.number, trim, bleed, minBleedMm, findings);
  }
  return { findings, geometry };
}

function toBox(rect: Rect): Box {
  return [rect.x0, rect.y0, rect.x1, rect.y1];
}

/** Returns /Rotate as 0, 90, 180 or 270; values that are not multiples of 90 count as 0 (PDF 32000-1:2008, table 30). */
function normaliseRotate(rotate: number): number {
  if (!Number.isInteger(rotate) || rotate % 90 !== 0) return 0;
  return ((rotate % 360) + 360) % 360;
}

/** Returns the trim box clipped to the media box. An ArtBox replaces a missing TrimBox. */
async function findTrim(document: PdfDocument, page: PageEntry, media: Rect, findings: Finding[]): Promise<Rect | undefined> {
  const trimBox = await readRect(document, page.dict.get("TrimBox"));
  if (trimBox) return intersect(trimBox, media) ?? media;

  const artBox = await readRect(document, page.dict.get("ArtBox"));
  if (artBox) {
    findings.push({ check: "boxes.trimbox-from-artbox", severity: "info", page: page.number, ...texts.trimBoxFromArtBox(page.number) });
    return intersect(artBox, media) ?? media;
  }

  findings.push({ check: "boxes.trimbox-missing", severity: "error", page: page.number, ...texts.trimBoxMissing(page.number) });
  return undefined;
}

/** Returns the bleed box: BleedBox, else CropBox, else MediaBox, always clipped to the media box (PDF 32000-1:2008, section 14.11.2). */
async function findBleed(document: PdfDocument, page: PageEntry, media: Rect): Promise<Rect> {
  const cropBox = await readRect(document, page.cropBox);
  const crop = cropBox ? (intersect(cropBox, media) ?? media) : media;
  const bleedBox = await readRect(document, page.dict.get("BleedBox"));
  return bleedBox ? (intersect(bleedBox, media) ?? media) : crop;
}

function describeTrim(pageNumber: number, trim: Rect, rotate: number): TrimInfo {
  const width = trim.x1 - trim.x0;
  const height = trim.y1 - trim.y0;

  // A page rotated by 90 or 270 degrees is shown, and printed, with width and height swapped.
  const quarterTurns = Math.round(rotate / 90);
  if (Math.abs(quarterTurns) % 2 === 1) return { page: pageNumber, width: height, height: width };
  return { page: pageNumber, width, height };
}

function checkTrimSize(trim: TrimInfo, reference: TrimInfo, findings: Finding[]): void {
  const sameSize =
    Math.abs(trim.width - reference.width) <= SIZE_TOLERANCE_POINTS && Math.abs(trim.height - reference.height) <= SIZE_TOLERANCE_POINTS;
  if (sameSize) return;

  const size = formatSizeMm(trim.width, trim.height);
  const referenceSize = formatSizeMm(reference.width, reference.height);
  findings.push({
    check: "boxes.trim-size-mismatch",
    severity: "error",
    page: trim.page,
    measured: size,
    expected: `${referenceSize} wie Seite ${reference.page}`,
    ...texts.trimSizeMismatch(trim.page, size, reference.page, referenceSize),
  });
}

function checkBleed(pageNumber: number, trim: Rect, bleed: Rect, minBleedMm: number, findings: Finding[]): void {
  const smallestSide = Math.min(trim.x0 - bleed.x0, bleed.x1 - trim.x1, trim.y0 - bleed.y0, bleed.y1 - trim.y1);
  if (smallestSide >= minBleedMm * POINTS_PER_MM - BLEED_TOLERANCE_POINTS) return;

  const measured = formatMm(Math.max(0, pointsToMm(smallestSide)));
  const expected = `mindestens ${formatMm(minBleedMm)}`;
  findings.push({
    check: "boxes.bleed-too-small",
    severity: "error",
    page: pageNumber,
    measured,
    expected,
    ...texts.bleedTooSmall(pageNumber, measured, expected),
  });
}

/** Reads a rectangle [llx lly urx ury], normalised so that x0 < x1 and y0 < y1. Returns undefined for an invalid or empty one. */
async function readRect(document: PdfDocument, value: PdfObject | undefined): Promise<Rect | undefined> {
  const box = await readBox(document, value);
  return box ? { x0: box[0], y0: box[1], x1: box[2], y1: box[3] } : undefined;
}

function intersect(a: Rect, b: Rect): Rect | undefined {
  const box = intersectBoxes([a.x0, a.y0, a.x1, a.y1], [b.x0, b.y0, b.x1, b.y1]);
  return box ? { x0: box[0], y0: box[1], x1: box[2], y1: box[3] } : undefined;
}
