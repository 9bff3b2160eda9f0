// Stream filters needed to read cross-reference streams and object streams (PDF 32000-1:2008, section 7.4).

import { PdfSyntaxError, UnsupportedFilterError } from "./errors";
import { dictOf, nameValue, numberValue, type PdfObject } from "./objects";

/** Upper bound for one decoded stream, so a zip bomb cannot exhaust the Worker's memory. */
export const MAX_DECODED_BYTES = 32 * 1024 * 1024;

/**
 * Applies the stream's /Filter chain. Only FlateDecode (with PNG or TIFF predictors) is supported,
 * because cross-reference and object streams use nothing else in practice.
 */
export async function decodeStreamData(
  data: Uint8Array,
  filter: PdfObject | undefined,
  decodeParms: PdfObject | undefined,
): Promise<Uint8Array> {
  const filters = toArray(filter);
  const parmsList = toArray(decodeParms);

  let result = data;
  for (let index = 0; index < filters.length; index++) {
    const name = nameValue(filters[index]);
    if (name !== "FlateDecode" && name !== "Fl") {
      throw new UnsupportedFilterError(`unsupported stream filter ${name ?? "(not a name)"}`);
    }
    result = await inflate(result);
    result = applyPredictor(result, dictOf(parmsList[index] ?? undefined)?.entries);
  }
  return result;
}

/** Returns an array as it is, a single object as a one-element array and a missing value as an empty array. */
function toArray(value: PdfObject | undefined): PdfObject[] {
  if (Array.isArray(value)) return value;
  if (value === undefined || value === null) return [];
  return [value];
}

/**
 * Inflates zlib data with DecompressionStream. Truncated or corrupt data is not an error:
 * the bytes inflated before the failure are returned.
 */
export async function inflate(data: Uint8Array): Promise<Uint8Array> {
  const zlibResult = await inflateWith("deflate", data);
  if (zlibResult.length > 0 || data.length === 0) return zlibResult;

  // Some writers omit the two-byte zlib header: retry as raw deflate data.
  return inflateWith("deflate-raw", data);
}

async function inflateWith(format: "deflate" | "deflate-raw", data: Uint8Array): Promise<Uint8Array> {
  const stream = new DecompressionStream(format);
  const writer = stream.writable.getWriter();
  const reader = stream.readable.getReader();

  // Write errors surface again on the read side; catching them here avoids unhandled rejections.
  writer.write(data as Uint8Array<ArrayBuffer>).catch(() => undefined);
  writer.close().catch(() => undefined);

  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      total += value.length;
      if (total > MAX_DECODED_BYTES) {
        await reader.cancel().catch(() => undefined);
        throw new PdfSyntaxError(`decoded stream is larger than ${MAX_DECODED_BYTES} bytes`);
      }
    }
  } catch (error) {
    if (error instanceof PdfSyntaxError) throw error;
    // Corrupt or truncated data: keep what was inflated so far.
  }

  return concatBytes(chunks, total);
}

export function concatBytes(chunks: Uint8Array[], total = chunks.reduce((sum, chunk) => sum + chunk.length, 0)): Uint8Array {
  const out = new Uint8Array(total);
  let position = 0;
  for (const chunk of chunks) {
    out.set(chunk, position);
    position += chunk.length;
  }
  return out;
}

function applyPredictor(data: Uint8Array, parms: Map<string, PdfObject> | undefined): Uint8Array {
  const predictor = numberValue(parms?.get("Predictor")) ?? 1;
  if (predictor === 1) return data;

  const colors = numberValue(parms?.get("Colors")) ?? 1;
  const bitsPerComponent = numberValue(parms?.get("BitsPerComponent")) ?? 8;
  const columns = numberValue(parms?.get("Columns")) ?? 1;
  const bytesPerPixel = Math.max(1, Math.ceil((colors * bitsPerComponent) / 8));
  const rowBytes = Math.ceil((colors * bitsPerComponent * columns) / 8);
  if (rowBytes <= 0 || rowBytes > MAX_DECODED_BYTES) throw new PdfSyntaxError(`invalid predictor row size ${rowBytes}`);

  if (predictor === 2) return undoTiffPredictor(data, rowBytes, bytesPerPixel, bitsPerComponent);
  if (predictor >= 10) return undoPngPredictor(data, rowBytes, bytesPerPixel);
  throw new UnsupportedFilterError(`unsupported predictor ${predictor}`);
}

/** Reverses PNG row filters (RFC 2083, section 6); every row starts with its filter type byte. */
function undoPngPredictor(data: Uint8Array, rowBytes: number, bytesPerPixel: number): Uint8Array {
  const rowCount = Math.floor(data.length / (rowBytes + 1));
  const out = new Uint8Array(rowCount * rowBytes);
  let previous = new Uint8Array(rowBytes);

  for (let row = 0; row < rowCount; row++) {
    const filterType = data[row * (rowBytes + 1)];
    const input = data.subarray(row * (rowBytes + 1) + 1, (row + 1) * (rowBytes + 1));
    const current = out.subarray(row * rowBytes, (row + 1) * rowBytes);

    for (let i = 0; i < rowBytes; i++) {
      const left = i >= bytesPerPixel ? current[i - bytesPerPixel] : 0;
      const up = previous[i];
      const upLeft = i >= bytesPerPixel ? previous[i - bytesPerPixel] : 0;
      current[i] = (input[i] + predictPng(filterType, left, up, upLeft)) & 0xff;
    }
    previous = current;
  }
  return out;
}

function predictPng(filterType: number, left: number, up: number, upLeft: number): number {
  switch (filterType) {
    case 1:
      return left;
    case 2:
      return up;
    case 3:
      return (left + up) >> 1;
    case 4: {
      const estimate = left + up - upLeft;
      const distanceLeft = Math.abs(estimate - left);
      const distanceUp = Math.abs(estimate - up);
      const distanceUpLeft = Math.abs(estimate - upLeft);
      if (distanceLeft <= distanceUp && distanceLeft <= distanceUpLeft) return left;
      return distanceUp <= distanceUpLeft ? up : upLeft;
    }
    default:
      return 0;
  }
}

function undoTiffPredictor(data: Uint8Array, rowBytes: number, bytesPerPixel: number, bitsPerComponent: number): Uint8Array {
  if (bitsPerComponent !== 8) throw new UnsupportedFilterError(`unsupported TIFF predictor with ${bitsPerComponent} bits`);

  const out = Uint8Array.from(data);
  for (let rowStart = 0; rowStart + rowBytes <= out.length; rowStart += rowBytes) {
    for (let i = bytesPerPixel; i < rowBytes; i++) {
      out[rowStart + i] = (out[rowStart + i] + out[rowStart + i - bytesPerPixel]) & 0xff;
    }
  }
  return out;
}
