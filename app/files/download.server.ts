import { contentDisposition } from "~/content-disposition";
import { messages } from "~/messages";

import { parseByteRange, type ByteRange } from "./byte-range";

export interface StoredFile {
  r2Key: string;
  /** File name as uploaded, sent in Content-Disposition. */
  originalName: string;
  /** MIME type recorded at upload; null for files from before multipart uploads, which are all PDFs. */
  contentType?: string | null;
}

/**
 * Streams a stored file from R2: inline, or as an attachment with
 * `?download=1`. Sends a single byte range with status 206, because pdf.js loads
 * large files range by range. Returns null when the R2 object is missing.
 */
export async function respondWithFile(bucket: R2Bucket, file: StoredFile, request: Request): Promise<Response | null> {
  const url = new URL(request.url);
  const disposition = url.searchParams.get("download") === "1" ? "attachment" : "inline";
  const rangeHeader = request.headers.get("Range");

  if (rangeHeader === null) {
    const object = await bucket.get(file.r2Key);
    if (!object) return null;
    const headers = fileHeaders(object, file, disposition);
    headers.set("Content-Length", String(object.size));
    return new Response(object.body, { status: 200, headers });
  }

  // The size is needed to check the range before reading, so a ranged request costs one HEAD more.
  const head = await bucket.head(file.r2Key);
  if (!head) return null;
  const range = rangeToServe(rangeHeader, request.headers.get("If-Range"), head);

  if (range === "unsatisfiable") {
    const headers = fileHeaders(head, file, disposition);
    headers.set("Content-Range", `bytes */${head.size}`);
    headers.set("Content-Type", "text/plain; charset=utf-8");
    headers.delete("Content-Disposition");
    return new Response(messages.fileRangeInvalid, { status: 416, headers });
  }

  // NOTE: R2 keys of print files are never overwritten, so the object read
  // here is the one measured by HEAD above.
  const object = await bucket.get(file.r2Key, range ? { range } : undefined);
  if (!object) return null;

  const headers = fileHeaders(object, file, disposition);
  if (!range) {
    headers.set("Content-Length", String(object.size));
    return new Response(object.body, { status: 200, headers });
  }
  headers.set("Content-Length", String(range.length));
  headers.set("Content-Range", `bytes ${range.offset}-${range.offset + range.length - 1}/${object.size}`);
  return new Response(object.body, { status: 206, headers });
}

/** Returns the range to send, or null for the whole file when If-Range names another version of it. */
function rangeToServe(rangeHeader: string, ifRange: string | null, head: R2Object): ByteRange | "unsatisfiable" | null {
  if (ifRange !== null && ifRange !== head.httpEtag) return null;
  return parseByteRange(rangeHeader, head.size);
}

function fileHeaders(object: R2Object, file: StoredFile, disposition: "inline" | "attachment"): Headers {
  // Multipart uploads store no content type in R2, because it is decided from the first part after creation.
  return new Headers({
    "Content-Type": object.httpMetadata?.contentType ?? file.contentType ?? "application/pdf",
    "Content-Disposition": contentDisposition(disposition, file.originalName),
    "Accept-Ranges": "bytes",
    "Cache-Control": "private",
    ETag: object.httpEtag,
    "X-Content-Type-Options": "nosniff",
  });
}
