import { Link } from "react-router";

import { StatusBadge } from "~/components/status-badge";
import { isStaff, requireUser } from "~/auth/guard.server";
import { cloudflareContext } from "~/cloudflare-context";
import { getDb } from "~/db/client.server";
import { formatDate, formatNumber } from "~/format";
import { countUnreadChatMessages, listOverviewOrders } from "~/orders/queries.server";

import type { Route } from "./+types/overview";

export async function loader({ request, context }: Route.LoaderArgs) {
  const user = requireUser(context, request);
  const { env } = context.get(cloudflareContext);

  const db = getDb(env);
  const [orders, unread] = await Promise.all([listOverviewOrders(db, user), countUnreadChatMessages(db, user)]);
  return {
    orders: orders.map((order) => ({ ...order, unreadMessages: unread.get(order.id) ?? 0 })),
    showCompany: isStaff(user),
  };
}

export function meta() {
  return [{ title: "Angebote und Aufträge" }];
}

export default function Overview({ loaderData }: Route.ComponentProps) {
  const { orders, showCompany } = loaderData;

  return (
    <section>
      <h1>Angebote und Aufträge</h1>
      {orders.length === 0 ? (
        <p className="empty">
          Noch keine Angebote oder Aufträge. Sobald wir Ihnen ein Angebot schicken, finden Sie es hier.
        </p>
      ) : (
        <div className="table-scroll">
          <table className="orders">
            <thead>
              <tr>
                <th scope="col">Datum</th>
                <th scope="col">Angebotsnummer</th>
                <th scope="col">Auftragsnummer</th>
                {showCompany ? <th scope="col">Firma</th> : null}
                <th scope="col">Beschreibung</th>
                <th scope="col">Status</th>
                <th scope="col">Auftragsmanager</th>
                <th scope="col">Nachrichten</th>
                <th scope="col">
                  <span className="visually-hidden">Aktion</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {orders.map((order) => (
                <tr key={order.id}>
                  <td>{formatDate(order.createdAt)}</td>
                  <td>{formatNumber(order.offerNumber)}</td>
                  <td>{formatNumber(order.orderNumber)}</td>
                  {showCompany ? <td>{order.companyName}</td> : null}
                  <td>{order.title}</td>
                  <td>
                    <StatusBadge status={order.status} />
                  </td>
                  <td>{order.managerName ?? ""}</td>
                  <td>
                    {order.unreadMessages > 0 ? (
                      <span className="unread-badge">
                        {order.unreadMessages === 1 ? "1 neue Nachricht" : `${order.unreadMessages} neue Nachrichten`}
                      </span>
                    ) : null}
                  </td>
                  <td>
                    <Link to={`/auftraege/${order.id}`}>zum Auftrag</Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
