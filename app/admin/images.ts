import { formatBytes } from "~/format";

import { adminMessages } from "./admin-messages";

// Images staff upload: the shop's logo and staff photos. Only PNG and JPEG
// are accepted, decided by content. SVG is left out on purpose, because an
// SVG file can carry scripts.

/** Largest logo or staff photo, in bytes (1 MB). */
export const MAX_IMAGE_BYTES = 1024 * 1024;

export const IMAGE_TYPES = ["image/png", "image/jpeg"] as const;
export type ImageType = (typeof IMAGE_TYPES)[number];

/** The `accept` attribute of an image file input. */
export const IMAGE_ACCEPT = "image/png,image/jpeg,.png,.jpg,.jpeg";

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG_SIGNATURE = [0xff, 0xd8, 0xff];

/** Decides an image's type from its first bytes; returns null for anything but PNG or JPEG. */
export function detectImageType(head: Uint8Array): ImageType | null {
  const startsWith = (signature: number[]) => signature.every((byte, index) => head[index] === byte);
  if (startsWith(PNG_SIGNATURE)) return "image/png";
  if (startsWith(JPEG_SIGNATURE)) return "image/jpeg";
  return null;
}

export type ImageUpload = { ok: true; bytes: Uint8Array; contentType: ImageType } | { ok: false; message: string };

/** True when a form's file field carries a file; an input without a chosen file sends an empty, nameless one. */
export function hasChosenFile(value: FormDataEntryValue | null): value is File {
  return typeof value === "object" && value !== null && (value.size > 0 || value.name !== "");
}

/**
 * Reads an uploaded image and checks its size and type. The size is checked
 * before the bytes are read, and the type comes from the content, never from
 * the file name or the type the browser sent.
 */
export async function readImageUpload(file: File): Promise<ImageUpload> {
  if (file.size === 0) return { ok: false, message: adminMessages.imageEmpty };
  if (file.size > MAX_IMAGE_BYTES) return { ok: false, message: adminMessages.imageTooLarge(formatBytes(MAX_IMAGE_BYTES)) };

  const bytes = new Uint8Array(await file.arrayBuffer());
  const contentType = detectImageType(bytes);
  if (!contentType) return { ok: false, message: adminMessages.imageTypeRejected };
  return { ok: true, bytes, contentType };
}
