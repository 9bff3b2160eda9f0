// PDF builders for tests, on top of pdf-lib (which never embeds the 14 standard fonts).

import { PDFDocument, PDFName, PDFRef, PDFString, StandardFonts, cmyk } from "pdf-lib";

export const POINTS_PER_MM = 72 / 25.4;
export const A4_MM: [number, number] = [210, 297];
export const A5_MM: [number, number] = [148, 210];

export interface PageSpec {
  /** Trim size in millimetres. */
  trimMm: [number, number];
  /** Bleed on every side in millimetres: the media box is the trim box grown by this much. */
  bleedMm?: number;
  /** "trim" writes a TrimBox (default), "art" only an ArtBox, "none" neither. */
  trim?: "trim" | "art" | "none";
  /** Writes a BleedBox equal to the media box. */
  bleedBox?: boolean;
  /** Draws a line of text in this standard font (not embedded). */
  text?: StandardFonts;
  rotate?: number;
  /** Leaves the page without content; by default addPage() draws a small CMYK square, so the page is not reported as empty. */
  blank?: boolean;
}

export interface BuildOptions {
  /** pdf-lib writes object streams and a cross-reference stream when true, a classic table when false. */
  useObjectStreams?: boolean;
}

export async function buildPdf(pages: PageSpec[], options: BuildOptions = {}): Promise<Uint8Array> {
  const document = await PDFDocument.create();
  for (const spec of pages) await addPage(document, spec);
  return document.save({ useObjectStreams: options.useObjectStreams ?? false });
}

export async function addPage(document: PDFDocument, spec: PageSpec) {
  const bleed = (spec.bleedMm ?? 0) * POINTS_PER_MM;
  const width = spec.trimMm[0] * POINTS_PER_MM;
  const height = spec.trimMm[1] * POINTS_PER_MM;
  const page = document.addPage([width + 2 * bleed, height + 2 * bleed]);

  addOutputIntent(document);

  const trim = spec.trim ?? "trim";
  if (trim === "trim") page.setTrimBox(bleed, bleed, width, height);
  if (trim === "art") page.setArtBox(bleed, bleed, width, height);
  if (spec.bleedBox) page.setBleedBox(0, 0, width + 2 * bleed, height + 2 * bleed);
  if (spec.rotate !== undefined) page.node.set(PDFName.of("Rotate"), document.context.obj(spec.rotate));

  if (spec.text) {
    const font = await document.embedFont(spec.text);
    page.drawText("Probedruck", { x: bleed + 20, y: bleed + 20, size: 12, font, color: cmyk(0, 0, 0, 1) });
  }
  if (!spec.blank) page.drawRectangle({ x: bleed + 20, y: bleed + 40, width: 10, height: 10, color: cmyk(0, 0, 0, 0.2) });
  return page;
}

/**
 * Gives the document a GTS_PDFX output intent with a CMYK destination profile, as a PDF/X file has,
 * unless it has output intents already. The profile stream contains only /N 4 and no ICC data.
 * addPage() calls this, so generated test files get no "document.output-intent-missing" warning.
 */
export function addOutputIntent(document: PDFDocument): void {
  if (document.catalog.has(PDFName.of("OutputIntents"))) return;
  const profile = document.context.register(document.context.stream(new Uint8Array(0), { N: 4 }));
  const intent = document.context.obj({
    Type: "OutputIntent",
    S: "GTS_PDFX",
    OutputConditionIdentifier: PDFString.of("FOGRA39"),
    DestOutputProfile: profile,
  });
  document.catalog.set(PDFName.of("OutputIntents"), document.context.obj([intent]));
}

/** Removes the output intents that addPage() added. */
export function removeOutputIntents(document: PDFDocument): void {
  document.catalog.delete(PDFName.of("OutputIntents"));
}

/**
 * Registers a font dictionary whose descriptor names a font file, without a real font program:
 * the check looks only at the descriptor entries.
 */
export function registerFontWithFontFile(document: PDFDocument, baseFont: string, type0 = false): PDFRef {
  const fontFile = document.context.register(document.context.stream(new Uint8Array([0, 1, 0, 0]), { Length1: 4 }));
  const descriptor = document.context.register(
    document.context.obj({ Type: "FontDescriptor", FontName: baseFont, Flags: 32, FontFile2: fontFile }),
  );

  if (!type0) {
    return document.context.register(
      document.context.obj({ Type: "Font", Subtype: "TrueType", BaseFont: baseFont, FontDescriptor: descriptor }),
    );
  }

  const descendant = document.context.register(
    document.context.obj({ Type: "Font", Subtype: "CIDFontType2", BaseFont: baseFont, FontDescriptor: descriptor }),
  );
  return document.context.register(
    document.context.obj({ Type: "Font", Subtype: "Type0", BaseFont: baseFont, Encoding: "Identity-H", DescendantFonts: [descendant] }),
  );
}

/** Registers a Type0 font whose descendant has a descriptor without a font file. */
export function registerType0WithoutFontFile(document: PDFDocument, baseFont: string): PDFRef {
  const descriptor = document.context.register(document.context.obj({ Type: "FontDescriptor", FontName: baseFont, Flags: 32 }));
  const descendant = document.context.register(
    document.context.obj({ Type: "Font", Subtype: "CIDFontType0", BaseFont: baseFont, FontDescriptor: descriptor }),
  );
  return document.context.register(
    document.context.obj({ Type: "Font", Subtype: "Type0", BaseFont: baseFont, Encoding: "Identity-H", DescendantFonts: [descendant] }),
  );
}

/** Deterministic pseudo-random bytes (xorshift32), so failing tests can be reproduced. */
export function pseudoRandomBytes(length: number, seed = 0x2545f491): Uint8Array {
  const out = new Uint8Array(length);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    out[i] = state & 0xff;
  }
  return out;
}

export function toLatin1(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("latin1");
}

export function fromLatin1(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, "latin1"));
}
