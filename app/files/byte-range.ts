/** A byte range of a file: `length` bytes from `offset`. */
export interface ByteRange {
  offset: number;
  length: number;
}

/**
 * Parses an HTTP Range header (RFC 9110, section 14.1.2) for a file of
 * `size` bytes. Returns null when the whole file should be sent: no header,
 * another unit, a malformed value, or several ranges, because a server may
 * ignore Range and this one sends no multipart responses. Returns
 * "unsatisfiable" when the single range starts at or beyond the end of the file.
 */
export function parseByteRange(header: string | null, size: number): ByteRange | "unsatisfiable" | null {
  if (header === null) return null;

  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return null;
  const [, first, last] = match;
  if (first === "" && last === "") return null;

  if (first === "") {
    // Suffix range "bytes=-500": the last 500 bytes.
    const suffixLength = Number(last);
    if (suffixLength === 0 || size === 0) return "unsatisfiable";
    const length = Math.min(suffixLength, size);
    return { offset: size - length, length };
  }

  const offset = Number(first);
  if (offset >= size) return "unsatisfiable";
  const end = last === "" ? size - 1 : Math.min(Number(last), size - 1);
  if (end < offset) return null;
  return { offset, length: end - offset + 1 };
}
