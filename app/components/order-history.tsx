import { Link } from "react-router";

import { formatDateTime } from "~/format";
import { messages } from "~/messages";
import type { OrderTimelineEntry } from "~/orders/history.server";
import { orderPageMessages } from "~/orders/order-page-messages";

/** URL query that makes the order page list the whole timeline. */
export const TIMELINE_ALL_QUERY = "?verlauf=alle";

/**
 * Renders the "Verlauf" box of the order page as a timeline, newest first.
 * When entries were left out, a link shows all of them; `showingAll` turns
 * it into a link back to the latest entries.
 */
export function OrderHistory({
  entries,
  truncated,
  showingAll,
  limit,
}: {
  entries: OrderTimelineEntry[];
  truncated: boolean;
  showingAll: boolean;
  limit: number;
}) {
  return (
    <section id="verlauf" aria-labelledby="history-heading" className="order-history">
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
      {truncated ? (
        <p className="muted">
          {messages.historyTruncated(entries.length)}{" "}
          <Link to={{ search: TIMELINE_ALL_QUERY, hash: "verlauf" }} preventScrollReset>
            {orderPageMessages.timelineShowAll}
          </Link>
        </p>
      ) : null}
      {showingAll && entries.length > limit ? (
        <p className="muted">
          <Link to={{ search: "", hash: "verlauf" }} preventScrollReset>
            {orderPageMessages.timelineShowLatest(limit)}
          </Link>
        </p>
      ) : null}
    </section>
  );
}
