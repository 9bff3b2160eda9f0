import { and, eq } from "drizzle-orm";
import * as v from "valibot";

import { isStaff } from "~/auth/guard.server";
import type { SessionUser } from "~/auth/session.server";
import type { Database } from "~/db/client.server";
import { documents, orders } from "~/db/schema";
import { formatBytes, formatNumber } from "~/format";
import { documentKindLabels, messages } from "~/messages";
import { publishToOrderRoom } from "~/room/publish.server";
import { checkFileName } from "~/uploads/file-name";
import { detectPrintFileType } from "~/uploads/file-type";
import { PDF_HEADER_SEARCH_LENGTH } from "~/uploads/pdf-signature";

import { APPROVAL_URL_MAX_LENGTH, documentMessages, MAX_DOCUMENT_BYTES } from "./offer-messages";

/** Document kinds staff upload as PDF files. The approval is a link, and "other" has no upload yet. */
export const UPLOADED_DOCUMENT_KINDS = ["offer", "order_confirmation"] as const;
export type UploadedDocumentKind = (typeof UPLOADED_DOCUMENT_KINDS)[number];

type Environment = Pick<Env, "DB" | "FILES" | "OrderRoom">;

export type DocumentResult = { ok: true; documentId: string; message: string } | { ok: false; status: 400 | 403 | 404 | 409 | 500; message: string };

/** A checked PDF upload: the file and its display name. */
export interface PdfUpload {
  file: File;
  fileName: string;
}

/** Returns the R2 key of a document's file. A replacement gets a new object id, so old and new object exist side by side until the row points at the new one. */
export function documentObjectKey(orderId: string, objectId: string): string {
  return `orders/${orderId}/documents/${objectId}`;
}

/**
 * Checks a form's file field as a document upload: present, not empty, at
 * most MAX_DOCUMENT_BYTES, a usable name, and a PDF by its first bytes (the
 * name and the browser's MIME type are not trusted).
 */
export async function checkPdfUpload(value: unknown): Promise<{ ok: true; upload: PdfUpload } | { ok: false; message: string }> {
  if (!(value instanceof File) || (value.size === 0 && value.name === "")) return { ok: false, message: documentMessages.fileMissing };
  if (value.size === 0) return { ok: false, message: documentMessages.fileEmpty };
  if (value.size > MAX_DOCUMENT_BYTES) return { ok: false, message: documentMessages.tooLarge(formatBytes(MAX_DOCUMENT_BYTES)) };

  const name = checkFileName(value.name);
  if (!name.ok) return { ok: false, message: name.message };

  const head = new Uint8Array(await value.slice(0, PDF_HEADER_SEARCH_LENGTH).arrayBuffer());
  if (detectPrintFileType(head) !== "application/pdf") return { ok: false, message: documentMessages.notPdf };
  return { ok: true, upload: { file: value, fileName: name.name } };
}

/** Writes a document's PDF into R2 under its object key. */
export async function putDocumentObject(env: Pick<Env, "FILES">, r2Key: string, upload: PdfUpload) {
  await env.FILES.put(r2Key, upload.file, { httpMetadata: { contentType: "application/pdf" } });
}

/** Deletes an R2 object that no row points at any more. A failure is only logged, because the change it belongs to is already stored. */
export async function deleteDocumentObject(env: Pick<Env, "FILES">, r2Key: string, ids: Record<string, string>) {
  try {
    await env.FILES.delete(r2Key);
  } catch (error) {
    // NOTE: nothing cleans up such an object later, so the log line is its only trace.
    console.error("documents: R2 object not deleted", { ...ids, r2Key, error: String(error) });
  }
}

/** Returns the German title of an uploaded document, such as "Angebot #42961.01" or "Auftragsbestätigung #241101". */
export function documentTitle(kind: UploadedDocumentKind, order: { offerNumber: string; orderNumber: string | null }): string {
  if (kind === "offer") return `${documentKindLabels.offer} ${formatNumber(order.offerNumber)}`;
  return `${documentKindLabels.order_confirmation} ${formatNumber(order.orderNumber ?? order.offerNumber)}`;
}

/**
 * Uploads the order's offer or order confirmation, or replaces it when the
 * order has one of that kind already. A replacement keeps the row id: the new
 * PDF is written to R2 first, the row then points at it (with the history
 * entry, in one D1 batch), and only then is the old object deleted. Everyone
 * who has the order open gets "documents.changed".
 */
