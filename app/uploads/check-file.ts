import { formatBytes } from "~/format";
import { messages } from "~/messages";

import { detectPrintFileType, isPdfName, listFileTypes, type UploadPolicy } from "./file-type";
import { PDF_HEADER_SEARCH_LENGTH } from "./pdf-signature";

/**
 * Checks a chosen file in the browser the way the server will, so that an
 * empty, too large or wrong file costs no upload. Returns the German message,
 * or null when the file may be sent.
 */
export async function checkFileBeforeUpload(file: File, policy: UploadPolicy): Promise<string | null> {
  if (file.size === 0) return messages.uploadEmpty;
  if (file.size > policy.maxBytes) return messages.uploadTooLarge(formatBytes(policy.maxBytes));

  const head = new Uint8Array(await file.slice(0, PDF_HEADER_SEARCH_LENGTH).arrayBuffer());
  return checkFileHead(head, file.name, policy);
}

/** Returns the German message that rejects a file's first bytes, or null when its type is accepted. */
export function checkFileHead(head: Uint8Array, fileName: string, policy: Pick<UploadPolicy, "acceptedTypes">): string | null {
  const type = detectPrintFileType(head);
  if (isPdfName(fileName) && type !== "application/pdf") return messages.uploadPdfNameMismatch;
  if (!type || !policy.acceptedTypes.includes(type)) return messages.uploadTypeRejected(listFileTypes(policy.acceptedTypes));
  return null;
}
