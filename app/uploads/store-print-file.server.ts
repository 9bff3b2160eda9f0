import { encodeHexLowerCase } from "@oslojs/encoding";
import type { SessionUser } from "~/auth/session.server";
import type { Database } from "~/db/client.server";
import { formatBytes } from "~/format";
import { messages } from "~/messages";
import { reportOrderActivity } from "~/room/staff-feed.server";

import { MAX_SINGLE_UPLOAD_BYTES } from "./limits";
import { findPdfHeader, PDF_HEADER_SEARCH_LENGTH } from "./pdf-signature";
import { findFileByUploadId, recordUploadedFile, type UploadEnvironment } from "./record-file.server";

export interface PrintFileUpload {
  orderId: string;
  uploadId: string;
  fileName: string;
  size: number;
  body: ReadableStream<Uint8Array>;
  user: SessionUser;
  /** The shop's size limit, when it is below the single-request limit. */
  maxBytes?: number;
}

export type StorePrintFileResult =
  | { ok: true; fileId: string; runId: string; duplicate: boolean }
  | { ok: false; status: 400 | 413 | 500; message: string };

/**
 * Stores an uploaded print file in R2, records it with a queued preflight run
 * and puts the run on the preflight queue. The body is streamed, never held in
 * memory whole. A request repeated with the same upload id stores nothing new
 * and returns the first file. A rejected upload leaves no object and no row.
 */
export async function storePrintFile(
  env: UploadEnvironment,
  db: Database,
  upload: PrintFileUpload,
): Promise<StorePrintFileResult> {
  const existing = await findFileByUploadId(db, upload.uploadId);
  if (existing) return { ok: true, fileId: existing.fileId, runId: existing.runId ?? "", duplicate: true };

  if (upload.size === 0) return { ok: false, status: 400, message: messages.uploadEmpty };
  const maxBytes = Math.min(upload.maxBytes ?? MAX_SINGLE_UPLOAD_BYTES, MAX_SINGLE_UPLOAD_BYTES);
  if (upload.size > maxBytes) return { ok: false, status: 413, message: messages.uploadTooLarge(formatBytes(maxBytes)) };

  const reader = upload.body.getReader();
  const head = await readHead(reader, Math.min(PDF_HEADER_SEARCH_LENGTH, upload.size));
  if (findPdfHeader(head) < 0) {
    await reader.cancel();
    return { ok: false, status: 400, message: messages.uploadNotPdf };
  }

  const fileId = crypto.randomUUID();
  const r2Key = `orders/${upload.orderId}/files/${fileId}`;
  const uploadActivity = { type: "upload", orderId: upload.orderId, fileId, originalName: upload.fileName } as const;
  await reportOrderActivity(env, { ...uploadActivity, state: "started" });

  let sha256: string;
  try {
    sha256 = await streamToBucket(env.FILES, r2Key, upload.size, head, reader);
  } catch (error) {
    console.warn("upload: body incomplete", { orderId: upload.orderId, uploadId: upload.uploadId, error: String(error) });
    await env.FILES.delete(r2Key);
    await reportOrderActivity(env, { ...uploadActivity, state: "failed" });
    return { ok: false, status: 400, message: messages.uploadIncomplete };
  }

  const recorded = await recordUploadedFile(env, db, {
    orderId: upload.orderId,
    uploadId: upload.uploadId,
    fileId,
    r2Key,
    fileName: upload.fileName,
    size: upload.size,
    sha256,
    contentType: "application/pdf",
    actor: { userId: upload.user.id },
  });
  if (!recorded.ok) return { ok: false, status: 500, message: messages.uploadFailed };
  return { ok: true, fileId: recorded.fileId, runId: recorded.runId ?? "", duplicate: recorded.duplicate };
}

/** Reads from the stream until `length` bytes are buffered or the stream ends. */
export async function readHead(reader: ReadableStreamDefaultReader<Uint8Array>, length: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  while (total < length) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    total += value.byteLength;
  }
  return concatChunks(chunks, total);
}

function concatChunks(chunks: Uint8Array[], total: number): Uint8Array {
  const result = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    result.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return result;
}

// Workers provide DigestStream on `crypto`; the DOM typings that this project
// also loads for its pages hide that property.
const WorkersDigestStream = (crypto as Crypto & { DigestStream: typeof DigestStream }).DigestStream;

/**
 * Writes the already read head and the rest of the body to R2 while hashing
 * it. The fixed-length stream makes R2 reject a body shorter or longer than
 * announced, so a broken connection stores nothing. Returns the SHA-256 in hex.
 */
async function streamToBucket(
  bucket: R2Bucket,
  key: string,
  size: number,
  head: Uint8Array,
  rest: ReadableStreamDefaultReader<Uint8Array>,
): Promise<string> {
  const body = new FixedLengthStream(size);
  const digest = new WorkersDigestStream("SHA-256");
  const bodyWriter = body.writable.getWriter();
  const digestWriter = digest.getWriter();

  const pump = async () => {
    try {
      await Promise.all([bodyWriter.write(head), digestWriter.write(head)]);
      for (;;) {
        const { done, value } = await rest.read();
        if (done) break;
        await Promise.all([bodyWriter.write(value), digestWriter.write(value)]);
      }
      await Promise.all([bodyWriter.close(), digestWriter.close()]);
    } catch (error) {
      await Promise.allSettled([bodyWriter.abort(error), digestWriter.abort(error), rest.cancel(error)]);
      throw error;
    }
  };

  await Promise.all([
    bucket.put(key, body.readable, { httpMetadata: { contentType: "application/pdf" } }),
    pump(),
  ]);
  return encodeHexLowerCase(new Uint8Array(await digest.digest));
}
