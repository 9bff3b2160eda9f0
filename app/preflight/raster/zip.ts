// Lists the entries of a ZIP archive from its central directory (APPNOTE.TXT 6.3, sections 4.3.12
// to 4.3.16). Entries are never decompressed.

import type { RangeReader } from "../types";

export interface ZipEntry {
  name: string;
  /** Uncompressed size in bytes. */
  size: number;
}

export class ZipFormatError extends Error {}

const END_RECORD_SIGNATURE = 0x06054b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const CENTRAL_HEADER_SIGNATURE = 0x02014b50;
const END_RECORD_BYTES = 22;
/** The end record is followed by a comment of at most 65 535 bytes. */
const MAX_TAIL_BYTES = END_RECORD_BYTES + 0xffff;
/** Central directories larger than this are not read. */
const MAX_DIRECTORY_BYTES = 8 * 1024 * 1024;
const MAX_ENTRIES = 100_000;

export async function readZipEntries(reader: RangeReader): Promise<ZipEntry[]> {
  const tailStart = Math.max(0, reader.size - MAX_TAIL_BYTES);
  const tail = await reader.read(tailStart, reader.size - tailStart);
  const tailView = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);

  let end = -1;
  for (let position = tail.length - END_RECORD_BYTES; position >= 0; position--) {
    if (tailView.getUint32(position, true) === END_RECORD_SIGNATURE) {
      end = position;
      break;
    }
  }
  if (end < 0) throw new ZipFormatError("end of central directory record not found");

  let entryCount = tailView.getUint16(end + 10, true);
  let directorySize = tailView.getUint32(end + 12, true);
  let directoryOffset = tailView.getUint32(end + 16, true);

  // ZIP64: the locator sits 20 bytes before the end record and points to the ZIP64 end record.
  if (end >= 20 && tailView.getUint32(end - 20, true) === ZIP64_LOCATOR_SIGNATURE) {
    const zip64Offset = Number(tailView.getBigUint64(end - 20 + 8, true));
    const record = await reader.read(zip64Offset, 56);
    if (record.length === 56) {
      const recordView = new DataView(record.buffer, record.byteOffset, 56);
      entryCount = Number(recordView.getBigUint64(32, true));
      directorySize = Number(recordView.getBigUint64(40, true));
      directoryOffset = Number(recordView.getBigUint64(48, true));
    }
  }

  if (directorySize > MAX_DIRECTORY_BYTES || entryCount > MAX_ENTRIES) throw new ZipFormatError("central directory too large");
  const directory = await reader.read(directoryOffset, directorySize);
  if (directory.length < directorySize) throw new ZipFormatError("central directory is cut off");
  const view = new DataView(directory.buffer, directory.byteOffset, directory.byteLength);

  const entries: ZipEntry[] = [];
  let position = 0;
  for (let index = 0; index < entryCount; index++) {
    if (position + 46 > directory.length || view.getUint32(position, true) !== CENTRAL_HEADER_SIGNATURE) {
      throw new ZipFormatError(`central directory entry ${index} is invalid`);
    }
    let size = view.getUint32(position + 24, true);
    const nameLength = view.getUint16(position + 28, true);
    const extraLength = view.getUint16(position + 30, true);
    const commentLength = view.getUint16(position + 32, true);
    const nameBytes = directory.subarray(position + 46, position + 46 + nameLength);
    // NOTE: names without flag bit 11 (UTF-8) are in code page 437 but are decoded as UTF-8 here, so umlauts from old archives may show wrong.
    const name = new TextDecoder("utf-8").decode(nameBytes);

    if (size === 0xffffffff) size = readZip64Size(directory.subarray(position + 46 + nameLength, position + 46 + nameLength + extraLength)) ?? size;
    entries.push({ name, size });
    position += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Reads the uncompressed size from a ZIP64 extended information field (header id 0x0001). */
function readZip64Size(extra: Uint8Array): number | undefined {
  const view = new DataView(extra.buffer, extra.byteOffset, extra.byteLength);
  for (let position = 0; position + 4 <= extra.length; ) {
    const id = view.getUint16(position, true);
    const length = view.getUint16(position + 2, true);
    if (id === 0x0001 && length >= 8) return Number(view.getBigUint64(position + 4, true));
    position += 4 + length;
  }
  return undefined;
}
