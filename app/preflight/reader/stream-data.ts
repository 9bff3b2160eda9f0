// Reads the raw (still encoded) bytes of a stream object from the file.

import { decodeForSearch } from "./lexer";
import type { PdfStream } from "./objects";
import type { CachedReader } from "./range-cache";

const SCAN_CHUNK_BYTES = 256 * 1024;
/** A stream whose /Length is wrong is searched for "endstream" at most this far. */
const MAX_SCANNED_STREAM_BYTES = 64 * 1024 * 1024;

/**
 * Returns the stream's bytes. A /Length that does not end at "endstream" (wrong, indirect and
 * unresolvable, or missing) is replaced by a forward search for the keyword.
 */
export async function readRawStreamData(
  reader: CachedReader,
  stream: PdfStream,
  declaredLength: number | undefined,
): Promise<Uint8Array> {
  const start = stream.dataOffset;
  if (declaredLength !== undefined && Number.isInteger(declaredLength) && declaredLength >= 0) {
    const end = start + declaredLength;
    if (end <= reader.size && (await isFollowedByEndstream(reader, end))) {
      return reader.read(start, declaredLength);
    }
  }

  const end = await findEndstream(reader, start);
  return reader.read(start, end - start);
}

async function isFollowedByEndstream(reader: CachedReader, position: number): Promise<boolean> {
  const tail = decodeForSearch(await reader.read(position, 32));
  return /^\s*endstream/.test(tail);
}

/** Returns the offset where the stream data ends: before "endstream" and its end-of-line marker, or the end of the scan. */
async function findEndstream(reader: CachedReader, start: number): Promise<number> {
  const limit = Math.min(reader.size, start + MAX_SCANNED_STREAM_BYTES);
  const keyword = "endstream";

  for (let position = start; position < limit; position += SCAN_CHUNK_BYTES) {
    const chunk = decodeForSearch(await reader.read(position, SCAN_CHUNK_BYTES + keyword.length));
    const index = chunk.indexOf(keyword);
    if (index >= 0 && position + index <= limit) {
      let end = position + index;
      if (chunk[index - 1] === "\n") end--;
      if (chunk[end - position - 1] === "\r") end--;
      return Math.max(start, end);
    }
  }
  return limit;
}