export async function uploadDocument(
  env: Environment,
  db: Database,
  user: SessionUser,
  orderId: string,
  kindValue: unknown,
  fileValue: unknown,
): Promise<DocumentResult> {
  if (!isStaff(user)) return { ok: false, status: 403, message: messages.staffOnly };
  const kind = v.safeParse(v.picklist(UPLOADED_DOCUMENT_KINDS), kindValue);
  if (!kind.success) return { ok: false, status: 400, message: documentMessages.kindInvalid };

  const order = await db
    .select({ id: orders.id, offerNumber: orders.offerNumber, orderNumber: orders.orderNumber })
    .from(orders)
    .where(eq(orders.id, orderId))
    .get();
  if (!order) return { ok: false, status: 404, message: messages.orderNotFound };

  const checked = await checkPdfUpload(fileValue);
  if (!checked.ok) return { ok: false, status: 400, message: checked.message };

  const existing = await db
    .select({ id: documents.id, r2Key: documents.r2Key })
    .from(documents)
    .where(and(eq(documents.orderId, orderId), eq(documents.kind, kind.output)))
    .orderBy(documents.createdAt)
    .get();
  const title = documentTitle(kind.output, order);
  const now = Date.now();

  if (!existing) {
    const documentId = crypto.randomUUID();
    const r2Key = documentObjectKey(orderId, documentId);
    await putDocumentObject(env, r2Key, checked.upload);
    try {
      await env.DB.batch([
        insertDocumentStatement(env, { documentId, orderId, kind: kind.output, title, fileName: checked.upload.fileName, r2Key, userId: user.id, now }),
        documentEventStatement(env, { orderId, kind: kind.output, title, change: "document.added", userId: user.id, now }),
      ]);
    } catch (error) {
      console.error("documents: D1 batch failed, new object deleted", { orderId, documentId, error: String(error) });
      await deleteDocumentObject(env, r2Key, { orderId, documentId });
      return { ok: false, status: 500, message: documentMessages.storeFailed };
    }

    console.info("documents: document added", { orderId, documentId, kind: kind.output, userId: user.id });
    await publishToOrderRoom(env, orderId, { type: "documents.changed" });
    return { ok: true, documentId, message: documentMessages.documentAdded(title) };
  }

  const r2Key = documentObjectKey(orderId, crypto.randomUUID());
  await putDocumentObject(env, r2Key, checked.upload);

  // The row changes only if it still points at the object read above, so of two concurrent replacements one wins.
  const [update] = await env.DB.batch([
    env.DB.prepare(
      "UPDATE documents SET r2_key = ?1, file_name = ?2, title = ?3, url = NULL, updated_at = ?4, uploaded_by = ?5 WHERE id = ?6 AND r2_key IS ?7",
    ).bind(r2Key, checked.upload.fileName, title, now, user.id, existing.id, existing.r2Key),
    env.DB.prepare(
      `INSERT INTO order_events (id, order_id, kind, actor_id, data, created_at)
       SELECT ?1, order_id, 'document.replaced', ?2, json_object('kind', kind, 'title', title), ?3
       FROM documents WHERE id = ?4 AND r2_key = ?5`,
    ).bind(crypto.randomUUID(), user.id, now, existing.id, r2Key),
  ]);
  if (update?.meta.changes !== 1) {
    console.info("documents: document changed concurrently, replacement dropped", { orderId, documentId: existing.id });
    await deleteDocumentObject(env, r2Key, { orderId, documentId: existing.id });
    return { ok: false, status: 409, message: documentMessages.documentChangedMeanwhile };
  }

  if (existing.r2Key) await deleteDocumentObject(env, existing.r2Key, { orderId, documentId: existing.id });
  console.info("documents: document replaced", { orderId, documentId: existing.id, kind: kind.output, userId: user.id });
  await publishToOrderRoom(env, orderId, { type: "documents.changed" });
  return { ok: true, documentId: existing.id, message: documentMessages.documentReplaced(title) };
}

/** Removes a document of the order: the row and its history entry in one D1 batch, then its R2 object. */
export async function removeDocument(
  env: Environment,
  db: Database,
  user: SessionUser,
  orderId: string,
  documentIdValue: unknown,
): Promise<DocumentResult> {
  if (!isStaff(user)) return { ok: false, status: 403, message: messages.staffOnly };
  const documentId = v.safeParse(v.pipe(v.string(), v.uuid()), documentIdValue);
  if (!documentId.success) return { ok: false, status: 404, message: documentMessages.documentNotFound };

  const document = await db
    .select({ id: documents.id, title: documents.title, r2Key: documents.r2Key })
    .from(documents)
    .where(and(eq(documents.id, documentId.output), eq(documents.orderId, orderId)))
    .get();
  if (!document) return { ok: false, status: 404, message: documentMessages.documentNotFound };

  // The history entry is copied from the row before the row goes, so that only a deletion that still finds the row writes one.
  const [, deletion] = await env.DB.batch([
    env.DB.prepare(
      `INSERT INTO order_events (id, order_id, kind, actor_id, data, created_at)
       SELECT ?1, order_id, 'document.removed', ?2, json_object('kind', kind, 'title', title), ?3
       FROM documents WHERE id = ?4 AND order_id = ?5`,
    ).bind(crypto.randomUUID(), user.id, Date.now(), document.id, orderId),
    env.DB.prepare("DELETE FROM documents WHERE id = ?1 AND order_id = ?2").bind(document.id, orderId),
  ]);
  if (deletion?.meta.changes !== 1) return { ok: false, status: 404, message: documentMessages.documentNotFound };

  if (document.r2Key) await deleteDocumentObject(env, document.r2Key, { orderId, documentId: document.id });
  console.info("documents: document removed", { orderId, documentId: document.id, userId: user.id });
  await publishToOrderRoom(env, orderId, { type: "documents.changed" });
  return { ok: true, documentId: document.id, message: documentMessages.documentRemoved(document.title) };
}

