import { and, asc, eq, lt } from "drizzle-orm";

import type { Database } from "~/db/client.server";
import { files, multipartUploadParts, multipartUploads, preflightRuns } from "~/db/schema";
import { formatBytes } from "~/format";
import { messages } from "~/messages";
import { reportOrderActivity } from "~/room/staff-feed.server";

import { checkFileHead } from "./check-file";
import { checkFileName } from "./file-name";
import { detectPrintFileType, type UploadPolicy } from "./file-type";
import {
  MAX_PART_BYTES,
  MAX_PART_COUNT,
  MIN_PART_BYTES,
  MULTIPART_UPLOAD_EXPIRY_MS,
} from "./limits";
import { PDF_HEADER_SEARCH_LENGTH } from "./pdf-signature";
import { findIdenticalFile, recordUploadedFile, type UploadActor, type UploadEnvironment } from "./record-file.server";
import { readHead } from "./store-print-file.server";

// Resumable uploads through the Worker: the browser creates an upload, sends
// its parts as separate requests (in parallel, each retried on its own), can
// ask which parts arrived after a reload, and completes it. R2 keeps the
// parts of its multipart upload; D1 keeps the upload and its finished parts,
// so that every request can be checked against what was announced.

export type MultipartResult<T> = { ok: true; status: 200 | 201; body: T } | { ok: false; status: 400 | 404 | 409 | 413 | 500; message: string };

export interface CreateUploadRequest {
  fileName: string;
  size: number;
  partSize: number;
  /** SHA-256 in lowercase hex, when the browser computed it before the upload. */
  sha256?: string;
}

