// Tokenizer for PDF syntax over one window of file bytes (PDF 32000-1:2008, section 7.2).

import { PdfFormatError, PdfSyntaxError } from "./errors";

export type Token =
  | { type: "number"; value: number; isInteger: boolean }
  | { type: "name"; value: string }
  | { type: "string"; value: Uint8Array }
  | { type: "keyword"; value: string }
  | { type: "delimiter"; value: "[" | "]" | "<<" | ">>" | "{" | "}" }
  | { type: "eof" };

/** Thrown when a token runs past the end of the window but the file goes on: the caller reads a larger window. */
export class NeedMoreBytesError extends PdfFormatError {
  constructor() {
    super("token runs past the end of the read window");
  }
}


const WHITESPACE = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const DELIMITERS = new Set([0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25]);
const MAX_STRING_BYTES = 16 * 1024 * 1024;

export function isWhitespace(byte: number): boolean {
  return WHITESPACE.has(byte);
}

export function isRegularChar(byte: number): boolean {
  return !WHITESPACE.has(byte) && !DELIMITERS.has(byte);
}

/** Converts bytes to a string with one character per byte (ISO 8859-1). */
export function latin1(bytes: Uint8Array): string {
  const parts: string[] = [];
  for (let start = 0; start < bytes.length; start += 4096) {
    parts.push(String.fromCharCode.apply(null, Array.from(bytes.subarray(start, start + 4096))));
  }
  return parts.join("");
}

const searchDecoder = createSearchDecoder();

function createSearchDecoder(): TextDecoder | undefined {
  try {
    return new TextDecoder("windows-1252");
  } catch {
    return undefined;
  }
}

/**
 * Converts bytes to a string for keyword searches, about twice as fast as latin1() in Node 24.
 * Every byte becomes one UTF-16 code unit, so string positions are byte positions, but bytes
 * 0x80 to 0x9F may become other characters than in latin1().
 */
export function decodeForSearch(bytes: Uint8Array): string {
  return searchDecoder ? searchDecoder.decode(bytes) : latin1(bytes);
}

export class Lexer {
  pos = 0;

  /**
   * @param bytes the window of file bytes
   * @param baseOffset file offset of bytes[0]
   * @param atEndOfFile whether the window reaches the end of the file (or of a decoded buffer)
   */
  constructor(
    readonly bytes: Uint8Array,
    readonly baseOffset: number,
    readonly atEndOfFile: boolean,
  ) {}

  get offset(): number {
    return this.baseOffset + this.pos;
  }

  nextToken(): Token {
    this.skipWhitespaceAndComments();
    if (this.pos >= this.bytes.length) return this.endOfInput();

    const byte = this.bytes[this.pos];
    switch (byte) {
      case 0x5b:
        this.pos++;
        return { type: "delimiter", value: "[" };
      case 0x5d:
        this.pos++;
        return { type: "delimiter", value: "]" };
      case 0x7b:
        this.pos++;
        return { type: "delimiter", value: "{" };
      case 0x7d:
        this.pos++;
        return { type: "delimiter", value: "}" };
      case 0x3c:
        if (this.peekByte(1) === 0x3c) {
          this.pos += 2;
          return { type: "delimiter", value: "<<" };
        }
        return this.readHexString();
      case 0x3e:
        if (this.peekByte(1) === 0x3e) {
          this.pos += 2;
          return { type: "delimiter", value: ">>" };
        }
        throw new PdfSyntaxError(`unexpected '>' at offset ${this.offset}`);
      case 0x28:
        return this.readLiteralString();
      case 0x29:
        throw new PdfSyntaxError(`unexpected ')' at offset ${this.offset}`);
      case 0x2f:
        return this.readName();
      default:
        return this.readNumberOrKeyword();
    }
  }

  skipWhitespaceAndComments(): void {
    const bytes = this.bytes;
    while (this.pos < bytes.length) {
      const byte = bytes[this.pos];
      if (WHITESPACE.has(byte)) {
        this.pos++;
      } else if (byte === 0x25) {
        while (this.pos < bytes.length && bytes[this.pos] !== 0x0a && bytes[this.pos] !== 0x0d) {
          this.pos++;
        }
      } else {
        return;
      }
    }
  }

  private endOfInput(): Token {
    if (!this.atEndOfFile) throw new NeedMoreBytesError();
    return { type: "eof" };
  }

  /** Returns the byte at pos + ahead, or -1 at the end of the file; throws NeedMoreBytesError at the end of the window. */
  private peekByte(ahead: number): number {
    const index = this.pos + ahead;
    if (index < this.bytes.length) return this.bytes[index];
    if (!this.atEndOfFile) throw new NeedMoreBytesError();
    return -1;
  }

  /** Ends a token: a token that touches the window end may continue past it. */
  private checkTokenEnd(end: number): void {
    if (end >= this.bytes.length && !this.atEndOfFile) throw new NeedMoreBytesError();
  }

