// Decoded content-stream data in chunks, so that a large page content stream is never held
// decoded as a whole: FlateDecode streams are inflated piece by piece while the interpreter runs.

import type { PdfDocument } from "../reader/document";
import { MAX_DECODED_BYTES } from "../reader/filters";
import { PdfRef, dictOf, nameValue, numberValue, type PdfObject, type PdfStream } from "../reader/objects";

/**
 * Yields the decoded data of a content stream. A stream with no filter or with FlateDecode alone
 * (without predictor) comes in chunks. The reader decodes any other filter chain as a whole.
 * Corrupt or truncated Flate data ends the stream after the bytes inflated so far.
 */
export async function* readContentChunks(document: PdfDocument, stream: PdfStream, value: PdfObject | undefined): AsyncGenerator<Uint8Array> {
  const ref = value instanceof PdfRef ? value : undefined;
  const filter = await document.resolve(stream.dict.get("Filter"));
  const filters = toArray(filter);

  if (filters.length === 0) {
    yield await document.readEncodedStream(stream, ref);
    return;
  }
  if (filters.length > 1 || !isFlate(nameValue(filters[0])) || (await hasPredictor(document, stream))) {
    yield await document.readStream(stream, ref);
    return;
  }

  const encoded = await document.readEncodedStream(stream, ref);
  let inflated = 0;
  for await (const chunk of inflateChunks("deflate", encoded)) {
    inflated += chunk.length;
    yield chunk;
    if (inflated > MAX_DECODED_BYTES) return;
  }
  // Some writers omit the two-byte zlib header: then nothing inflates, and raw deflate is tried.
  if (inflated === 0 && encoded.length > 0) {
    for await (const chunk of inflateChunks("deflate-raw", encoded)) {
      inflated += chunk.length;
      yield chunk;
      if (inflated > MAX_DECODED_BYTES) return;
    }
  }
}

const INPUT_SLICE_BYTES = 16 * 1024;

function toArray(value: PdfObject | undefined): PdfObject[] {
  if (Array.isArray(value)) return value;
  if (value === undefined || value === null) return [];
  return [value];
}

function isFlate(name: string | undefined): boolean {
  return name === "FlateDecode" || name === "Fl";
}

async function hasPredictor(document: PdfDocument, stream: PdfStream): Promise<boolean> {
  const parms = await document.resolve(stream.dict.get("DecodeParms"));
  const first = Array.isArray(parms) ? parms[0] : parms;
  const predictor = numberValue(await document.resolve(dictOf(first ?? undefined)?.get("Predictor")));
  return predictor !== undefined && predictor > 1;
}

async function* inflateChunks(format: "deflate" | "deflate-raw", data: Uint8Array): AsyncGenerator<Uint8Array> {
  const stream = new DecompressionStream(format);
  const writer = stream.writable.getWriter();
  const reader = stream.readable.getReader();
  // Input goes in slices, each written once the inflater has taken the previous one, so the
  // inflated output waits in the stream's queue only until the interpreter reads it.
  // Write errors surface again on the read side; catching them here avoids unhandled rejections.
  void (async () => {
    for (let offset = 0; offset < data.length; offset += INPUT_SLICE_BYTES) {
      await writer.write(data.subarray(offset, offset + INPUT_SLICE_BYTES) as Uint8Array<ArrayBuffer>);
    }
    await writer.close();
  })().catch(() => undefined);

  try {
    for (;;) {
      let result: ReadableStreamReadResult<Uint8Array>;
      try {
        result = await reader.read();
      } catch {
        // Corrupt or truncated data: the chunks already yielded stay valid.
        return;
      }
      if (result.done) return;
      yield result.value;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}
