import { messages } from "~/messages";

import { MAX_FILE_NAME_CHARS } from "./limits";

export type FileNameResult = { ok: true; name: string } | { ok: false; message: string };

/**
 * Checks an uploaded file's name and returns it NFC-normalised for display.
 * A name with folders ("../../x.pdf", "C:\\Daten\\x.pdf") keeps only its last
 * part, because browsers send only base names and a path is never used as a
 * storage key anyway. Names with control characters, without a base name or
 * longer than 255 characters are rejected.
 */
export function checkFileName(raw: string): FileNameResult {
  const normalized = raw.normalize("NFC");
  const baseName = normalized.split(/[/\\]/).pop()!.trim();

  if (baseName === "" || baseName === "." || baseName === "..") return { ok: false, message: messages.uploadNameMissing };
  if (/[\u0000-\u001f\u007f]/.test(baseName)) return { ok: false, message: messages.uploadNameInvalid };
  if ([...baseName].length > MAX_FILE_NAME_CHARS) {
    return { ok: false, message: messages.uploadNameTooLong(MAX_FILE_NAME_CHARS) };
  }
  return { ok: true, name: baseName };
}
