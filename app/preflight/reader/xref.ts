// Cross-reference tables and streams with their /Prev chain (PDF 32000-1:2008, sections 7.5.4 to 7.5.8).

import { PdfSyntaxError, isFormatError } from "./errors";
import { Lexer, NeedMoreBytesError, latin1 } from "./lexer";
import { PdfDict, PdfStream, isName, numberValue, type PdfObject } from "./objects";
import { readIndirectObjectAt, readObjectAt } from "./parser";
import type { CachedReader } from "./range-cache";
import { decodeStreamData } from "./filters";
import { readRawStreamData } from "./stream-data";

export type XrefEntry =
  | { type: "free" }
  | { type: "offset"; offset: number; gen: number }
  | { type: "compressed"; streamNum: number; index: number };

export interface CrossReference {
  entries: Map<number, XrefEntry>;
  trailer: PdfDict;
}

interface XrefSection {
  entries: Map<number, XrefEntry>;
  trailer: PdfDict;
}

const MAX_SECTIONS = 256;
const MAX_OBJECT_NUMBER = 50_000_000;
const TABLE_WINDOW_BYTES = 64 * 1024;
const TAIL_BYTES = [1024, 64 * 1024];

/** Returns the byte offset named by the last "startxref" near the end of the file, or undefined. */
export async function findStartxref(reader: CachedReader): Promise<number | undefined> {
  for (const tailBytes of TAIL_BYTES) {
    const start = Math.max(0, reader.size - tailBytes);
    const tail = latin1(await reader.read(start, reader.size - start));
    const matches = [...tail.matchAll(/startxref\s+(\d+)/g)];
    const last = matches.at(-1);
    if (last) return Number(last[1]);
    if (start === 0) return undefined;
  }
  return undefined;
}

/**
 * Reads every cross-reference section from `startxref` along the /Prev chain. Newer sections win.
 * `headerOffset` is the position of "%PDF-": when bytes precede the header, offsets are often
 * relative to it, so each section is also tried at offset + headerOffset.
 * Throws when a section cannot be read or the trailer has no /Root; the caller then repairs.
 */
export async function readCrossReference(
  reader: CachedReader,
  startxref: number,
  headerOffset: number,
): Promise<CrossReference> {
  const entries = new Map<number, XrefEntry>();
  const trailers: PdfDict[] = [];
  const visited = new Set<number>();
  let next: number | undefined = startxref;

  while (next !== undefined) {
    if (visited.has(next)) break;
    if (visited.size >= MAX_SECTIONS) throw new PdfSyntaxError(`more than ${MAX_SECTIONS} cross-reference sections`);
    visited.add(next);

    const section = await readSectionWithShift(reader, next, headerOffset);
    mergeEntries(entries, section.entries, false);

    // A hybrid file lists the objects in object streams only in its /XRefStm stream. Their
    // entries replace the free entries that the table shows to older readers.
    const hybridOffset = numberValue(section.trailer.get("XRefStm"));
    if (hybridOffset !== undefined && !visited.has(hybridOffset)) {
      visited.add(hybridOffset);
      const hybrid = await readSectionWithShift(reader, hybridOffset, headerOffset).catch((error: unknown) => {
        if (!isFormatError(error)) throw error;
        return undefined;
      });
      if (hybrid) mergeEntries(entries, hybrid.entries, true);
    }

    trailers.push(section.trailer);
    next = numberValue(section.trailer.get("Prev"));
  }

  const trailer = mergeTrailers(trailers);
  if (!trailer.has("Root")) throw new PdfSyntaxError("trailer has no /Root entry");
  return { entries, trailer };
}

/** Reads a section at `offset`, else at `offset + headerOffset`; in the second case every object offset is shifted too. */
async function readSectionWithShift(reader: CachedReader, offset: number, headerOffset: number): Promise<XrefSection> {
  try {
    return await readSection(reader, offset);
  } catch (error) {
    if (headerOffset <= 0 || !isFormatError(error)) throw error;
    const section = await readSection(reader, offset + headerOffset);
    for (const [num, entry] of section.entries) {
      if (entry.type === "offset") section.entries.set(num, { ...entry, offset: entry.offset + headerOffset });
    }
    return section;
  }
}

async function readSection(reader: CachedReader, offset: number): Promise<XrefSection> {
  const head = latin1(await reader.read(offset, 16));
  if (/^\s*xref/.test(head)) return readXrefTable(reader, offset);
  return readXrefStream(reader, offset);
}

function mergeEntries(target: Map<number, XrefEntry>, source: Map<number, XrefEntry>, replaceFree: boolean): void {
  for (const [num, entry] of source) {
    const existing = target.get(num);
    if (existing === undefined || (replaceFree && existing.type === "free" && entry.type !== "free")) {
      target.set(num, entry);
    }
  }
}

/** Combines trailers newest first: each key comes from the newest trailer that has it. */
function mergeTrailers(trailers: PdfDict[]): PdfDict {
  const merged = new PdfDict();
  for (const trailer of trailers) {
    for (const [key, value] of trailer.entries) {
      if (!merged.has(key)) merged.entries.set(key, value);
    }
  }
  return merged;
}

/**
 * Parses a classic table window by window. Entries are read as tokens, not as fixed 20-byte
 * records, because writers get the line endings wrong.
 */
