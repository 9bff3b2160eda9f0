// Error classes of the reader. Everything that a damaged or unusual file can cause extends
// PdfFormatError, so callers can tell file problems from failures of the reader or the engine.

export class PdfFormatError extends Error {}

export class PdfSyntaxError extends PdfFormatError {}

export class UnsupportedFilterError extends PdfFormatError {}

export class DecryptionError extends PdfFormatError {}

/** The file has no usable PDF structure at all. */
export class UnreadableFileError extends PdfFormatError {}

/** The file is encrypted and the empty user password does not open it. */
export class PasswordRequiredError extends Error {}

/** The file uses a security handler or revision that the reader does not implement. */
export class UnsupportedEncryptionError extends Error {}

/** Returns whether an error comes from the file's content, not from the reader or the engine. */
export function isFormatError(error: unknown): boolean {
  // RangeError covers typed-array access with offsets or lengths taken from a damaged file.
  return error instanceof PdfFormatError || error instanceof RangeError;
}
