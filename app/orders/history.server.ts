import { desc, eq } from "drizzle-orm";

import type { Database } from "~/db/client.server";
import { orderEvents, users } from "~/db/schema";
import { DOCUMENT_KINDS, ORDER_STATUSES, type DocumentKind, type OrderEventKind, type OrderStatus } from "~/db/values";
import { documentKindLabels, messages, orderStatusLabels } from "~/messages";

/** Maximum number of entries the order page shows, because the page has no timeline with paging yet. */
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

/** Data of the "document.*" entries: `kind` (a document kind) and `title`. */
function describeDocumentChange(data: Record<string, string | number | null>, change: "added" | "replaced" | "removed"): string {
  const kind = textField(data, "kind");
  const label = kind && (DOCUMENT_KINDS as readonly string[]).includes(kind) ? documentKindLabels[kind as DocumentKind] : "Dokument";
  return messages.historyDocument(label, textField(data, "title"), change);
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
