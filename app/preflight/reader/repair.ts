// Rebuilds the cross-reference data by scanning the whole file, for files whose table is broken or missing.

import { isFormatError } from "./errors";
import { decodeForSearch } from "./lexer";
import { PdfDict, PdfStream, isName, type PdfObject } from "./objects";
import { readIndirectObjectAt, readObjectAt } from "./parser";
import type { CachedReader } from "./range-cache";
import type { XrefEntry } from "./xref";

const SCAN_CHUNK_BYTES = 1024 * 1024;
/** Long enough for "4294967295 65535 obj" and "/Type /Catalog" with generous whitespace. */
const CHUNK_OVERLAP_BYTES = 64;
const MAX_TYPED_OBJECTS = 10_000;

export interface RepairScan {
  /** Objects found as "num gen obj" in the file; a later definition replaces an earlier one. */
  entries: Map<number, XrefEntry>;
  /** Dictionaries after "trailer" keywords and of cross-reference streams, in file order. */
  trailers: PdfDict[];
  /** Numbers of objects whose text contains /Type /Catalog. */
  catalogNums: number[];
  /** Numbers of objects whose text contains /Type /ObjStm. */
  objectStreamNums: number[];
}

/** Scans the file chunk by chunk through the reader, so the file never has to fit in memory. */
export async function scanFile(reader: CachedReader): Promise<RepairScan> {
  const entries = new Map<number, XrefEntry>();
  const objectStarts: { offset: number; num: number }[] = [];
  const trailerOffsets: number[] = [];
  const typedObjects = { Catalog: new Set<number>(), ObjStm: new Set<number>(), XRef: new Set<number>() };

  for (let chunkStart = 0; chunkStart < reader.size; chunkStart += SCAN_CHUNK_BYTES) {
    const text = decodeForSearch(await reader.read(chunkStart, SCAN_CHUNK_BYTES + CHUNK_OVERLAP_BYTES));
    const chunkEnd = Math.min(SCAN_CHUNK_BYTES, text.length);

    for (const match of text.matchAll(/(?<![0-9])(\d{1,10})[\0\t\n\f\r ]+(\d{1,5})[\0\t\n\f\r ]+obj(?![A-Za-z])/g)) {
      if (match.index >= chunkEnd) continue;
      const num = Number(match[1]);
      const offset = chunkStart + match.index;
      entries.set(num, { type: "offset", offset, gen: Number(match[2]) });
      objectStarts.push({ offset, num });
    }

    for (const match of text.matchAll(/trailer|\/Type\s*\/(Catalog|ObjStm|XRef)(?![A-Za-z])/g)) {
      if (match.index >= chunkEnd) continue;
      const offset = chunkStart + match.index;
      if (match[0] === "trailer") {
        trailerOffsets.push(offset + "trailer".length);
        continue;
      }
      const owner = findOwningObject(objectStarts, offset);
      const set = typedObjects[match[1] as keyof typeof typedObjects];
      if (owner !== undefined && set.size < MAX_TYPED_OBJECTS) set.add(owner);
    }
  }

  const trailers = await readTrailers(reader, trailerOffsets, [...typedObjects.XRef], entries);
  return {
    entries,
    trailers,
    catalogNums: [...typedObjects.Catalog],
    objectStreamNums: [...typedObjects.ObjStm],
  };
}

function ignoreFormatError(error: unknown): undefined {
  if (!isFormatError(error)) throw error;
  return undefined;
}

/** Returns the number of the last object that starts before `offset`. */
function findOwningObject(objectStarts: { offset: number; num: number }[], offset: number): number | undefined {
  for (let i = objectStarts.length - 1; i >= 0; i--) {
    if (objectStarts[i].offset < offset) return objectStarts[i].num;
  }
  return undefined;
}

async function readTrailers(
  reader: CachedReader,
  trailerOffsets: number[],
  xrefStreamNums: number[],
  entries: Map<number, XrefEntry>,
): Promise<PdfDict[]> {
  const found: { offset: number; dict: PdfDict }[] = [];

  for (const offset of trailerOffsets) {
    const dict = await readObjectAt(reader, offset).catch(ignoreFormatError);
    if (dict instanceof PdfDict) found.push({ offset, dict });
  }

  for (const num of xrefStreamNums) {
    const entry = entries.get(num);
    if (entry?.type !== "offset") continue;
    const object = await readIndirectObjectAt(reader, entry.offset).catch(ignoreFormatError);
    const value: PdfObject | undefined = object?.value;
    if (value instanceof PdfStream && isName(value.dict.get("Type"), "XRef")) found.push({ offset: entry.offset, dict: value.dict });
  }

  found.sort((a, b) => a.offset - b.offset);
  return found.map((item) => item.dict);
}
