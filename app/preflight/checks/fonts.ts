// Font embedding check over page resources and, recursively, the resources of form XObjects.

import { describePages } from "../format";
import { texts } from "../messages";
import { fontDocumentTexts } from "../messages-document";
import type { PdfDocument } from "../reader/document";
import { PdfRef, PdfStream, dictOf, isName, nameValue, type PdfDict, type PdfObject } from "../reader/objects";
import type { PageEntry } from "../reader/pages";
import type { Finding } from "../types";

interface FontInfo {
  name: string;
  embedded: boolean;
}

const MAX_FORM_DEPTH = 32;
const UNNAMED_FONT = "ohne Namen";

/** Reports each font that is not embedded, and each Courier font, once with every page that uses it. */
export async function checkFonts(document: PdfDocument, pages: PageEntry[]): Promise<Finding[]> {
  const collector = new FontCollector(document);
  const pagesByFont = new Map<string, number[]>();
  const pagesByCourierFont = new Map<string, number[]>();

  for (const page of pages) {
    const fonts = await collector.collectFromResources(page.resources, 0, new Set());
    for (const font of fonts) {
      if (isCourier(font.name)) addPage(pagesByCourierFont, font.name, page.number);
      if (font.embedded) continue;
      const pageNumbers = pagesByFont.get(font.name) ?? [];
      if (pageNumbers.at(-1) !== page.number) pageNumbers.push(page.number);
      pagesByFont.set(font.name, pageNumbers);
    }
  }

  const notEmbedded = [...pagesByFont].map(([name, pageNumbers]) => ({
    check: "fonts.not-embedded",
    severity: "error" as const,
    // A font used on several pages belongs to no single page; the message lists them all.
    page: pageNumbers.length === 1 ? pageNumbers[0] : undefined,
    measured: name,
    expected: "eingebettet",
    ...texts.fontNotEmbedded(name, describePages(pageNumbers)),
  }));
  const courier = [...pagesByCourierFont].map(([name, pageNumbers]) => ({
    check: "fonts.courier",
    severity: "warning" as const,
    page: pageNumbers.length === 1 ? pageNumbers[0] : undefined,
    measured: name,
    ...fontDocumentTexts.courier(name, describePages(pageNumbers)),
  }));
  return [...notEmbedded, ...courier];
}

/** Courier is what many programs substitute for a missing font, so it is worth a look even when embedded. */
function isCourier(fontName: string): boolean {
  return /^Courier(New|Std|-|,|$)/i.test(fontName.replace(/\s+/g, ""));
}

function addPage(pagesByName: Map<string, number[]>, name: string, pageNumber: number): void {
  const pageNumbers = pagesByName.get(name) ?? [];
  if (pageNumbers.at(-1) !== pageNumber) pageNumbers.push(pageNumber);
  pagesByName.set(name, pageNumbers);
}

class FontCollector {
  private readonly fontsByRef = new Map<string, FontInfo>();
  private readonly fontsByForm = new Map<string, FontInfo[]>();

  constructor(private readonly document: PdfDocument) {}

  /** Collects the fonts of a resource dictionary and of the form XObjects it names; `formsOnPath` guards against cycles. */
  async collectFromResources(resourcesValue: PdfObject | undefined, depth: number, formsOnPath: Set<string>): Promise<FontInfo[]> {
    const resources = dictOf(await this.document.resolve(resourcesValue));
    if (!resources) return [];

    const fonts: FontInfo[] = [];
    const fontDict = dictOf(await this.document.resolve(resources.get("Font")));
    for (const fontValue of fontDict?.entries.values() ?? []) {
      const font = await this.describeFont(fontValue);
      if (font) fonts.push(font);
    }

    const xobjects = dictOf(await this.document.resolve(resources.get("XObject")));
    for (const xobjectValue of xobjects?.entries.values() ?? []) {
      fonts.push(...(await this.collectFromForm(xobjectValue, depth, formsOnPath)));
    }
    return fonts;
  }

  private async collectFromForm(value: PdfObject, depth: number, formsOnPath: Set<string>): Promise<FontInfo[]> {
    if (depth >= MAX_FORM_DEPTH) return [];
    const key = value instanceof PdfRef ? value.key : undefined;
    if (key !== undefined) {
      if (formsOnPath.has(key)) return [];
      const cached = this.fontsByForm.get(key);
      if (cached) return cached;
    }

    const xobject = await this.document.resolve(value);
    if (!(xobject instanceof PdfStream) || !isName(xobject.dict.get("Subtype"), "Form")) return [];

    const path = new Set(formsOnPath);
    if (key !== undefined) path.add(key);
    const fonts = await this.collectFromResources(xobject.dict.get("Resources"), depth + 1, path);
    if (key !== undefined) this.fontsByForm.set(key, fonts);
    return fonts;
  }

  private async describeFont(value: PdfObject): Promise<FontInfo | undefined> {
    const key = value instanceof PdfRef ? value.key : undefined;
    const cached = key !== undefined ? this.fontsByRef.get(key) : undefined;
    if (cached) return cached;

    const font = dictOf(await this.document.resolve(value));
    if (!font) return undefined;

    const info = { name: readFontName(font), embedded: await this.isEmbedded(font) };
    if (key !== undefined) this.fontsByRef.set(key, info);
    return info;
  }

  /** Type3 glyphs are content streams inside the file, so they always count as embedded. */
  private async isEmbedded(font: PdfDict): Promise<boolean> {
    const subtype = nameValue(await this.document.resolve(font.get("Subtype")));
    if (subtype === "Type3") return true;

    let descriptorOwner: PdfDict | undefined = font;
    if (subtype === "Type0") {
      const descendants = await this.document.resolve(font.get("DescendantFonts"));
      const first = Array.isArray(descendants) ? descendants[0] : undefined;
      descriptorOwner = dictOf(await this.document.resolve(first));
    }

    const descriptor = dictOf(await this.document.resolve(descriptorOwner?.get("FontDescriptor")));
    if (!descriptor) return false;
    // Only the presence of the entry is checked: font programs are never read.
    return ["FontFile", "FontFile2", "FontFile3"].some((key) => {
      const entry = descriptor.get(key);
      return entry !== undefined && entry !== null;
    });
  }
}

/** Returns /BaseFont without the six-letter subset prefix ("ABCDEF+Helvetica" becomes "Helvetica"). */
function readFontName(font: PdfDict): string {
  const baseFont = nameValue(font.get("BaseFont")) ?? nameValue(font.get("Name"));
  if (!baseFont) return UNNAMED_FONT;
  return baseFont.replace(/^[A-Z]{6}\+/, "");
}
