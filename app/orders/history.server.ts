import { and, desc, eq, inArray, isNotNull, sql } from "drizzle-orm";

import type { Database } from "~/db/client.server";
import { files, orderEvents, orders, preflightRuns, shareLinks, users } from "~/db/schema";
import { DOCUMENT_KINDS, ORDER_STATUSES, type DocumentKind, type OrderEventKind, type OrderStatus } from "~/db/values";
import { documentKindLabels, messages, orderStatusLabels } from "~/messages";
import { describeUploader, orderPageMessages } from "~/orders/order-page-messages";

/** Number of entries the order page's timeline shows until the user asks for all of them. */
export const HISTORY_LIMIT = 20;

export interface OrderHistoryEntry {
  id: string;
  kind: OrderEventKind;
  createdAt: number;
  /** German description including who did it, such as "Druckdatei „a.pdf“ gelöscht von Tobias Brandt". */
  text: string;
}

/**
 * Lists the order's latest history entries, newest first, each described in
 * German with the actor's name. `truncated` is true when older entries exist.
 */
export async function listOrderHistory(db: Database, orderId: string) {
  const rows = await db
    .select({
      id: orderEvents.id,
      kind: orderEvents.kind,
      data: orderEvents.data,
      createdAt: orderEvents.createdAt,
      actorName: users.name,
    })
    .from(orderEvents)
    .leftJoin(users, eq(users.id, orderEvents.actorId))
    .where(eq(orderEvents.orderId, orderId))
    .orderBy(desc(orderEvents.createdAt), desc(orderEvents.id))
    .limit(HISTORY_LIMIT + 1);

  const entries: OrderHistoryEntry[] = rows.slice(0, HISTORY_LIMIT).map((row) => ({
    id: row.id,
    kind: row.kind,
    createdAt: row.createdAt,
    text: describeOrderEvent(row.kind, row.data, row.actorName),
  }));
  return { entries, truncated: rows.length > HISTORY_LIMIT };
}

/** Kinds of the order page's timeline: the stored history entries, plus uploads and finished checks read from their own tables. */
export type OrderTimelineKind = OrderEventKind | "file.uploaded" | "preflight.finished";

export interface OrderTimelineEntry {
  /** Unique within the timeline: the source table's name and the row's id. */
  id: string;
  kind: OrderTimelineKind;
  createdAt: number;
  /** German description including who did it, if anyone did. */
  text: string;
}

/**
 * Returns, per state, when the order reached it: "offer" is the order's
 * creation, every other state the time of the newest "order.status_changed"
 * entry that moved the order into it. States never reached are missing.
 */
export async function listStatusDates(db: Database, orderId: string): Promise<Partial<Record<OrderStatus, number>>> {
  const target = sql<string | null>`json_extract(${orderEvents.data}, '$.to')`;
  const [order, rows] = await Promise.all([
    db.select({ createdAt: orders.createdAt }).from(orders).where(eq(orders.id, orderId)).get(),
    db
      .select({ status: target, reachedAt: sql<number>`max(${orderEvents.createdAt})` })
      .from(orderEvents)
      .where(and(eq(orderEvents.orderId, orderId), eq(orderEvents.kind, "order.status_changed")))
      .groupBy(target),
  ]);

  const dates: Partial<Record<OrderStatus, number>> = {};
  for (const row of rows) {
    if (row.status && (ORDER_STATUSES as readonly string[]).includes(row.status)) dates[row.status as OrderStatus] = row.reachedAt;
  }
  if (order) dates.offer = order.createdAt;
  return dates;
}

/**
 * Lists the order's timeline, newest first: the history entries, the print
 * files uploaded and the preflight runs that finished, merged by time.
 * Approvals are left out because their state change is in the history
 * already. With a `limit`, each source reads at most `limit + 1` rows, which
 * is enough both for the newest `limit` entries and for `truncated`.
 */
