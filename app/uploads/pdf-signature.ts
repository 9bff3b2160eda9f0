/**
 * How far into a file the PDF header may start. ISO 32000-2 (annex, "File
 * header") lets readers accept up to 1024 bytes of other data before `%PDF-`,
 * which some print workflows prepend.
 */
export const PDF_HEADER_SEARCH_LENGTH = 1024;

const PDF_HEADER = [0x25, 0x50, 0x44, 0x46, 0x2d]; // "%PDF-"

/** Returns the offset of `%PDF-` within the first 1024 bytes, or -1 when the bytes are not a PDF. */
export function findPdfHeader(bytes: Uint8Array): number {
  const end = Math.min(bytes.length, PDF_HEADER_SEARCH_LENGTH) - PDF_HEADER.length;
  for (let offset = 0; offset <= end; offset++) {
    if (PDF_HEADER.every((byte, index) => bytes[offset + index] === byte)) return offset;
  }
  return -1;
}
