import { messages } from "~/messages";

import { MAX_FILE_NAME_CHARS } from "./limits";

/**
 * Control characters, including the invisible marks that change the text
 * direction (U+200E, U+200F, U+202A–U+202E, U+2066–U+2069): in a name they
 * could make a page show the text around it backwards.
 */
export const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

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
  if (CONTROL_CHARACTERS.test(baseName)) return { ok: false, message: messages.uploadNameInvalid };
  if ([...baseName].length > MAX_FILE_NAME_CHARS) {
    return { ok: false, message: messages.uploadNameTooLong(MAX_FILE_NAME_CHARS) };
  }
  return { ok: true, name: baseName };
}
