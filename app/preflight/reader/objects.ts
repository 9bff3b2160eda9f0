// In-memory model of PDF objects (PDF 32000-1:2008, section 7.3).

export class PdfName {
  constructor(readonly value: string) {}
}

export class PdfRef {
  constructor(
    readonly num: number,
    readonly gen: number,
  ) {}

  get key(): string {
    return `${this.num} ${this.gen}`;
  }
}

export class PdfString {
  constructor(readonly bytes: Uint8Array) {}
}

export class PdfDict {
  constructor(readonly entries: Map<string, PdfObject> = new Map()) {}

  get(key: string): PdfObject | undefined {
    return this.entries.get(key);
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }
}

/** A stream object whose data has not been read yet: only the position of its first data byte is known. */
export class PdfStream {
  constructor(
    readonly dict: PdfDict,
    readonly dataOffset: number,
  ) {}
}

export type PdfObject =
  | null
  | boolean
  | number
  | PdfName
  | PdfString
  | PdfRef
  | PdfDict
  | PdfStream
  | PdfObject[];

export function isName(value: PdfObject | undefined, name?: string): value is PdfName {
  return value instanceof PdfName && (name === undefined || value.value === name);
}

export function nameValue(value: PdfObject | undefined): string | undefined {
  return value instanceof PdfName ? value.value : undefined;
}

export function numberValue(value: PdfObject | undefined): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

/** Returns the dictionary of a dictionary or stream object, or undefined for anything else. */
export function dictOf(value: PdfObject | undefined): PdfDict | undefined {
  if (value instanceof PdfDict) return value;
  if (value instanceof PdfStream) return value.dict;
  return undefined;
}
