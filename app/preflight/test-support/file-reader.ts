// File-backed RangeReader for tests: reads ranges with positional reads, never the whole file.

import { openSync, readSync, fstatSync, closeSync } from "node:fs";
import type { RangeReader } from "../types";

export interface FileRangeReader extends RangeReader {
  /** Number of read() calls, to check that the engine reads lazily. */
  readonly readCount: number;
  /** Total bytes returned by read(). */
  readonly bytesRead: number;
  close(): void;
}

export function openFileReader(path: string): FileRangeReader {
  const fd = openSync(path, "r");
  const size = fstatSync(fd).size;
  let readCount = 0;
  let bytesRead = 0;

  return {
    size,
    get readCount() {
      return readCount;
    },
    get bytesRead() {
      return bytesRead;
    },
    async read(offset, length) {
      const start = Math.max(0, Math.min(offset, size));
      const buffer = new Uint8Array(Math.max(0, Math.min(length, size - start)));
      const count = buffer.length > 0 ? readSync(fd, buffer, 0, buffer.length, start) : 0;
      readCount++;
      bytesRead += count;
      return buffer.subarray(0, count);
    },
    close() {
      closeSync(fd);
    },
  };
}