async function readXrefTable(reader: CachedReader, offset: number): Promise<XrefSection> {
  const entries = new Map<number, XrefEntry>();
  let cursor = offset;
  let sawKeyword = false;
  let nextNum = 0;
  let remaining = 0;

  for (;;) {
    const bytes = await reader.read(cursor, TABLE_WINDOW_BYTES);
    const lexer = new Lexer(bytes, cursor, cursor + bytes.length >= reader.size);
    let committed = lexer.pos;

    try {
      for (;;) {
        if (!sawKeyword) {
          expectKeyword(lexer, "xref");
          sawKeyword = true;
        } else if (remaining > 0) {
          const entry = readTableEntry(lexer);
          if (!entries.has(nextNum)) entries.set(nextNum, entry);
          nextNum++;
          remaining--;
        } else {
          const token = lexer.nextToken();
          if (token.type === "keyword" && token.value === "trailer") {
            const trailer = await readObjectAt(reader, lexer.offset);
            if (!(trailer instanceof PdfDict)) throw new PdfSyntaxError(`trailer at offset ${lexer.offset} is not a dictionary`);
            return { entries, trailer };
          }
          const count = lexer.nextToken();
          if (token.type !== "number" || count.type !== "number" || !token.isInteger || !count.isInteger) {
            throw new PdfSyntaxError(`invalid cross-reference subsection header at offset ${lexer.offset}`);
          }
          if (token.value + count.value > MAX_OBJECT_NUMBER) throw new PdfSyntaxError("cross-reference subsection is too large");
          nextNum = token.value;
          remaining = count.value;
        }
        committed = lexer.pos;
      }
    } catch (error) {
      if (!(error instanceof NeedMoreBytesError)) throw error;
      if (committed === 0) throw new PdfSyntaxError(`cross-reference table at offset ${cursor} cannot be parsed`);
      cursor += committed;
    }
  }
}

function expectKeyword(lexer: Lexer, keyword: string): void {
  const token = lexer.nextToken();
  if (token.type !== "keyword" || token.value !== keyword) {
    throw new PdfSyntaxError(`expected '${keyword}' at offset ${lexer.offset}`);
  }
}

function readTableEntry(lexer: Lexer): XrefEntry {
  const offset = lexer.nextToken();
  const gen = lexer.nextToken();
  const kind = lexer.nextToken();
  if (offset.type !== "number" || gen.type !== "number" || kind.type !== "keyword") {
    throw new PdfSyntaxError(`invalid cross-reference entry at offset ${lexer.offset}`);
  }
  if (kind.value === "f") return { type: "free" };
  if (kind.value === "n") return { type: "offset", offset: offset.value, gen: gen.value };
  throw new PdfSyntaxError(`invalid cross-reference entry type '${kind.value.slice(0, 8)}' at offset ${lexer.offset}`);
}

async function readXrefStream(reader: CachedReader, offset: number): Promise<XrefSection> {
  const object = await readIndirectObjectAt(reader, offset);
  const stream = object.value;
  if (!(stream instanceof PdfStream) || !isName(stream.dict.get("Type"), "XRef")) {
    throw new PdfSyntaxError(`no cross-reference table or stream at offset ${offset}`);
  }

  const raw = await readRawStreamData(reader, stream, numberValue(stream.dict.get("Length")));
  const data = await decodeStreamData(raw, stream.dict.get("Filter"), stream.dict.get("DecodeParms"));
  return { entries: parseXrefStreamEntries(stream.dict, data), trailer: stream.dict };
}

export function parseXrefStreamEntries(dict: PdfDict, data: Uint8Array): Map<number, XrefEntry> {
  const widths = readWidths(dict.get("W"));
  const size = numberValue(dict.get("Size")) ?? 0;
  const index = Array.isArray(dict.get("Index")) ? (dict.get("Index") as PdfObject[]) : [0, size];
  const entryBytes = widths[0] + widths[1] + widths[2];
  const entries = new Map<number, XrefEntry>();
  if (entryBytes === 0) return entries;

  let position = 0;
  for (let pair = 0; pair + 1 < index.length; pair += 2) {
    const first = numberValue(index[pair]) ?? 0;
    const count = numberValue(index[pair + 1]) ?? 0;
    if (first < 0 || count < 0 || first + count > MAX_OBJECT_NUMBER) throw new PdfSyntaxError("invalid /Index in cross-reference stream");

    for (let i = 0; i < count && position + entryBytes <= data.length; i++) {
      // A missing type field means type 1 (PDF 32000-1:2008, table 17).
      const type = widths[0] === 0 ? 1 : readField(data, position, widths[0]);
      const field2 = readField(data, position + widths[0], widths[1]);
      const field3 = readField(data, position + widths[0] + widths[1], widths[2]);
      position += entryBytes;

      const num = first + i;
      if (entries.has(num)) continue;
      if (type === 0) entries.set(num, { type: "free" });
      else if (type === 1) entries.set(num, { type: "offset", offset: field2, gen: field3 });
      else if (type === 2) entries.set(num, { type: "compressed", streamNum: field2, index: field3 });
    }
  }
  return entries;
}

function readWidths(value: PdfObject | undefined): [number, number, number] {
  if (!Array.isArray(value) || value.length < 3) throw new PdfSyntaxError("cross-reference stream has no valid /W array");
  const widths = value.slice(0, 3).map((width) => numberValue(width) ?? -1);
  if (widths.some((width) => width < 0 || width > 8)) throw new PdfSyntaxError("cross-reference stream has invalid /W widths");
  return [widths[0], widths[1], widths[2]];
}

function readField(data: Uint8Array, position: number, width: number): number {
  let value = 0;
  for (let i = 0; i < width; i++) value = value * 256 + data[position + i];
  return value;
}