export interface UploadSummary {
  uploadId: string;
  fileId: string;
  fileName: string;
  size: number;
  partSize: number;
  partCount: number;
  expiresAt: number;
  parts: { partNumber: number; size: number }[];
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

type UploadRow = typeof multipartUploads.$inferSelect;

function fail(status: 400 | 404 | 409 | 413 | 500, message: string): { ok: false; status: typeof status; message: string } {
  return { ok: false, status, message };
}

/** Size of part `partNumber` (1-based): every part but the last is exactly `partSize`. */
export function expectedPartSize(upload: Pick<UploadRow, "size" | "partSize" | "partCount">, partNumber: number): number {
  return partNumber < upload.partCount ? upload.partSize : upload.size - (upload.partCount - 1) * upload.partSize;
}

/**
 * Where an upload request comes from: the order, and for a share-link upload
 * the link, which can access only the uploads started through it.
 */
export interface UploadScope {
  orderId: string;
  shareLinkId?: string;
}

async function findUpload(db: Database, scope: UploadScope, uploadId: string): Promise<UploadRow | undefined> {
  const upload = await db
    .select()
    .from(multipartUploads)
    .where(and(eq(multipartUploads.id, uploadId), eq(multipartUploads.orderId, scope.orderId)))
    .get();
  if (upload && scope.shareLinkId !== undefined && upload.shareLinkId !== scope.shareLinkId) return undefined;
  return upload;
}

async function listPartRows(db: Database, uploadId: string) {
  return db
    .select()
    .from(multipartUploadParts)
    .where(eq(multipartUploadParts.uploadId, uploadId))
    .orderBy(asc(multipartUploadParts.partNumber));
}

async function deleteUploadRows(db: Database, uploadId: string) {
  await db.batch([
    db.delete(multipartUploadParts).where(eq(multipartUploadParts.uploadId, uploadId)),
    db.delete(multipartUploads).where(eq(multipartUploads.id, uploadId)),
  ]);
}

/** Aborts the R2 multipart upload and deletes its rows. A failed R2 abort is only logged, because R2 expires the parts itself. */
async function discardUpload(env: UploadEnvironment, db: Database, upload: UploadRow, reason: string) {
  try {
    await env.FILES.resumeMultipartUpload(upload.r2Key, upload.r2UploadId).abort();
  } catch (error) {
    console.warn("upload: aborting R2 multipart upload failed", { uploadId: upload.id, error: String(error) });
  }
  await deleteUploadRows(db, upload.id);
  await reportOrderActivity(env, {
    type: "upload",
    orderId: upload.orderId,
    fileId: upload.fileId,
    originalName: upload.originalName,
    state: "failed",
  });
  console.info("upload: multipart upload discarded", { orderId: upload.orderId, uploadId: upload.id, reason });
}

/**
 * Checks the announced file against the policy (the shop's limits, or a share
 * link's lower size limit) and starts an R2 multipart upload with a D1 row.
 */
export async function createMultipartUpload(
  env: UploadEnvironment,
  db: Database,
  orderId: string,
  actor: UploadActor,
  policy: UploadPolicy,
  request: CreateUploadRequest,
): Promise<MultipartResult<UploadSummary>> {
  const name = checkFileName(request.fileName);
  if (!name.ok) return fail(400, name.message);

  if (!Number.isSafeInteger(request.size) || request.size < 0) return fail(400, messages.uploadLengthMissing);
  if (request.size === 0) return fail(400, messages.uploadEmpty);
  if (request.size > policy.maxBytes) return fail(413, messages.uploadTooLarge(formatBytes(policy.maxBytes)));

  const partSizeMessage = messages.uploadPartSizeInvalid(formatBytes(MIN_PART_BYTES), formatBytes(MAX_PART_BYTES));
  if (!Number.isSafeInteger(request.partSize) || request.partSize < MIN_PART_BYTES || request.partSize > MAX_PART_BYTES) {
    return fail(400, partSizeMessage);
  }
  const partCount = Math.ceil(request.size / request.partSize);
  if (partCount > MAX_PART_COUNT) return fail(400, partSizeMessage);

  if (request.sha256 !== undefined) {
    if (!SHA256_HEX.test(request.sha256)) return fail(400, messages.uploadChecksumInvalid);
    if (await findIdenticalFile(db, orderId, request.size, request.sha256)) return fail(409, messages.uploadDuplicate);
  }

  const uploadId = crypto.randomUUID();
  const fileId = crypto.randomUUID();
  const r2Key = `orders/${orderId}/files/${fileId}`;
  const multipart = await env.FILES.createMultipartUpload(r2Key);
  const createdAt = Date.now();
  try {
    await db.insert(multipartUploads).values({
      id: uploadId,
      orderId,
      fileId,
      r2Key,
      r2UploadId: multipart.uploadId,
      originalName: name.name,
      size: request.size,
      partSize: request.partSize,
      partCount,
      clientSha256: request.sha256 ?? null,
      createdBy: actor.userId,
      shareLinkId: actor.shareLinkId ?? null,
      uploaderName: actor.uploaderName ?? null,
      acceptedTypes: [...policy.acceptedTypes],
      createdAt,
    });
  } catch (error) {
    await multipart.abort();
    console.error("upload: recording multipart upload failed", { orderId, uploadId, error: String(error) });
    return fail(500, messages.uploadFailed);
  }

  await reportOrderActivity(env, { type: "upload", orderId, fileId, originalName: name.name, state: "started" });
  console.info("upload: multipart upload created", { orderId, uploadId, fileId, size: request.size, partCount });
  return {
    ok: true,
    status: 201,
    body: {
      uploadId,
      fileId,
      fileName: name.name,
      size: request.size,
      partSize: request.partSize,
      partCount,
      expiresAt: createdAt + MULTIPART_UPLOAD_EXPIRY_MS,
      parts: [],
    },
  };
}

export interface UploadPartRequest {
  scope: UploadScope;
  uploadId: string;
  partNumber: number;
  /** The request's Content-Length; null when it was missing. */
  contentLength: number | null;
  body: ReadableStream<Uint8Array>;
}

/**
 * Streams one part into the R2 multipart upload and records it. The part's
 * announced length must equal its expected size, and the stream must carry
 * exactly that many bytes. The first part's first bytes decide the file type;
 * a type the portal does not accept aborts the whole upload. Sending a part
 * again replaces it.
 */
export async function uploadPart(
  env: UploadEnvironment,
  db: Database,
  request: UploadPartRequest,
): Promise<MultipartResult<{ partNumber: number; size: number }>> {
  const upload = await findUpload(db, request.scope, request.uploadId);
  if (!upload) {
    await request.body.cancel();
    return fail(404, messages.uploadNotFound);
  }
  if (!Number.isSafeInteger(request.partNumber) || request.partNumber < 1 || request.partNumber > upload.partCount) {
    await request.body.cancel();
    return fail(400, messages.uploadPartNumberInvalid(upload.partCount));
  }
  const size = expectedPartSize(upload, request.partNumber);
  if (request.contentLength !== size) {
    await request.body.cancel();
    return fail(400, messages.uploadPartWrongSize(request.partNumber, size));
  }

  const reader = request.body.getReader();
  let head: Uint8Array = new Uint8Array(0);
  if (request.partNumber === 1) {
    head = await readHead(reader, Math.min(PDF_HEADER_SEARCH_LENGTH, size));
    const problem = checkFileHead(head, upload.originalName, { acceptedTypes: upload.acceptedTypes });
    if (problem) {
      await reader.cancel();
      await discardUpload(env, db, upload, "file type rejected");
      return fail(400, problem);
    }
  }

  let etag: string;
  try {
    etag = await streamPart(env.FILES.resumeMultipartUpload(upload.r2Key, upload.r2UploadId), request.partNumber, size, head, reader);
  } catch (error) {
    console.warn("upload: part incomplete", { uploadId: upload.id, partNumber: request.partNumber, error: String(error) });
    return fail(400, messages.uploadIncomplete);
  }

  const now = Date.now();
  const partRow = { uploadId: upload.id, partNumber: request.partNumber, etag, size, createdAt: now };
  const recordPart = db
    .insert(multipartUploadParts)
    .values(partRow)
    .onConflictDoUpdate({
      target: [multipartUploadParts.uploadId, multipartUploadParts.partNumber],
      set: { etag, size, createdAt: now },
    });
  try {
    if (request.partNumber === 1) {
      const contentType = detectPrintFileType(head);
      await db.batch([recordPart, db.update(multipartUploads).set({ contentType }).where(eq(multipartUploads.id, upload.id))]);
    } else {
      await recordPart;
    }
  } catch (error) {
    // The upload was aborted or expired while the part was on its way.
    console.warn("upload: recording part failed", { uploadId: upload.id, partNumber: request.partNumber, error: String(error) });
    return fail(404, messages.uploadNotFound);
  }
  return { ok: true, status: 200, body: { partNumber: request.partNumber, size } };
}

/**
 * Sends the already read head and the rest of the body as one part. The
 * fixed-length stream makes R2 reject a body shorter or longer than
 * announced. Returns the part's etag.
 */
async function streamPart(
  multipart: R2MultipartUpload,
  partNumber: number,
  size: number,
  head: Uint8Array,
  rest: ReadableStreamDefaultReader<Uint8Array>,
): Promise<string> {
  const body = new FixedLengthStream(size);
  const writer = body.writable.getWriter();

  const pump = async () => {
    try {
      if (head.byteLength > 0) await writer.write(head);
      for (;;) {
        const { done, value } = await rest.read();
        if (done) break;
        await writer.write(value);
      }
      await writer.close();
    } catch (error) {
      await Promise.allSettled([writer.abort(error), rest.cancel(error)]);
      throw error;
    }
  };

  const [part] = await Promise.all([multipart.uploadPart(partNumber, body.readable), pump()]);
  return part.etag;
}

/** Returns the upload and its finished parts, so that a browser can resume after a reload. */
export async function getMultipartUpload(
  db: Database,
  scope: UploadScope,
  uploadId: string,
): Promise<MultipartResult<UploadSummary>> {
  const upload = await findUpload(db, scope, uploadId);
  if (!upload) return fail(404, messages.uploadNotFound);

  const parts = await listPartRows(db, upload.id);
  return {
    ok: true,
    status: 200,
    body: {
      uploadId: upload.id,
      fileId: upload.fileId,
      fileName: upload.originalName,
      size: upload.size,
      partSize: upload.partSize,
      partCount: upload.partCount,
      expiresAt: upload.createdAt + MULTIPART_UPLOAD_EXPIRY_MS,
      parts: parts.map((part) => ({ partNumber: part.partNumber, size: part.size })),
    },
  };
}

export interface CompleteUploadRequest {
  scope: UploadScope;
  uploadId: string;
  /** SHA-256 of the whole file in lowercase hex, computed by the browser while it read the parts. */
  sha256: string;
}

export interface CompletedUpload {
  fileId: string;
  runId: string | null;
  duplicate: boolean;
}

/**
 * Completes the upload once every part is there with its expected size, and
 * records the file like a single-request upload: a file row, and for a PDF a
 * queued preflight run. Completing the same upload again returns the file.
 */
export async function completeMultipartUpload(
  env: UploadEnvironment,
  db: Database,
  request: CompleteUploadRequest,
): Promise<MultipartResult<CompletedUpload>> {
  const completed = await findCompletedFile(db, request.scope.orderId, request.uploadId);
  if (completed) return { ok: true, status: 200, body: { ...completed, duplicate: true } };

  const upload = await findUpload(db, request.scope, request.uploadId);
  if (!upload) return fail(404, messages.uploadNotFound);
  if (!SHA256_HEX.test(request.sha256)) return fail(400, messages.uploadChecksumInvalid);

  const parts = await listPartRows(db, upload.id);
  const received = new Set(parts.map((part) => part.partNumber));
  const missing: number[] = [];
  for (let partNumber = 1; partNumber <= upload.partCount; partNumber++) {
    if (!received.has(partNumber)) missing.push(partNumber);
  }
  if (missing.length > 0) return fail(409, messages.uploadPartsMissing(formatPartNumbers(missing)));

  const wrongPart = parts.find((part) => part.size !== expectedPartSize(upload, part.partNumber));
  const total = parts.reduce((sum, part) => sum + part.size, 0);
  if (wrongPart || total !== upload.size || !upload.contentType) {
    const partNumber = wrongPart?.partNumber ?? upload.partCount;
    return fail(409, messages.uploadPartWrongSize(partNumber, expectedPartSize(upload, partNumber)));
  }

  // R2 computes no SHA-256 for multipart objects, so the server trusts the
  // browser's hash here. It is used to recognise the same file again, never
  // as proof of the content.
  if (await findIdenticalFile(db, upload.orderId, upload.size, request.sha256)) {
    await discardUpload(env, db, upload, "identical file exists");
    return fail(409, messages.uploadDuplicate);
  }

  try {
    await env.FILES.resumeMultipartUpload(upload.r2Key, upload.r2UploadId).complete(
      parts.map((part) => ({ partNumber: part.partNumber, etag: part.etag })),
    );
  } catch (error) {
    // A second completion request may have won the race.
    const winner = await findCompletedFile(db, request.scope.orderId, request.uploadId);
    if (winner) return { ok: true, status: 200, body: { ...winner, duplicate: true } };
    console.error("upload: completing R2 multipart upload failed", { uploadId: upload.id, error: String(error) });
    return fail(500, messages.uploadFailed);
  }

  const recorded = await recordUploadedFile(env, db, {
    orderId: upload.orderId,
    uploadId: upload.id,
    fileId: upload.fileId,
    r2Key: upload.r2Key,
    fileName: upload.originalName,
    size: upload.size,
    sha256: request.sha256,
    contentType: upload.contentType,
    actor: { userId: upload.createdBy, shareLinkId: upload.shareLinkId, uploaderName: upload.uploaderName },
  });
  await deleteUploadRows(db, upload.id);
  if (!recorded.ok) return fail(500, messages.uploadFailed);
  return {
    ok: true,
    status: recorded.duplicate ? 200 : 201,
    body: { fileId: recorded.fileId, runId: recorded.runId, duplicate: recorded.duplicate },
  };
}

/** "1, 2, 5" for up to ten part numbers, then "1, 2, … (12 Teile)". */
function formatPartNumbers(partNumbers: number[]): string {
  if (partNumbers.length <= 10) return partNumbers.join(", ");
  return `${partNumbers.slice(0, 10).join(", ")} … (${partNumbers.length} Teile)`;
}

async function findCompletedFile(db: Database, orderId: string, uploadId: string) {
  const row = await db
    .select({ fileId: files.id, runId: preflightRuns.id })
    .from(files)
    .leftJoin(preflightRuns, eq(preflightRuns.fileId, files.id))
    .where(and(eq(files.uploadId, uploadId), eq(files.orderId, orderId)))
    .get();
  return row ? { fileId: row.fileId, runId: row.runId } : null;
}

/** Aborts an upload at the browser's request. */
export async function abortMultipartUpload(
  env: UploadEnvironment,
  db: Database,
  scope: UploadScope,
  uploadId: string,
): Promise<MultipartResult<{ uploadId: string }>> {
  const upload = await findUpload(db, scope, uploadId);
  if (!upload) return fail(404, messages.uploadNotFound);
  await discardUpload(env, db, upload, "aborted by the browser");
  return { ok: true, status: 200, body: { uploadId } };
}

/**
 * Aborts every multipart upload created more than 24 hours before `now` and
 * deletes its rows. The scheduled handler calls it; returns how many it aborted.
 */
export async function abortExpiredUploads(env: UploadEnvironment, db: Database, now = Date.now()): Promise<number> {
  const expired = await db
    .select()
    .from(multipartUploads)
    .where(lt(multipartUploads.createdAt, now - MULTIPART_UPLOAD_EXPIRY_MS));
  for (const upload of expired) {
    await discardUpload(env, db, upload, "expired");
  }
  if (expired.length > 0) console.info("upload: expired multipart uploads aborted", { count: expired.length });
  return expired.length;
}
