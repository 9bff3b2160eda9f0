// Builds PDFs from hand-written content streams, for the content-stream interpreter and its checks.

import { PDFDocument, PDFName, PDFRef } from "pdf-lib";
import { addOutputIntent, fromLatin1 } from "./pdf-builders";

export interface ContentPage {
  /** The page's content stream; a string is written byte by byte (Latin-1). */
  content: string | Uint8Array;
  /** Resource dictionary in pdf-lib's literal form: strings become names, PDFRef values stay references. */
  resources?: Record<string, unknown>;
  /** Page size in points; default 600 × 800. */
  size?: [number, number];
  /** Extra page dictionary entries, such as /Group or /Annots. */
  extra?: Record<string, unknown>;
}

export class ContentPdf {
  readonly document: PDFDocument;

  private constructor(document: PDFDocument) {
    this.document = document;
  }

  static async create(): Promise<ContentPdf> {
    const document = await PDFDocument.create();
    addOutputIntent(document);
    return new ContentPdf(document);
  }

  /** Registers a stream object with the given dictionary and data. */
  stream(dict: Record<string, unknown>, data: string | Uint8Array = ""): PDFRef {
    const bytes = typeof data === "string" ? fromLatin1(data) : data;
    const context = this.document.context;
    return context.register(context.stream(bytes, dict as never));
  }

  /** Registers a direct object, for example a font or ExtGState dictionary. */
  object(value: unknown): PDFRef {
    const context = this.document.context;
    return context.register(context.obj(value as never));
  }

  /** Registers an image XObject without real pixel data: the engine never reads it. */
  image(width: number, height: number, colourSpace: unknown = "DeviceCMYK", bitsPerComponent = 8, extra: Record<string, unknown> = {}): PDFRef {
    return this.stream({ Type: "XObject", Subtype: "Image", Width: width, Height: height, ColorSpace: colourSpace, BitsPerComponent: bitsPerComponent, ...extra }, "\0");
  }

  /** Registers a form XObject. */
  form(content: string, resources: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): PDFRef {
    return this.stream({ Type: "XObject", Subtype: "Form", BBox: [0, 0, 1000, 1000], Resources: resources, ...extra }, content);
  }

  /** Helvetica, not embedded: enough for the interpreter, which reads no font program. */
  helvetica(): PDFRef {
    return this.object({ Type: "Font", Subtype: "Type1", BaseFont: "Helvetica" });
  }

  addPage(spec: ContentPage): void {
    const [width, height] = spec.size ?? [600, 800];
    const page = this.document.addPage([width, height]);
    page.setTrimBox(10, 10, width - 20, height - 20);
    page.node.set(PDFName.of("Contents"), this.stream({}, spec.content));
    page.node.set(PDFName.of("Resources"), this.document.context.obj((spec.resources ?? {}) as never));
    for (const [key, value] of Object.entries(spec.extra ?? {})) page.node.set(PDFName.of(key), this.document.context.obj(value as never));
  }

  async save(): Promise<Uint8Array> {
    return this.document.save({ useObjectStreams: false });
  }
}

/** Builds a one-page PDF from a content stream and its resources. */
export async function buildContentPdf(content: string | Uint8Array, resources: (pdf: ContentPdf) => Record<string, unknown> = () => ({})): Promise<Uint8Array> {
  const pdf = await ContentPdf.create();
  pdf.addPage({ content, resources: resources(pdf) });
  return pdf.save();
}
