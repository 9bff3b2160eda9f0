import { formatDateTime } from "~/format";
import { messages } from "~/messages";
import type { OrderHistoryEntry } from "~/orders/history.server";

/** Renders the "Verlauf" box of the order page with the latest history entries, newest first. */
export function OrderHistory({ entries, truncated }: { entries: OrderHistoryEntry[]; truncated: boolean }) {
  return (
    <section aria-labelledby="history-heading" className="order-history">
      <h2 id="history-heading">Verlauf</h2>
      {entries.length === 0 ? (
        <p className="empty">{messages.historyEmpty}</p>
      ) : (
        <ol className="order-history-list">
          {entries.map((entry) => (
            <li key={entry.id} data-kind={entry.kind}>
              <time dateTime={new Date(entry.createdAt).toISOString()}>{formatDateTime(entry.createdAt)}</time>{" "}
              <span className="order-history-text">{entry.text}</span>
            </li>
          ))}
        </ol>
      )}
      {truncated ? <p className="muted">{messages.historyTruncated(entries.length)}</p> : null}
    </section>
  );
}
