import { Form, Link, useLocation } from "react-router";

import { StatusBadge } from "~/components/status-badge";
import { requireUser } from "~/auth/guard.server";
import { cloudflareContext } from "~/cloudflare-context";
import { getDb } from "~/db/client.server";
import { ORDER_STATUSES } from "~/db/values";
import { formatDate, formatNumber } from "~/format";
import { orderStatusLabels } from "~/messages";
import { overviewMessages as text, SEARCH_MAX_LENGTH } from "~/orders/overview-messages";
import { loadOverview } from "~/orders/overview.server";

import type { Route } from "./+types/overview";

export async function loader({ request, context }: Route.LoaderArgs) {
  const user = requireUser(context, request);
  const { env } = context.get(cloudflareContext);

  return loadOverview(getDb(env), user, new URL(request.url));
}

export function meta() {
  return [{ title: "Angebote und Aufträge" }];
}

type OverviewData = Route.ComponentProps["loaderData"];

/** Renders the GET form of search and filters. Its fields start from the URL, so a link or the back button restores them. */
function OverviewFilters({ data }: { data: OverviewData }) {
  const { query, staff, companyChoices } = data;
  const location = useLocation();

  return (
    // The key resets the fields' default values when the URL changes, for example through the back button.
    <Form method="get" className="overview-filters" key={location.search} aria-label={text.filtersHeading}>
      <div className="overview-search">
        <label htmlFor="overview-q">{text.searchLabel}</label>
        <input
          id="overview-q"
          type="search"
          name="q"
          defaultValue={query.search}
          maxLength={SEARCH_MAX_LENGTH}
          aria-describedby="overview-q-hint"
        />
        <span id="overview-q-hint" className="muted">
          {text.searchHint}
        </span>
      </div>

      <div className="overview-filter-row">
        <label>
          {text.dateFromLabel}
          <input type="date" name="von" defaultValue={query.from} />
        </label>
        <label>
          {text.dateToLabel}
          <input type="date" name="bis" defaultValue={query.to} />
        </label>
        <label>
          {text.sortLabel}
          <select name="sortierung" defaultValue={query.sort}>
            <option value="datum">{text.sortByDate}</option>
            <option value="nummer">{text.sortByNumber}</option>
          </select>
        </label>
        {staff ? (
          <label>
            {text.companyLabel}
            <select name="firma" defaultValue={query.companyId}>
              <option value="">{text.companyAll}</option>
              {companyChoices.map((company) => (
                <option key={company.id} value={company.id}>
                  {company.name}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        {staff ? (
          <label className="overview-check">
            {/* Sent when the box is unticked, so that "off" overrides the order managers' default. */}
            <input type="hidden" name="meine" value="0" />
            <input type="checkbox" name="meine" value="1" defaultChecked={query.mine} />
            {text.mineLabel}
          </label>
        ) : null}
      </div>

      <fieldset className="overview-statuses">
        <legend>{text.statusLabel}</legend>
        {ORDER_STATUSES.map((status) => (
          <label key={status} className="overview-check">
            <input type="checkbox" name="status" value={status} defaultChecked={query.statuses.includes(status)} />
            {orderStatusLabels[status]}
          </label>
        ))}
      </fieldset>

      <div className="overview-actions">
        <button type="submit">{text.apply}</button>
        <Link to="/">{text.reset}</Link>
      </div>
    </Form>
  );
}

/** Explains an empty list: no orders at all, none of the manager's own, or none matching the filters. */
function EmptyState({ data }: { data: OverviewData }) {
  const location = useLocation();

  if (!data.filtered) {
    return <p className="empty">{data.staff ? text.noOrdersStaff : text.noOrders}</p>;
  }

  const allManagers = new URLSearchParams(location.search);
  allManagers.set("meine", "0");
  allManagers.delete("nach");
  return (
    <div className="empty overview-empty">
      <p>{data.query.mine ? text.noOwnOrders : text.noMatches}</p>
      <p className="overview-empty-actions">
        {data.query.mine ? <Link to={`/?${allManagers}`}>{text.showAllManagers}</Link> : null}
        <Link to="/">{text.reset}</Link>
      </p>
    </div>
  );
}

export default function Overview({ loaderData }: Route.ComponentProps) {
  const { orders, staff: showCompany, errors, nextPageSearch, firstPageSearch } = loaderData;

  return (
    <section>
      <h1>Angebote und Aufträge</h1>
      <OverviewFilters data={loaderData} />

      {errors.length > 0 ? (
        <ul className="form-error overview-errors" role="alert">
          {errors.map((error) => (
            <li key={error}>{error}</li>
          ))}
        </ul>
      ) : null}

      {orders.length === 0 ? (
        <EmptyState data={loaderData} />
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

      {nextPageSearch || firstPageSearch ? (
        <nav className="overview-paging" aria-label="Seiten">
          {firstPageSearch ? <Link to={`/${firstPageSearch}`}>{text.firstPage}</Link> : null}
          {nextPageSearch ? <Link to={`/${nextPageSearch}`}>{text.nextPage}</Link> : null}
        </nav>
      ) : null}
    </section>
  );
}
