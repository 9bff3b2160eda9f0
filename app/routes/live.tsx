import { useEffect, useMemo, useRef, useState } from "react";
import { data, Link, useRevalidator } from "react-router";

import { isStaff, requireUser } from "~/auth/guard.server";
import { cloudflareContext } from "~/cloudflare-context";
import { getDb } from "~/db/client.server";
import { formatDateTime, formatNumber } from "~/format";
import { listLiveOrderDetails } from "~/live/queries.server";
import { useStaffFeed } from "~/live/use-staff-feed";
import { messages } from "~/messages";
import { STAFF_FEED_ROOM, type OrderSummary, type PresentUser } from "~/room/staff-feed-events";

import type { Route } from "./+types/live";

export async function loader({ request, context }: Route.LoaderArgs) {
  const user = requireUser(context, request);
  if (!isStaff(user)) throw data({ message: messages.liveForbidden }, { status: 403 });
  const { env } = context.get(cloudflareContext);

  const summaries = await readFeedSnapshot(env);
  const details = await listLiveOrderDetails(
    getDb(env),
    summaries.map((summary) => summary.orderId),
  );

  return {
    summaries,
    details,
    userId: user.id,
    onlyMineByDefault: user.role === "manager",
  };
}

/** Reads the feed's current summaries. The page's socket receives them again on connect, so a failure here only logs. */
async function readFeedSnapshot(env: Env): Promise<OrderSummary[]> {
  try {
    return await env.StaffFeed.getByName(STAFF_FEED_ROOM).snapshot();
  } catch (error) {
    console.error("live: reading the staff feed snapshot failed", { error: String(error) });
    return [];
  }
}

export function meta() {
  return [{ title: "Live" }];
}

export default function Live({ loaderData }: Route.ComponentProps) {
  const { details, userId, onlyMineByDefault } = loaderData;
  const summaries = useStaffFeed(loaderData.summaries);
  const [onlyMine, setOnlyMine] = useState(onlyMineByDefault);
  const detailsById = useMemo(() => new Map(details.map((order) => [order.id, order])), [details]);

  useLoadMissingDetails(summaries, detailsById);

  const rows = summaries.filter((summary) => {
    const order = detailsById.get(summary.orderId);
    if (!order) return false;
    return !onlyMine || order.managerId === userId;
  });

  return (
    <section>
      <h1>Live</h1>
      <p className="live-intro">{messages.liveIntro}</p>
      <label className="live-filter">
        <input type="checkbox" checked={onlyMine} onChange={(event) => setOnlyMine(event.target.checked)} /> meine Aufträge
      </label>
      {rows.length === 0 ? (
        <p className="empty">{onlyMine ? messages.liveEmptyMine : messages.liveEmpty}</p>
      ) : (
        <table className="orders live-orders">
          <thead>
            <tr>
              <th scope="col">Auftrag</th>
              <th scope="col">Beschreibung</th>
              <th scope="col">Firma</th>
              <th scope="col">Auftragsmanager</th>
              <th scope="col">Anwesend</th>
              <th scope="col">Ungelesene Nachrichten</th>
              <th scope="col">Uploads laufen</th>
              <th scope="col">Prüfungen laufen</th>
              <th scope="col">Prüfungen fehlgeschlagen</th>
              <th scope="col">Letzte Aktivität</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((summary) => {
              const order = detailsById.get(summary.orderId)!;
              return (
                <tr key={summary.orderId} data-order-id={summary.orderId}>
                  <td>
                    <Link to={`/auftraege/${order.id}`}>{formatNumber(order.orderNumber ?? order.offerNumber)}</Link>
                  </td>
                  <td>{order.title}</td>
                  <td>{order.companyName}</td>
                  <td>{order.managerName ?? ""}</td>
                  <td data-column="present">{formatPresent(summary.present)}</td>
                  <td data-column="unread">{summary.unreadMessages}</td>
                  <td data-column="uploads">{summary.uploadsInProgress}</td>
                  <td data-column="checks-running">{summary.checksRunning}</td>
                  <td data-column="checks-failed" className={summary.checksFailed > 0 ? "live-failed" : undefined}>
                    {summary.checksFailed}
                  </td>
                  <td data-column="last-activity">{formatDateTime(summary.lastActivityAt)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Reloads the loader once for each order that the feed reports but whose number and title the page lacks. */
function useLoadMissingDetails(summaries: OrderSummary[], detailsById: Map<string, unknown>) {
  const revalidator = useRevalidator();
  const requested = useRef(new Set<string>());

  const missing = summaries.map((summary) => summary.orderId).filter((orderId) => !detailsById.has(orderId));
  const unrequested = missing.filter((orderId) => !requested.current.has(orderId));

  useEffect(() => {
    if (unrequested.length === 0 || revalidator.state !== "idle") return;
    for (const orderId of unrequested) requested.current.add(orderId);
    void revalidator.revalidate();
  }, [unrequested.join(","), revalidator]);
}

function formatPresent(present: PresentUser[]): string {
  return present.map((user) => (user.tabs > 1 ? `${user.name} (${user.tabs} Tabs)` : user.name)).join(", ");
}
