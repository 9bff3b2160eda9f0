import usePartySocket from "partysocket/react";
import { useEffect, useState } from "react";

import { STAFF_FEED_PARTY, STAFF_FEED_ROOM, parseFeedFrame, type OrderSummary } from "~/room/staff-feed-events";

/**
 * Keeps the order summaries of the staff feed up to date over a partysocket
 * connection, starting from the summaries the loader read. The socket
 * reconnects by itself and then receives a fresh snapshot.
 */
export function useStaffFeed(initial: OrderSummary[]): OrderSummary[] {
  const [summaries, setSummaries] = useState(() => toMap(initial));

  // A revalidated loader brings newer data; keep whichever summary is more recent.
  useEffect(() => {
    setSummaries((current) => {
      const merged = new Map(current);
      for (const summary of initial) {
        const known = merged.get(summary.orderId);
        if (!known || known.lastActivityAt <= summary.lastActivityAt) merged.set(summary.orderId, summary);
      }
      return merged;
    });
  }, [initial]);

  usePartySocket({
    party: STAFF_FEED_PARTY,
    room: STAFF_FEED_ROOM,
    onMessage(message) {
      const frame = parseFeedFrame(message.data);
      if (!frame) {
        console.warn("staff-feed: dropped unknown frame");
        return;
      }
      switch (frame.type) {
        case "snapshot":
          setSummaries(toMap(frame.orders));
          break;
        case "order":
          setSummaries((current) => new Map(current).set(frame.order.orderId, frame.order));
          break;
        case "expired":
          setSummaries((current) => {
            const next = new Map(current);
            for (const orderId of frame.orderIds) next.delete(orderId);
            return next;
          });
          break;
        default:
          frame satisfies never;
      }
    },
  });

  return [...summaries.values()].sort((a, b) => b.lastActivityAt - a.lastActivityAt);
}

function toMap(summaries: OrderSummary[]): Map<string, OrderSummary> {
  return new Map(summaries.map((summary) => [summary.orderId, summary]));
}