export async function listOrderTimeline(db: Database, orderId: string, limit: number | null = HISTORY_LIMIT) {
  const rowLimit = limit === null ? -1 : limit + 1;
  const [events, uploads, checks] = await Promise.all([
    db
      .select({ id: orderEvents.id, kind: orderEvents.kind, data: orderEvents.data, createdAt: orderEvents.createdAt, actorName: users.name })
      .from(orderEvents)
      .leftJoin(users, eq(users.id, orderEvents.actorId))
      .where(eq(orderEvents.orderId, orderId))
      .orderBy(desc(orderEvents.createdAt), desc(orderEvents.id))
      .limit(rowLimit),
    db
      .select({
        id: files.id,
        originalName: files.originalName,
        createdAt: files.createdAt,
        uploaderName: users.name,
        shareLinkId: files.shareLinkId,
        shareLinkLabel: shareLinks.label,
        sharedUploaderName: files.uploaderName,
      })
      .from(files)
      .leftJoin(users, eq(users.id, files.uploadedBy))
      .leftJoin(shareLinks, eq(shareLinks.id, files.shareLinkId))
      .where(eq(files.orderId, orderId))
      .orderBy(desc(files.createdAt), desc(files.id))
      .limit(rowLimit),
    db
      .select({
        id: preflightRuns.id,
        state: preflightRuns.state,
        verdict: preflightRuns.verdict,
        finishedAt: preflightRuns.finishedAt,
        originalName: files.originalName,
      })
      .from(preflightRuns)
      .innerJoin(files, eq(files.id, preflightRuns.fileId))
      .where(and(eq(files.orderId, orderId), inArray(preflightRuns.state, ["done", "failed"]), isNotNull(preflightRuns.finishedAt)))
      .orderBy(desc(preflightRuns.finishedAt), desc(preflightRuns.id))
      .limit(rowLimit),
  ]);

  const entries: OrderTimelineEntry[] = [
    ...events.map((row) => ({
      id: `event:${row.id}`,
      kind: row.kind,
      createdAt: row.createdAt,
      text: describeOrderEvent(row.kind, row.data, row.actorName),
    })),
    ...uploads.map((row) => ({
      id: `file:${row.id}`,
      kind: "file.uploaded" as const,
      createdAt: row.createdAt,
      text: orderPageMessages.timelineFileUploaded(row.originalName, describeUploader(row)),
    })),
    ...checks.map((row) => ({
      id: `run:${row.id}`,
      kind: "preflight.finished" as const,
      createdAt: row.finishedAt ?? 0,
      text:
        row.state === "done" && row.verdict
          ? orderPageMessages.timelineCheckFinished(row.originalName, row.verdict)
          : orderPageMessages.timelineCheckFailed(row.originalName),
    })),
  ];
  // Newest first; entries of the same millisecond in a fixed order, by id.
  entries.sort((a, b) => b.createdAt - a.createdAt || b.id.localeCompare(a.id));

  if (limit === null) return { entries, truncated: false };
  return { entries: entries.slice(0, limit), truncated: entries.length > limit };
}

/**
 * Describes one history entry in German. `data` is read defensively because
 * it is stored JSON: a missing file name or label gives a shorter text.
 */
export function describeOrderEvent(
  kind: OrderEventKind,
  data: Record<string, string | number | null>,
  actorName: string | null,
): string {
  switch (kind) {
    case "file.deleted":
      return messages.historyActor(messages.historyFileDeleted(textField(data, "originalName") ?? "?"), actorName);
    case "share_link.created":
      return messages.historyActor(messages.historyShareLinkCreated(textField(data, "label")), actorName);
    case "share_link.revoked":
      return messages.historyActor(messages.historyShareLinkRevoked(textField(data, "label")), actorName);
    case "order.created":
      return messages.historyActor(messages.historyOrderCreated(textField(data, "offerNumber")), actorName);
    case "order.updated":
      return messages.historyActor(messages.historyOrderUpdated(textField(data, "fields")), actorName);
    case "order.status_changed":
      return messages.historyActor(describeStatusChange(data), actorName);
    case "document.added":
      return messages.historyActor(describeDocumentChange(data, "added"), actorName);
    case "document.replaced":
      return messages.historyActor(describeDocumentChange(data, "replaced"), actorName);
    case "document.removed":
      return messages.historyActor(describeDocumentChange(data, "removed"), actorName);
    default:
      return assertNever(kind);
  }
}

/** Data of "order.status_changed": `from`, `to`, `via` (accept, print_ready, staff, bulk) and `orderNumber`. */
function describeStatusChange(data: Record<string, string | number | null>): string {
  const via = textField(data, "via");
  if (via === "accept") return messages.historyOfferAccepted(textField(data, "orderNumber"));
  if (via === "print_ready") return messages.historyPrintReadyDeclared;
  const from = statusField(data, "from");
  const to = statusField(data, "to");
  return messages.historyStatusChanged(from ? orderStatusLabels[from] : "?", to ? orderStatusLabels[to] : "?");
}

/**
 * Data of the "document.*" entries: `kind` (a document kind) and `title`. A
 * title that only repeats the kind's label is left out, so that the entry
 * reads "Datenfreigabe hinzugefügt" rather than "Datenfreigabe „Datenfreigabe“ hinzugefügt".
 */
function describeDocumentChange(data: Record<string, string | number | null>, change: "added" | "replaced" | "removed"): string {
  const kind = textField(data, "kind");
  const label = kind && (DOCUMENT_KINDS as readonly string[]).includes(kind) ? documentKindLabels[kind as DocumentKind] : "Dokument";
  const title = textField(data, "title");
  const titleRepeatsLabel = title !== null && title.trim().toLocaleLowerCase("de-DE") === label.toLocaleLowerCase("de-DE");
  return messages.historyDocument(label, titleRepeatsLabel ? null : title, change);
}

function statusField(data: Record<string, string | number | null>, key: string): OrderStatus | null {
  const value = data[key];
  return typeof value === "string" && (ORDER_STATUSES as readonly string[]).includes(value) ? (value as OrderStatus) : null;
}

function textField(data: Record<string, string | number | null>, key: string): string | null {
  const value = data[key];
  return typeof value === "string" && value.trim() !== "" ? value : null;
}

function assertNever(value: never): never {
  throw new Error(`unknown order event kind: ${String(value)}`);
}
