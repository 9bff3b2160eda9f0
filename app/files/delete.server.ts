import { and, eq, sql } from "drizzle-orm";
import * as v from "valibot";

import { isStaff } from "~/auth/guard.server";
import type { SessionUser } from "~/auth/session.server";
import type { Database } from "~/db/client.server";
import { files, orderEvents, preflightRuns } from "~/db/schema";
import { messages } from "~/messages";
import { publishToOrderRoom } from "~/room/publish.server";
import { reportOrderActivity } from "~/room/staff-feed.server";

export type FileDeletionResult =
  | { ok: true; fileId: string; originalName: string }
  | { ok: false; status: 400 | 403 | 404 | 410 | 500; message: string };

type Environment = Pick<Env, "FILES" | "OrderRoom" | "StaffFeed">;

const fileIdSchema = v.pipe(v.string(), v.uuid());

/**
 * Deletes a print file of an order whose access the caller has checked. The
 * file's preflight runs, its row and a "file.deleted" history entry are
 * written in one D1 batch, and then the R2 object is deleted.
 *
 * Only staff may delete, so customers get 403 before anything is read. A file
 * that this order's history records as deleted gets 410. Any other unknown id,
 * including a file of another order, gets 404.
 */
export async function deletePrintFile(
  env: Environment,
  db: Database,
  user: SessionUser,
  orderId: string,
  fileId: unknown,
): Promise<FileDeletionResult> {
  if (!isStaff(user)) {
    console.warn("file-delete: rejected for customer", { userId: user.id, orderId });
    return { ok: false, status: 403, message: messages.fileDeleteForbidden };
  }

  const parsedId = v.safeParse(fileIdSchema, fileId);
  if (!parsedId.success) return { ok: false, status: 400, message: messages.fileDeleteInvalid };
  const id = parsedId.output;

  const file = await db
    .select({ id: files.id, r2Key: files.r2Key, originalName: files.originalName })
    .from(files)
    .where(and(eq(files.id, id), eq(files.orderId, orderId)))
    .get();
  if (!file) return notFound(db, orderId, id);

  let deleted: { id: string }[];
  try {
    deleted = await deleteRowsAndRecordEvent(db, user, orderId, id);
  } catch (error) {
    console.error("file-delete: D1 batch failed", { orderId, fileId: id, userId: user.id, error: String(error) });
    return { ok: false, status: 500, message: messages.fileDeleteFailed };
  }
  if (deleted.length === 0) {
    console.info("file-delete: file deleted concurrently", { orderId, fileId: id, userId: user.id });
    return { ok: false, status: 410, message: messages.fileDeleteAlreadyGone(file.originalName) };
  }

  // NOTE: if this fails, the object stays in R2 without a row pointing at it.
  // Nothing cleans up such objects yet, so the error log is the only trace.
  try {
    await env.FILES.delete(file.r2Key);
  } catch (error) {
    console.error("file-delete: R2 object not deleted", { orderId, fileId: id, r2Key: file.r2Key, error: String(error) });
  }

  console.info("file-delete: file deleted", { orderId, fileId: id, userId: user.id });
  await publishToOrderRoom(env, orderId, { type: "file.deleted", fileId: id, originalName: file.originalName });
  await reportOrderActivity(env, { type: "upload", orderId, fileId: id, originalName: file.originalName, state: "deleted" });
  return { ok: true, fileId: id, originalName: file.originalName };
}

/**
 * Deletes the file's runs and row and writes its "file.deleted" history
 * entry in one D1 batch, which D1 runs as one transaction. Returns the deleted
 * file row, or none when the file was gone already.
 */
async function deleteRowsAndRecordEvent(db: Database, user: SessionUser, orderId: string, id: string) {
  // The history entry is copied from the file row inside the batch, so that
  // of two concurrent deletions only the one that still finds the row writes
  // an entry. The runs go before the file because D1 enforces foreign keys.
  const [, , deleted] = await db.batch([
    db.insert(orderEvents).select((qb) =>
      qb
        .select({
          id: sql`${crypto.randomUUID()}`.as("id"),
          orderId: files.orderId,
          kind: sql`'file.deleted'`.as("kind"),
          actorId: sql`${user.id}`.as("actor_id"),
          data: sql`json_object('fileId', ${files.id}, 'originalName', ${files.originalName}, 'size', ${files.size}, 'sha256', ${files.sha256})`.as(
            "data",
          ),
          createdAt: sql`${Date.now()}`.as("created_at"),
        })
        .from(files)
        .where(and(eq(files.id, id), eq(files.orderId, orderId))),
    ),
    db.delete(preflightRuns).where(eq(preflightRuns.fileId, id)),
    db
      .delete(files)
      .where(and(eq(files.id, id), eq(files.orderId, orderId)))
      .returning({ id: files.id }),
  ]);
  return deleted;
}

/** Tells a file this order's history records as deleted (410) from one it never had (404). */
async function notFound(db: Database, orderId: string, fileId: string): Promise<FileDeletionResult> {
  const event = await db
    .select({ data: orderEvents.data })
    .from(orderEvents)
    .where(
      and(
        eq(orderEvents.orderId, orderId),
        eq(orderEvents.kind, "file.deleted"),
        sql`json_extract(${orderEvents.data}, '$.fileId') = ${fileId}`,
      ),
    )
    .get();
  if (!event) return { ok: false, status: 404, message: messages.preflightFileNotFound };

  const name = typeof event.data.originalName === "string" ? event.data.originalName : null;
  return { ok: false, status: 410, message: messages.fileDeleteAlreadyGone(name) };
}
