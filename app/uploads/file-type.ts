import { findPdfHeader } from "./pdf-signature";

/** File types the portal accepts as print files, by MIME type. */
export const PRINT_FILE_TYPES = ["application/pdf", "image/tiff", "image/jpeg", "image/png", "application/zip"] as const;

export type PrintFileType = (typeof PRINT_FILE_TYPES)[number];

/** Names of the types on pages and in messages. */
export const PRINT_FILE_TYPE_LABELS: Record<PrintFileType, string> = {
  "application/pdf": "PDF",
  "image/tiff": "TIFF",
  "image/jpeg": "JPEG",
  "image/png": "PNG",
  "application/zip": "ZIP",
};

/** MIME types and file extensions per type, for a file input's `accept` attribute. */
const ACCEPT_BY_TYPE: Record<PrintFileType, string> = {
  "application/pdf": "application/pdf,.pdf",
  "image/tiff": "image/tiff,.tif,.tiff",
  "image/jpeg": "image/jpeg,.jpg,.jpeg",
  "image/png": "image/png,.png",
  "application/zip": "application/zip,.zip",
};

/** Builds a file input's `accept` attribute, so that the file dialog offers only the accepted types. */
export function acceptAttribute(types: readonly PrintFileType[]): string {
  return types.map((type) => ACCEPT_BY_TYPE[type]).join(",");
}

/** Lists the accepted types for a German sentence: "PDF, TIFF oder ZIP". */
export function listFileTypes(types: readonly PrintFileType[]): string {
  const labels = PRINT_FILE_TYPES.filter((type) => types.includes(type)).map((type) => PRINT_FILE_TYPE_LABELS[type]);
  if (labels.length <= 1) return labels.join("");
  return `${labels.slice(0, -1).join(", ")} oder ${labels.at(-1)}`;
}

/** The files a shop accepts: the largest size in bytes and the types by content. */
export interface UploadPolicy {
  maxBytes: number;
  acceptedTypes: readonly PrintFileType[];
}

function startsWith(bytes: Uint8Array, signature: readonly number[]): boolean {
  return signature.every((byte, index) => bytes[index] === byte);
}

/**
 * Decides a print file's type from its first bytes (at least 1024 of them
 * when the file is that long). Returns null for any other content. The name
 * is not trusted for the type; it is only compared against it.
 */
export function detectPrintFileType(head: Uint8Array): PrintFileType | null {
  if (findPdfHeader(head) >= 0) return "application/pdf";
  // TIFF: "II*\0" (little-endian) or "MM\0*" (big-endian); BigTIFF uses 43 in place of 42.
  if (startsWith(head, [0x49, 0x49, 0x2a, 0x00]) || startsWith(head, [0x4d, 0x4d, 0x00, 0x2a])) return "image/tiff";
  if (startsWith(head, [0x49, 0x49, 0x2b, 0x00]) || startsWith(head, [0x4d, 0x4d, 0x00, 0x2b])) return "image/tiff";
  if (startsWith(head, [0xff, 0xd8, 0xff])) return "image/jpeg";
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  // A ZIP archive starts with a local file header, or with the end record when it is empty.
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04]) || startsWith(head, [0x50, 0x4b, 0x05, 0x06])) return "application/zip";
  return null;
}

/** True when the name ends in ".pdf" (any case), so that the content must be a PDF too. */
export function isPdfName(fileName: string): boolean {
  return /\.pdf$/i.test(fileName);
}
