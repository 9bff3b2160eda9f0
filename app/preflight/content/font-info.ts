// Font data for the interpreter: glyph widths to advance the text position, and the glyph
// procedures of Type3 fonts. Font programs are never read.

import type { PdfDocument } from "../reader/document";
import { PdfRef, dictOf, nameValue, numberValue, type PdfDict, type PdfObject } from "../reader/objects";
import { readMatrix, type Matrix } from "./matrix";

export interface FontInfo {
  key: string;
  name: string;
  /** Type0 fonts: two bytes per character code. NOTE: other CMaps with variable code lengths are read as two bytes too. */
  twoByteCodes: boolean;
  /** Returns the advance width of a character code in text space units per unit of font size. */
  advance(code: number): number;
  type3?: Type3Font;
}

export interface Type3Font {
  fontMatrix: Matrix;
  resources: PdfObject | undefined;
  charProcs: PdfDict | undefined;
  /** Glyph names by character code, from /Encoding /Differences. */
  glyphNames: Map<number, string>;
}

const DEFAULT_WIDTH = 0.5;

export class FontCache {
  private readonly fonts = new Map<string, FontInfo>();
  private anonymous = 0;

  constructor(private readonly document: PdfDocument) {}

  async load(value: PdfObject | undefined): Promise<FontInfo | undefined> {
    const key = value instanceof PdfRef ? value.key : `direct ${this.anonymous++}`;
    const cached = this.fonts.get(key);
    if (cached) return cached;

    const font = dictOf(await this.document.resolve(value));
    if (!font) return undefined;

    const info = await this.describe(key, font);
    this.fonts.set(key, info);
    return info;
  }

  private async describe(key: string, font: PdfDict): Promise<FontInfo> {
    const resolve = (item: PdfObject | undefined) => this.document.resolve(item);
    const subtype = nameValue(await resolve(font.get("Subtype")));
    const name = (nameValue(font.get("BaseFont")) ?? nameValue(font.get("Name")) ?? "").replace(/^[A-Z]{6}\+/, "");

    if (subtype === "Type0") {
      const descendants = await resolve(font.get("DescendantFonts"));
      const descendant = dictOf(await resolve(Array.isArray(descendants) ? descendants[0] : undefined));
      const defaultWidth = (numberValue(await resolve(descendant?.get("DW"))) ?? 1000) / 1000;
      const widths = await readCidWidths(this.document, descendant?.get("W"));
      // NOTE: character codes are taken as CIDs, which holds for Identity-H and Identity-V only.
      return { key, name, twoByteCodes: true, advance: (code) => (widths.get(code) ?? defaultWidth * 1000) / 1000 };
    }

    const firstChar = numberValue(await resolve(font.get("FirstChar"))) ?? 0;
    const widthsValue = await resolve(font.get("Widths"));
    const widths: number[] = [];
    if (Array.isArray(widthsValue)) {
      for (const item of widthsValue) widths.push(numberValue(await resolve(item)) ?? 0);
    }

    if (subtype === "Type3") {
      const fontMatrix = readMatrix(await resolveArray(this.document, font.get("FontMatrix"))) ?? [0.001, 0, 0, 0.001, 0, 0];
      const type3: Type3Font = {
        fontMatrix,
        resources: font.get("Resources"),
        charProcs: dictOf(await resolve(font.get("CharProcs"))),
        glyphNames: await readDifferences(this.document, font.get("Encoding")),
      };
      const scale = fontMatrix[0];
      return { key, name, twoByteCodes: false, advance: (code) => (widths[code - firstChar] ?? 0) * scale, type3 };
    }

    return {
      key,
      name,
      twoByteCodes: false,
      advance: (code) => {
        const width = widths[code - firstChar];
        return width === undefined ? DEFAULT_WIDTH : width / 1000;
      },
    };
  }
}

async function resolveArray(document: PdfDocument, value: PdfObject | undefined): Promise<PdfObject[] | undefined> {
  const array = await document.resolve(value);
  if (!Array.isArray(array)) return undefined;
  const items: PdfObject[] = [];
  for (const item of array) items.push((await document.resolve(item)) ?? null);
  return items;
}

/** Upper bound for the widths read from one /W array, against damaged files. */
const MAX_CID_WIDTHS = 65_536;

/** Reads a CIDFont's /W array: "c [w1 w2 …]" and "cFirst cLast w" entries (PDF 32000-1:2008, section 9.7.4.3). */
async function readCidWidths(document: PdfDocument, value: PdfObject | undefined): Promise<Map<number, number>> {
  const widths = new Map<number, number>();
  const items = (await resolveArray(document, value)) ?? [];
  for (let i = 0; i < items.length && widths.size < MAX_CID_WIDTHS; ) {
    const first = numberValue(items[i]);
    const next = await document.resolve(items[i + 1]);
    if (first === undefined) break;
    if (Array.isArray(next)) {
      for (let j = 0; j < next.length && widths.size < MAX_CID_WIDTHS; j++) {
        widths.set(first + j, numberValue(await document.resolve(next[j])) ?? 0);
      }
      i += 2;
      continue;
    }
    const last = numberValue(next);
    const width = numberValue(items[i + 2]);
    if (last === undefined || width === undefined) break;
    for (let cid = first; cid <= last && widths.size < MAX_CID_WIDTHS; cid++) widths.set(cid, width);
    i += 3;
  }
  return widths;
}

async function readDifferences(document: PdfDocument, value: PdfObject | undefined): Promise<Map<number, string>> {
  const names = new Map<number, string>();
  const encoding = dictOf(await document.resolve(value));
  const differences = await resolveArray(document, encoding?.get("Differences"));
  let code = 0;
  for (const item of differences ?? []) {
    if (typeof item === "number") code = item;
    else if (nameValue(item) !== undefined) names.set(code++, nameValue(item) as string);
  }
  return names;
}
