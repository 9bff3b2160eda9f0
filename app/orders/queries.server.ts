import { and, count, desc, eq, gt, ne, sql } from "drizzle-orm";

import { isStaff } from "~/auth/guard.server";
import type { SessionUser } from "~/auth/session.server";
import type { Database } from "~/db/client.server";
import { approvals, chatMessages, chatReads, documents, files, orders, preflightRuns, shareLinks, users } from "~/db/schema";

/**
 * Counts, per order the user may see, the chat messages of others after the
 * user's last read seq. Orders without unread messages are left out.
 */
export async function countUnreadChatMessages(db: Database, user: SessionUser): Promise<Map<string, number>> {
  const rows = await db
    .select({ orderId: chatMessages.orderId, unread: count() })
    .from(chatMessages)
    .innerJoin(orders, eq(orders.id, chatMessages.orderId))
    .leftJoin(chatReads, and(eq(chatReads.orderId, chatMessages.orderId), eq(chatReads.userId, user.id)))
    .where(
      and(
        isStaff(user) ? undefined : eq(orders.companyId, user.companyId ?? ""),
        ne(chatMessages.authorId, user.id),
        gt(chatMessages.seq, sql`coalesce(${chatReads.lastReadSeq}, 0)`),
      ),
    )
    .groupBy(chatMessages.orderId);
  return new Map(rows.map((row) => [row.orderId, row.unread]));
}

/** Loads the order manager's contact details for the sidebar; null without a manager or when the manager is no longer active. */
export async function getOrderManager(db: Database, managerId: string | null) {
  if (!managerId) return null;
  const manager = await db
    .select({
      id: users.id,
      name: users.name,
      salutation: users.salutation,
      email: users.email,
      phone: users.phone,
      photoR2Key: users.photoR2Key,
    })
    .from(users)
    .where(and(eq(users.id, managerId), eq(users.active, true)))
    .get();
  if (!manager) return null;

  // The page needs to know only whether a photo exists; the R2 key stays on the server.
  const { photoR2Key, ...contact } = manager;
  return { ...contact, hasPhoto: photoR2Key !== null };
}

/**
 * Lists the order's documents, oldest first. `stored` is true for a file in
 * R2 (opened through /dokumente/:id) and false for a link.
 */
export async function listOrderDocuments(db: Database, orderId: string) {
  const rows = await db
    .select({
      id: documents.id,
      kind: documents.kind,
      title: documents.title,
      fileName: documents.fileName,
      r2Key: documents.r2Key,
      url: documents.url,
      createdAt: documents.createdAt,
      updatedAt: documents.updatedAt,
    })
    .from(documents)
    .where(eq(documents.orderId, orderId))
    .orderBy(documents.createdAt, documents.id);
  return rows.map(({ r2Key, ...document }) => ({ ...document, stored: r2Key !== null }));
}

/** Lists the order's customer approvals (offer accepted, declared ready for print) with the approving contact's name. */
export async function listOrderApprovals(db: Database, orderId: string) {
  return db
    .select({ kind: approvals.kind, createdAt: approvals.createdAt, userName: users.name })
    .from(approvals)
    .innerJoin(users, eq(users.id, approvals.userId))
    .where(eq(approvals.orderId, orderId))
    .orderBy(approvals.createdAt);
}

/** Lists the order's print files, newest first, each with its latest preflight run. */
export async function listOrderFiles(db: Database, orderId: string) {
  const rows = await db
    .select({
      id: files.id,
      originalName: files.originalName,
      size: files.size,
      contentType: files.contentType,
      createdAt: files.createdAt,
      uploaderName: users.name,
      shareLinkId: files.shareLinkId,
      shareLinkLabel: shareLinks.label,
      sharedUploaderName: files.uploaderName,
      run: {
        id: preflightRuns.id,
        state: preflightRuns.state,
        verdict: preflightRuns.verdict,
        pageCount: preflightRuns.pageCount,
        findings: preflightRuns.findings,
        profile: preflightRuns.profile,
        error: preflightRuns.error,
        progressPages: preflightRuns.progressPages,
        progressTotal: preflightRuns.progressTotal,
        createdAt: preflightRuns.createdAt,
      },
    })
    .from(files)
    .leftJoin(preflightRuns, eq(preflightRuns.fileId, files.id))
    .leftJoin(users, eq(users.id, files.uploadedBy))
    .leftJoin(shareLinks, eq(shareLinks.id, files.shareLinkId))
    .where(eq(files.orderId, orderId))
    .orderBy(desc(files.createdAt), desc(preflightRuns.createdAt));

  // One row per file: the first row of each file carries its newest run.
  const seen = new Set<string>();
  return rows.filter((row) => !seen.has(row.id) && seen.add(row.id));
}
