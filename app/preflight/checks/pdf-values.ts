// Helpers shared by the document-level and resource-level checks: rectangles, text strings,
// names and a walk over page resources and the resources of form XObjects.

import type { PdfDocument } from "../reader/document";
import { PdfRef, PdfStream, PdfString, dictOf, isName, numberValue, type PdfDict, type PdfObject } from "../reader/objects";
import type { PageEntry } from "../reader/pages";
import type { Box } from "../types";

const MAX_FORM_DEPTH = 32;
const MAX_TEXT_STRING_BYTES = 1024;

/** Reads a rectangle [llx lly urx ury] as a normalised Box. Returns undefined for an invalid or empty one. */
export async function readBox(document: PdfDocument, value: PdfObject | undefined): Promise<Box | undefined> {
  const array = await document.resolve(value);
  if (!Array.isArray(array) || array.length < 4) return undefined;

  const numbers: number[] = [];
  for (const item of array.slice(0, 4)) {
    const number = numberValue(await document.resolve(item));
    if (number === undefined) return undefined;
    numbers.push(number);
  }

  const box: Box = [
    Math.min(numbers[0], numbers[2]),
    Math.min(numbers[1], numbers[3]),
    Math.max(numbers[0], numbers[2]),
    Math.max(numbers[1], numbers[3]),
  ];
  return box[2] > box[0] && box[3] > box[1] ? box : undefined;
}

export function intersectBoxes(a: Box, b: Box): Box | undefined {
  const box: Box = [Math.max(a[0], b[0]), Math.max(a[1], b[1]), Math.min(a[2], b[2]), Math.min(a[3], b[3])];
  return box[2] > box[0] && box[3] > box[1] ? box : undefined;
}

/** Returns the page's trim box (TrimBox, else ArtBox), clipped to the media box, or undefined when it has neither. */
export async function readTrimBox(document: PdfDocument, page: PageEntry): Promise<Box | undefined> {
  const media = await readBox(document, page.mediaBox);
  const trim = (await readBox(document, page.dict.get("TrimBox"))) ?? (await readBox(document, page.dict.get("ArtBox")));
  if (!trim) return undefined;
  return media ? (intersectBoxes(trim, media) ?? media) : trim;
}

/** Returns the bleed box: BleedBox, else CropBox, else MediaBox, clipped to the media box (PDF 32000-1:2008, section 14.11.2). */
export async function readBleedBox(document: PdfDocument, page: PageEntry): Promise<Box | undefined> {
  const media = await readBox(document, page.mediaBox);
  const box = (await readBox(document, page.dict.get("BleedBox"))) ?? (await readBox(document, page.cropBox));
  if (!media) return box;
  return box ? (intersectBoxes(box, media) ?? media) : media;
}

/**
 * Decodes a PDF text string: UTF-16BE or UTF-8 with byte order mark, else PDFDocEncoding, read
 * here as ISO 8859-1 (the two differ only in a few punctuation characters).
 */
export function decodeTextString(value: PdfObject | undefined): string | undefined {
  if (!(value instanceof PdfString)) return undefined;
  // Text strings end up in finding messages, so a longer one is cut off.
  const bytes = value.bytes.subarray(0, MAX_TEXT_STRING_BYTES);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return decodeUtf16be(bytes.subarray(2));
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return new TextDecoder("utf-8").decode(bytes.subarray(3));
  return String.fromCharCode(...bytes);
}

/** Decodes UTF-16BE by hand, because not every runtime's TextDecoder supports "utf-16be". */
function decodeUtf16be(bytes: Uint8Array): string {
  const codeUnits: number[] = [];
  for (let i = 0; i + 1 < bytes.length; i += 2) codeUnits.push((bytes[i] << 8) | bytes[i + 1]);
  return String.fromCharCode(...codeUnits);
}

/** Decodes a name that the lexer returned with one character per byte: as UTF-8 when valid, else unchanged. */
export function decodeNameBytes(name: string): string {
  const bytes = Uint8Array.from(name, (character) => character.charCodeAt(0));
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return name;
  }
}

export function toArray(value: PdfObject | undefined): PdfObject[] {
  if (Array.isArray(value)) return value;
  if (value === undefined || value === null) return [];
  return [value];
}

/** Called once per resource dictionary; `pageNumber` is the page whose resources, directly or through forms, contain it. */
export type ResourcesVisitor = (resources: PdfDict, pageNumber: number) => Promise<void>;

/**
 * Visits every page's resource dictionary and, recursively, those of the form XObjects it names
 * (and of tiling patterns when `includePatterns` is set). Each form is visited once per page;
 * cycles and nesting deeper than 32 levels end the walk.
 * NOTE: resources of annotation appearance streams and Type3 fonts are not visited.
 */
export async function walkResources(
  document: PdfDocument,
  pages: PageEntry[],
  visit: ResourcesVisitor,
  includePatterns = false,
): Promise<void> {
  for (const page of pages) {
    const visited = new Set<string>();
    await walkResourceDict(document, page.resources, page.number, visit, includePatterns, visited, 0);
  }
}

async function walkResourceDict(
  document: PdfDocument,
  value: PdfObject | undefined,
  pageNumber: number,
  visit: ResourcesVisitor,
  includePatterns: boolean,
  visited: Set<string>,
  depth: number,
): Promise<void> {
  if (depth > MAX_FORM_DEPTH) return;
  const resources = dictOf(await document.resolve(value));
  if (!resources) return;
  await visit(resources, pageNumber);

  const children: PdfObject[] = [];
  const xobjects = dictOf(await document.resolve(resources.get("XObject")));
  children.push(...(xobjects?.entries.values() ?? []));
  if (includePatterns) {
    const patterns = dictOf(await document.resolve(resources.get("Pattern")));
    children.push(...(patterns?.entries.values() ?? []));
  }

  for (const child of children) {
    if (child instanceof PdfRef) {
      if (visited.has(child.key)) continue;
      visited.add(child.key);
    }
    const object = await document.resolve(child);
    if (!(object instanceof PdfStream)) continue;
    const isForm = isName(object.dict.get("Subtype"), "Form");
    const isTilingPattern = numberValue(object.dict.get("PatternType")) === 1;
    if (!isForm && !isTilingPattern) continue;
    await walkResourceDict(document, object.dict.get("Resources"), pageNumber, visit, includePatterns, visited, depth + 1);
  }
}
