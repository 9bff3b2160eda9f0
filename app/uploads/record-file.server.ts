import { and, eq } from "drizzle-orm";

import type { Database } from "~/db/client.server";
import { files, preflightRuns } from "~/db/schema";
import { enqueuePreflight } from "~/jobs/preflight-job";
import { publishToOrderRoom } from "~/room/publish.server";
import { reportOrderActivity } from "~/room/staff-feed.server";

import type { PrintFileType } from "./file-type";

export type UploadEnvironment = Pick<Env, "FILES" | "PREFLIGHT_QUEUE" | "OrderRoom" | "StaffFeed">;

/**
 * Who uploads: a signed-in user, or someone with a share link. For a link,
 * `userId` is the link's creator, who is responsible for the upload; the file row
 * then names the link and the name the uploader typed, not the creator.
 */
export interface UploadActor {
  userId: string;
  shareLinkId?: string | null;
  uploaderName?: string | null;
}

/** A print file whose bytes are already stored in R2 under `r2Key`. */
export interface StoredPrintFile {
  orderId: string;
  uploadId: string;
  fileId: string;
  r2Key: string;
  fileName: string;
  size: number;
  sha256: string;
  contentType: PrintFileType;
  actor: UploadActor;
}

export type RecordFileResult =
  | { ok: true; fileId: string; runId: string | null; duplicate: boolean }
  | { ok: false };

/**
 * Records a stored print file: the file row and, for a PDF, a queued
 * preflight run in one `db.batch`, then the queue message, the room's
 * `file.added` event and the staff feed's activity. Other types get no run,
 * so the page shows them as not checked. When the upload id was recorded
 * before (a repeated request), the R2 object is deleted and the first file is
 * returned. On any other failure the object is deleted and nothing is recorded.
 */
export async function recordUploadedFile(
  env: UploadEnvironment,
  db: Database,
  file: StoredPrintFile,
): Promise<RecordFileResult> {
  const runId = file.contentType === "application/pdf" ? crypto.randomUUID() : null;
  const uploadActivity = { type: "upload", orderId: file.orderId, fileId: file.fileId, originalName: file.fileName } as const;
  const now = Date.now();

  const fileRow = db.insert(files).values({
    id: file.fileId,
    orderId: file.orderId,
    uploadId: file.uploadId,
    r2Key: file.r2Key,
    originalName: file.fileName,
    size: file.size,
    sha256: file.sha256,
    contentType: file.contentType,
    uploadedBy: file.actor.shareLinkId ? null : file.actor.userId,
    shareLinkId: file.actor.shareLinkId ?? null,
    uploaderName: file.actor.uploaderName ?? null,
    createdAt: now,
  });
  try {
    if (runId) {
      await db.batch([fileRow, db.insert(preflightRuns).values({ id: runId, fileId: file.fileId, state: "queued", createdAt: now })]);
    } else {
      await fileRow;
    }
  } catch (error) {
    // Two requests with the same upload id raced, so the first one's rows stay. A
    // repeated multipart completion shares the file id and R2 key with the winner,
    // so its object must stay too.
    const winner = await findFileByUploadId(db, file.uploadId);
    if (winner?.fileId !== file.fileId) await env.FILES.delete(file.r2Key);
    if (winner) {
      if (winner.fileId !== file.fileId) await reportOrderActivity(env, { ...uploadActivity, state: "failed" });
      return { ok: true, ...winner, duplicate: true };
    }
    await reportOrderActivity(env, { ...uploadActivity, state: "failed" });

    console.error("upload: recording file failed", { orderId: file.orderId, fileId: file.fileId, error: String(error) });
    return { ok: false };
  }

  if (runId) {
    // NOTE: if sending fails, the run stays "queued" and nothing retries it yet.
    await enqueuePreflight(env.PREFLIGHT_QUEUE, { runId });
  }
  console.info("upload: stored", { orderId: file.orderId, fileId: file.fileId, runId, size: file.size });

  await publishToOrderRoom(env, file.orderId, { type: "file.added", fileId: file.fileId, originalName: file.fileName });
  await reportOrderActivity(env, { ...uploadActivity, state: "stored" });
  if (runId) {
    await reportOrderActivity(env, { type: "preflight", orderId: file.orderId, fileId: file.fileId, runId, state: "queued", verdict: null });
  }
  return { ok: true, fileId: file.fileId, runId, duplicate: false };
}

/** Returns the file recorded for an upload id, with its first run if it has one. */
export async function findFileByUploadId(db: Database, uploadId: string) {
  const row = await db
    .select({ fileId: files.id, runId: preflightRuns.id })
    .from(files)
    .leftJoin(preflightRuns, eq(preflightRuns.fileId, files.id))
    .where(eq(files.uploadId, uploadId))
    .get();
  return row ? { fileId: row.fileId, runId: row.runId } : null;
}

/** Returns the id of a file in the order with the same size and SHA-256, if there is one. */
export async function findIdenticalFile(db: Database, orderId: string, size: number, sha256: string) {
  const row = await db
    .select({ id: files.id })
    .from(files)
    .where(and(eq(files.orderId, orderId), eq(files.size, size), eq(files.sha256, sha256)))
    .get();
  return row?.id ?? null;
}