/** An approval link: an absolute https URL with a host, at most APPROVAL_URL_MAX_LENGTH characters. */
export const approvalUrlSchema = v.pipe(
  v.string(documentMessages.approvalUrlInvalid),
  v.trim(),
  v.maxLength(APPROVAL_URL_MAX_LENGTH, documentMessages.approvalUrlTooLong(APPROVAL_URL_MAX_LENGTH)),
  v.url(documentMessages.approvalUrlInvalid),
  v.check(isHttpsUrl, documentMessages.approvalUrlInvalid),
);

/** Tells an https URL with a host and without user name or password from anything else (http:, javascript:, relative paths). */
function isHttpsUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "https:" && url.hostname !== "" && url.username === "" && url.password === "";
  } catch {
    return false;
  }
}

/**
 * Sets, changes or removes (with an empty value) the order's "Datenfreigabe"
 * link: a documents row of kind "approval" with the URL and no R2 object.
 * Each change writes its history entry in the same D1 batch and sends
 * "documents.changed" to the order's room.
 */
export async function setApprovalLink(
  env: Environment,
  db: Database,
  user: SessionUser,
  orderId: string,
  urlValue: unknown,
): Promise<DocumentResult> {
  if (!isStaff(user)) return { ok: false, status: 403, message: messages.staffOnly };
  const order = await db.select({ id: orders.id }).from(orders).where(eq(orders.id, orderId)).get();
  if (!order) return { ok: false, status: 404, message: messages.orderNotFound };

  const existing = await db
    .select({ id: documents.id, url: documents.url })
    .from(documents)
    .where(and(eq(documents.orderId, orderId), eq(documents.kind, "approval")))
    .orderBy(documents.createdAt)
    .get();

  if (typeof urlValue === "string" && urlValue.trim() === "") {
    if (!existing) return { ok: true, documentId: "", message: documentMessages.approvalLinkUnchanged };
    const removed = await removeDocument(env, db, user, orderId, existing.id);
    return removed.ok ? { ...removed, message: documentMessages.approvalLinkRemoved } : removed;
  }

  const parsed = v.safeParse(approvalUrlSchema, urlValue);
  if (!parsed.success) return { ok: false, status: 400, message: parsed.issues[0].message };
  const url = parsed.output;
  if (existing?.url === url) return { ok: true, documentId: existing.id, message: documentMessages.approvalLinkUnchanged };

  const now = Date.now();
  const title = documentMessages.approvalTitle;
  if (!existing) {
    const documentId = crypto.randomUUID();
    await env.DB.batch([
      env.DB.prepare(
        "INSERT INTO documents (id, order_id, kind, title, file_name, r2_key, url, created_at, uploaded_by) VALUES (?1, ?2, 'approval', ?3, '', NULL, ?4, ?5, ?6)",
      ).bind(documentId, orderId, title, url, now, user.id),
      documentEventStatement(env, { orderId, kind: "approval", title, change: "document.added", userId: user.id, now }),
    ]);
    console.info("documents: approval link set", { orderId, documentId, userId: user.id });
    await publishToOrderRoom(env, orderId, { type: "documents.changed" });
    return { ok: true, documentId, message: documentMessages.approvalLinkSaved };
  }

  await env.DB.batch([
    env.DB.prepare("UPDATE documents SET url = ?1, updated_at = ?2, uploaded_by = ?3 WHERE id = ?4").bind(url, now, user.id, existing.id),
    documentEventStatement(env, { orderId, kind: "approval", title, change: "document.replaced", userId: user.id, now }),
  ]);
  console.info("documents: approval link changed", { orderId, documentId: existing.id, userId: user.id });
  await publishToOrderRoom(env, orderId, { type: "documents.changed" });
  return { ok: true, documentId: existing.id, message: documentMessages.approvalLinkSaved };
}

/** Builds the INSERT of a new document row with an R2 object. */
export function insertDocumentStatement(
  env: Pick<Env, "DB">,
  row: { documentId: string; orderId: string; kind: UploadedDocumentKind; title: string; fileName: string; r2Key: string; userId: string; now: number },
) {
  return env.DB.prepare(
    "INSERT INTO documents (id, order_id, kind, title, file_name, r2_key, url, created_at, uploaded_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, NULL, ?7, ?8)",
  ).bind(row.documentId, row.orderId, row.kind, row.title, row.fileName, row.r2Key, row.now, row.userId);
}

/** Builds the INSERT of a "document.*" history entry with the document's kind and title. */
export function documentEventStatement(
  env: Pick<Env, "DB">,
  entry: { orderId: string; kind: string; title: string; change: "document.added" | "document.replaced" | "document.removed"; userId: string; now: number },
) {
  return env.DB.prepare(
    "INSERT INTO order_events (id, order_id, kind, actor_id, data, created_at) VALUES (?1, ?2, ?3, ?4, json_object('kind', ?5, 'title', ?6), ?7)",
  ).bind(crypto.randomUUID(), entry.orderId, entry.change, entry.userId, entry.kind, entry.title, entry.now);
}
