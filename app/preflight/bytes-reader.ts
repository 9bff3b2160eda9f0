import type { RangeReader } from "./types";

/** Wraps bytes that are already in memory as a RangeReader. */
export function bytesReader(bytes: Uint8Array): RangeReader {
  return {
    size: bytes.length,
    async read(offset, length) {
      const start = Math.max(0, Math.min(offset, bytes.length));
      const end = Math.max(start, Math.min(bytes.length, start + length));
      return bytes.subarray(start, end);
    },
  };
}