  private readRegularRun(): string {
    const start = this.pos;
    while (this.pos < this.bytes.length && isRegularChar(this.bytes[this.pos])) this.pos++;
    this.checkTokenEnd(this.pos);
    return latin1(this.bytes.subarray(start, this.pos));
  }

  private readNumberOrKeyword(): Token {
    const text = this.readRegularRun();
    if (text.length === 0) {
      this.pos++;
      throw new PdfSyntaxError(`unexpected byte at offset ${this.offset - 1}`);
    }

    if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(text)) {
      const value = Number(text);
      return { type: "number", value, isInteger: Number.isInteger(value) && !text.includes(".") };
    }

    const malformed = parseMalformedNumber(text);
    if (malformed !== undefined) return { type: "number", value: malformed, isInteger: false };
    return { type: "keyword", value: text };
  }

  private readName(): Token {
    this.pos++;
    const start = this.pos;
    while (this.pos < this.bytes.length && isRegularChar(this.bytes[this.pos])) this.pos++;
    this.checkTokenEnd(this.pos);

    const raw = this.bytes.subarray(start, this.pos);
    const decoded: number[] = [];
    for (let i = 0; i < raw.length; i++) {
      if (raw[i] === 0x23 && i + 2 < raw.length && isHexDigit(raw[i + 1]) && isHexDigit(raw[i + 2])) {
        decoded.push(hexValue(raw[i + 1]) * 16 + hexValue(raw[i + 2]));
        i += 2;
      } else {
        decoded.push(raw[i]);
      }
    }
    return { type: "name", value: latin1(Uint8Array.from(decoded)) };
  }

  private readHexString(): Token {
    this.pos++;
    const digits: number[] = [];
    for (;;) {
      if (this.pos >= this.bytes.length) {
        if (!this.atEndOfFile) throw new NeedMoreBytesError();
        break;
      }
      const byte = this.bytes[this.pos++];
      if (byte === 0x3e) break;
      if (isHexDigit(byte)) digits.push(hexValue(byte));
      else if (!WHITESPACE.has(byte)) throw new PdfSyntaxError(`invalid hex string byte at offset ${this.offset - 1}`);
    }

    if (digits.length % 2 === 1) digits.push(0);
    const value = new Uint8Array(digits.length / 2);
    for (let i = 0; i < value.length; i++) value[i] = digits[2 * i] * 16 + digits[2 * i + 1];
    return { type: "string", value };
  }

  private readLiteralString(): Token {
    this.pos++;
    const out: number[] = [];
    let depth = 1;

    while (depth > 0) {
      if (this.pos >= this.bytes.length) {
        if (!this.atEndOfFile) throw new NeedMoreBytesError();
        break;
      }
      if (out.length > MAX_STRING_BYTES) throw new PdfSyntaxError(`string too long at offset ${this.offset}`);

      const byte = this.bytes[this.pos++];
      if (byte === 0x28) {
        depth++;
        out.push(byte);
      } else if (byte === 0x29) {
        depth--;
        if (depth > 0) out.push(byte);
      } else if (byte === 0x5c) {
        this.readEscape(out);
      } else {
        out.push(byte);
      }
    }
    return { type: "string", value: Uint8Array.from(out) };
  }

  private readEscape(out: number[]): void {
    const next = this.peekByte(0);
    if (next < 0) return;
    this.pos++;

    const simple: Record<number, number> = { 0x6e: 0x0a, 0x72: 0x0d, 0x74: 0x09, 0x62: 0x08, 0x66: 0x0c };
    if (next in simple) {
      out.push(simple[next]);
    } else if (next >= 0x30 && next <= 0x37) {
      let value = next - 0x30;
      for (let count = 1; count < 3; count++) {
        const digit = this.peekByte(0);
        if (digit < 0x30 || digit > 0x37) break;
        value = value * 8 + (digit - 0x30);
        this.pos++;
      }
      out.push(value & 0xff);
    } else if (next === 0x0d) {
      // A backslash before an end-of-line marker continues the string on the next line.
      if (this.peekByte(0) === 0x0a) this.pos++;
    } else if (next !== 0x0a) {
      out.push(next);
    }
  }
}

/**
 * Reads numbers that writers get wrong, such as "--5" or "1.2.3", as their leading number:
 * -5 and 1.2. Returns undefined for text that is not made of signs, digits and dots.
 */
function parseMalformedNumber(text: string): number | undefined {
  const match = /^([+-]*)(\d+\.?\d*|\.\d+)[+\-.\d]*$/.exec(text);
  if (!match) return undefined;

  const value = Number.parseFloat(match[2]);
  return match[1].includes("-") ? -value : value;
}

function isHexDigit(byte: number): boolean {
  return (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66);
}

function hexValue(byte: number): number {
  if (byte <= 0x39) return byte - 0x30;
  if (byte <= 0x46) return byte - 0x41 + 10;
  return byte - 0x61 + 10;
}
