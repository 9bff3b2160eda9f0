// Object parser on top of the lexer (PDF 32000-1:2008, sections 7.3 and 7.3.10).

import { PdfSyntaxError } from "./errors";
import { Lexer, NeedMoreBytesError, type Token } from "./lexer";
import { PdfDict, PdfName, PdfRef, PdfStream, PdfString, type PdfObject } from "./objects";
import type { CachedReader } from "./range-cache";

const MAX_NESTING_DEPTH = 128;
/** Keywords that start or end an object. Finding one inside an object means that the object is cut short. */
const STRUCTURE_KEYWORDS = new Set(["obj", "endobj", "stream", "endstream", "xref", "trailer", "startxref", "R"]);
const FIRST_WINDOW_BYTES = 4 * 1024;
const MAX_WINDOW_BYTES = 8 * 1024 * 1024;

export interface IndirectObject {
  num: number;
  gen: number;
  value: PdfObject;
}

export function parseObject(lexer: Lexer): PdfObject {
  return parseFromToken(lexer, lexer.nextToken(), 0);
}

/** Parses "num gen obj <object>", and for a stream dictionary records where the stream data starts. */
export function parseIndirectObject(lexer: Lexer): IndirectObject {
  const num = expectInteger(lexer.nextToken(), "object number", lexer);
  const gen = expectInteger(lexer.nextToken(), "generation number", lexer);
  const keyword = lexer.nextToken();
  if (keyword.type !== "keyword" || keyword.value !== "obj") {
    throw new PdfSyntaxError(`expected 'obj' at offset ${lexer.offset}`);
  }

  const value = parseObject(lexer);
  if (!(value instanceof PdfDict)) return { num, gen, value };

  const afterDict = lexer.pos;
  const next = lexer.nextToken();
  if (next.type !== "keyword" || next.value !== "stream") {
    lexer.pos = afterDict;
    return { num, gen, value };
  }

  // The keyword "stream" is followed by CRLF or LF; a lone CR also occurs in the wild.
  if (lexer.pos < lexer.bytes.length && lexer.bytes[lexer.pos] === 0x0d) lexer.pos++;
  if (lexer.pos < lexer.bytes.length && lexer.bytes[lexer.pos] === 0x0a) lexer.pos++;
  return { num, gen, value: new PdfStream(value, lexer.offset) };
}

/** Reads and parses the indirect object that starts at a file offset, growing the read window as needed. */
export async function readIndirectObjectAt(reader: CachedReader, offset: number): Promise<IndirectObject> {
  return readWithGrowingWindow(reader, offset, parseIndirectObject);
}

/** Reads and parses one direct object (for example a trailer dictionary) at a file offset. */
export async function readObjectAt(reader: CachedReader, offset: number): Promise<PdfObject> {
  return readWithGrowingWindow(reader, offset, parseObject);
}

async function readWithGrowingWindow<T>(
  reader: CachedReader,
  offset: number,
  parse: (lexer: Lexer) => T,
): Promise<T> {
  if (offset < 0 || offset >= reader.size) throw new PdfSyntaxError(`offset ${offset} is outside the file`);

  for (let windowBytes = FIRST_WINDOW_BYTES; ; windowBytes = Math.min(windowBytes * 4, MAX_WINDOW_BYTES)) {
    const bytes = await reader.read(offset, windowBytes);
    const atEndOfFile = offset + bytes.length >= reader.size;
    try {
      return parse(new Lexer(bytes, offset, atEndOfFile));
    } catch (error) {
      if (!(error instanceof NeedMoreBytesError) || atEndOfFile) throw error;
      if (windowBytes >= MAX_WINDOW_BYTES) {
        throw new PdfSyntaxError(`object at offset ${offset} is larger than ${MAX_WINDOW_BYTES} bytes`);
      }
    }
  }
}

function parseFromToken(lexer: Lexer, token: Token, depth: number): PdfObject {
  if (depth > MAX_NESTING_DEPTH) throw new PdfSyntaxError(`objects nested deeper than ${MAX_NESTING_DEPTH} levels`);

  switch (token.type) {
    case "number":
      return token.isInteger && token.value >= 0 ? parseNumberOrReference(lexer, token.value) : token.value;
    case "name":
      return new PdfName(token.value);
    case "string":
      return new PdfString(token.value);
    case "keyword":
      if (token.value === "true") return true;
      if (token.value === "false") return false;
      if (token.value === "null") return null;
      if (STRUCTURE_KEYWORDS.has(token.value)) {
        throw new PdfSyntaxError(`unexpected keyword '${token.value}' at offset ${lexer.offset}`);
      }
      // Other stray words (typos such as "nul") do not make the whole object unreadable.
      return null;
    case "delimiter":
      if (token.value === "[") return parseArray(lexer, depth);
      if (token.value === "<<") return parseDict(lexer, depth);
      throw new PdfSyntaxError(`unexpected '${token.value}' at offset ${lexer.offset}`);
    case "eof":
      throw new PdfSyntaxError("unexpected end of file");
  }
}

function parseNumberOrReference(lexer: Lexer, num: number): PdfObject {
  const start = lexer.pos;
  const gen = lexer.nextToken();
  if (gen.type === "number" && gen.isInteger && gen.value >= 0) {
    const marker = lexer.nextToken();
    if (marker.type === "keyword" && marker.value === "R") return new PdfRef(num, gen.value);
  }
  lexer.pos = start;
  return num;
}

function parseArray(lexer: Lexer, depth: number): PdfObject[] {
  const items: PdfObject[] = [];
  for (;;) {
    const token = lexer.nextToken();
    if (token.type === "delimiter" && token.value === "]") return items;
    if (token.type === "eof") throw new PdfSyntaxError("unterminated array at end of file");
    items.push(parseFromToken(lexer, token, depth + 1));
  }
}

function parseDict(lexer: Lexer, depth: number): PdfDict {
  const dict = new PdfDict();
  for (;;) {
    const token = lexer.nextToken();
    if (token.type === "delimiter" && token.value === ">>") return dict;
    if (token.type === "eof") throw new PdfSyntaxError("unterminated dictionary at end of file");
    if (token.type !== "name") {
      throw new PdfSyntaxError(`dictionary key is not a name at offset ${lexer.offset}`);
    }

    const valueToken = lexer.nextToken();
    if (valueToken.type === "delimiter" && valueToken.value === ">>") {
      // A key without a value right before ">>": treat the value as null and close the dictionary.
      dict.entries.set(token.value, null);
      return dict;
    }
    dict.entries.set(token.value, parseFromToken(lexer, valueToken, depth + 1));
  }
}

function expectInteger(token: Token, description: string, lexer: Lexer): number {
  if (token.type !== "number" || !token.isInteger || token.value < 0) {
    throw new PdfSyntaxError(`expected ${description} at offset ${lexer.offset}`);
  }
  return token.value;
}
