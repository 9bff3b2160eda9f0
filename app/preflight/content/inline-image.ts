// Finds the end of inline image data (PDF 32000-1:2008, section 8.9.7) without decoding it.

import { isWhitespace } from "../reader/lexer";
import { PdfDict, numberValue, type PdfObject } from "../reader/objects";

const ABBREVIATIONS: Record<string, string> = {
  BPC: "BitsPerComponent",
  CS: "ColorSpace",
  D: "Decode",
  DP: "DecodeParms",
  F: "Filter",
  H: "Height",
  IM: "ImageMask",
  I: "Interpolate",
  W: "Width",
};

/** Returns the inline image dictionary with abbreviated keys expanded. */
export function expandInlineKeys(dict: PdfDict): PdfDict {
  const expanded = new Map<string, PdfObject>();
  for (const [key, value] of dict.entries) expanded.set(ABBREVIATIONS[key] ?? key, value);
  return new PdfDict(expanded);
}

/**
 * Returns the position after "EI", or undefined when `bytes` ends before the image does and
 * `complete` is false, so the caller must wait for more data. `dataStart` is the first data byte
 * (after the single whitespace that follows "ID"). Unfiltered data has a known length, so its
 * bytes are skipped exactly even when they contain "EI". Filtered data ends at the first "EI"
 * between whitespace.
 */
export function findInlineImageEnd(
  bytes: Uint8Array,
  dataStart: number,
  dict: PdfDict,
  components: number | undefined,
  complete: boolean,
): number | undefined {
  const length = unfilteredLength(dict, components);
  if (length !== undefined) {
    const end = dataStart + length;
    // "EI" must follow within a few bytes of whitespace; until they have arrived, wait.
    if (!complete && end + 4 > bytes.length) return undefined;
    const after = searchEi(bytes, Math.min(end, bytes.length), complete);
    // A wrong length in the dictionary lands elsewhere; then the search from the data start decides.
    if (after !== undefined && after - end <= 4) return after;
  }
  const after = searchEi(bytes, dataStart, complete);
  if (after !== undefined) return after;
  return complete ? bytes.length : undefined;
}

function unfilteredLength(dict: PdfDict, components: number | undefined): number | undefined {
  const filter = dict.get("Filter");
  if (filter !== undefined && filter !== null && !(Array.isArray(filter) && filter.length === 0)) return undefined;

  const width = numberValue(dict.get("Width"));
  const height = numberValue(dict.get("Height"));
  if (width === undefined || height === undefined || width <= 0 || height <= 0) return undefined;

  const imageMask = dict.get("ImageMask") === true;
  const bitsPerComponent = imageMask ? 1 : (numberValue(dict.get("BitsPerComponent")) ?? 8);
  const count = imageMask ? 1 : components;
  if (count === undefined) return undefined;
  // Each row starts on a byte boundary (PDF 32000-1:2008, section 8.9.3).
  return Math.ceil((width * count * bitsPerComponent) / 8) * height;
}

/**
 * Returns the position after the first "EI" at or after `from` that has whitespace (or the data
 * start) before it and whitespace after it. At the end of `bytes` the byte after is unknown unless
 * `complete` is true.
 */
function searchEi(bytes: Uint8Array, from: number, complete: boolean): number | undefined {
  for (let i = from; i + 1 < bytes.length; i++) {
    if (bytes[i] !== 0x45 || bytes[i + 1] !== 0x49) continue;
    const before = i === from || isWhitespace(bytes[i - 1]);
    const after = i + 2 >= bytes.length ? complete : isWhitespace(bytes[i + 2]);
    if (before && after) return i + 2;
  }
  return undefined;
}
