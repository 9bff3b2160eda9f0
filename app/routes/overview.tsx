import { useEffect, useRef, useState, type RefObject } from "react";
import { Form, Link, useLocation } from "react-router";

import { BULK_TARGETS, loadBulkNotice, withoutBulkNotice } from "~/admin/offers-bulk.server";
import { StatusBadge } from "~/components/status-badge";
import { isStaff, requireUser } from "~/auth/guard.server";
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

  const url = new URL(request.url);
  const db = getDb(env);
  const staff = isStaff(user);
  const [overview, notice] = await Promise.all([
    loadOverview(db, user, withoutBulkNotice(url)),
    staff ? loadBulkNotice(db, url.searchParams) : null,
  ]);
  return {
    ...overview,
    bulk: staff ? { targets: BULK_TARGETS, notice } : null,
    canCreateOffers: user.role === "manager" || user.role === "admin",
  };
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

/** Renders the staff's bulk state change. The rows' checkboxes belong to this form through their `form` attribute. */
function BulkStatusForm({ bulk }: { bulk: NonNullable<OverviewData["bulk"]> }) {
  const location = useLocation();

  return (
    <Form method="post" action="/verwaltung/auftraege/status" id="bulk-status" className="overview-bulk">
      {/* The overview's query string, so that the result comes back to the same view. */}
      <input type="hidden" name="view" value={location.search} />
      <label>
        Status ändern auf{" "}
        <select name="to" defaultValue="">
          <option value="">Bitte wählen …</option>
          {bulk.targets.map((status) => (
            <option key={status} value={status}>
              {orderStatusLabels[status]}
            </option>
          ))}
        </select>
      </label>{" "}
      <button type="submit">Für ausgewählte Aufträge ändern</button>
    </Form>
  );
}

/** Shows the result of a bulk change: a summary and, for skipped orders, one line each with the reason. */
function BulkNotice({ notice }: { notice: NonNullable<NonNullable<OverviewData["bulk"]>["notice"]> }) {
  return (
    <div className={notice.ok ? "form-success overview-notice" : "form-error overview-notice"} role={notice.ok ? "status" : "alert"}>
      <p>{notice.message}</p>
      {notice.details.length > 0 ? (
        <ul>
          {notice.details.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/**
 * Renders the "Alle auswählen" box of the bulk column. It needs JavaScript,
 * so it appears only after hydration; without it the rows' boxes still work.
 */
function SelectAllOrders({ tableRef }: { tableRef: RefObject<HTMLTableElement | null> }) {
  const [hydrated, setHydrated] = useState(false);
  const boxRef = useRef<HTMLInputElement>(null);
  const location = useLocation();

  useEffect(() => setHydrated(true), []);

  // Follows the rows' boxes: ticked when all are, half when some are.
  useEffect(() => {
    const table = tableRef.current;
    const box = boxRef.current;
    if (!table || !box) return;
    const sync = () => {
      const rows = [...table.querySelectorAll<HTMLInputElement>('tbody input[name="orderIds"]')];
      const checked = rows.filter((row) => row.checked).length;
      box.checked = rows.length > 0 && checked === rows.length;
      box.indeterminate = checked > 0 && checked < rows.length;
    };
    sync();
    table.addEventListener("change", sync);
    return () => table.removeEventListener("change", sync);
  }, [hydrated, location.search, tableRef]);

  if (!hydrated) return null;
  return (
    <input
      ref={boxRef}
      type="checkbox"
      aria-label="Alle auswählen"
      title="Alle auswählen"
      onChange={(event) => {
        const checked = event.currentTarget.checked;
        for (const row of tableRef.current?.querySelectorAll<HTMLInputElement>('tbody input[name="orderIds"]') ?? []) row.checked = checked;
      }}
    />
  );
}

export default function Overview({ loaderData }: Route.ComponentProps) {
  const { orders, staff: showCompany, errors, nextPageSearch, firstPageSearch, bulk, canCreateOffers } = loaderData;
  const location = useLocation();
  const tableRef = useRef<HTMLTableElement>(null);

  return (
    <section>
      <h1>Angebote und Aufträge</h1>
      {canCreateOffers ? (
        <p>
          <Link to="/verwaltung/angebote/neu" className="button-link">
            Neues Angebot
          </Link>
        </p>
      ) : null}
      <OverviewFilters data={loaderData} />

      {bulk?.notice ? <BulkNotice notice={bulk.notice} /> : null}

      {errors.length > 0 ? (
        <ul className="form-error overview-errors" role="alert">
          {errors.map((error) => (
            <li key={error}>{error}</li>
          ))}
        </ul>
      ) : null}

      {bulk && orders.length > 0 ? <BulkStatusForm bulk={bulk} /> : null}

      {orders.length === 0 ? (
        <EmptyState data={loaderData} />
      ) : (
        <div className="table-scroll">
          <table className="orders overview-table" ref={tableRef}>
            <thead>
              <tr>
                {bulk ? (
                  <th scope="col" className="overview-select">
                    <span className="visually-hidden">Auswahl</span>
                    <SelectAllOrders tableRef={tableRef} />
                  </th>
                ) : null}
                <th scope="col">Datum</th>
                {/* <wbr> lets the long German headers break in two without changing their text. */}
                <th scope="col">
                  Angebots<wbr />nummer
                </th>
                <th scope="col">
                  Auftrags<wbr />nummer
                </th>
                {showCompany ? <th scope="col">Firma</th> : null}
                <th scope="col">Beschreibung</th>
                <th scope="col">Status</th>
                <th scope="col">
                  Auftrags<wbr />manager
                </th>
                <th scope="col">Nachrichten</th>
                <th scope="col">
                  <span className="visually-hidden">Aktion</span>
                </th>
              </tr>
            </thead>
            {/* The key clears the bulk checkboxes after each navigation, such as the return from a bulk change. */}
            <tbody key={location.search}>
              {orders.map((order) => (
                <tr key={order.id}>
                  {bulk ? (
                    <td className="overview-select">
                      <input
                        type="checkbox"
                        name="orderIds"
                        value={order.id}
                        form="bulk-status"
                        aria-label={`${formatNumber(order.offerNumber)} auswählen`}
                      />
                    </td>
                  ) : null}
                  <td className="overview-nowrap">{formatDate(order.createdAt)}</td>
                  <td className="overview-nowrap">{formatNumber(order.offerNumber)}</td>
                  <td className="overview-nowrap">{formatNumber(order.orderNumber)}</td>
                  {showCompany ? <td className="overview-text">{order.companyName}</td> : null}
                  <td className="overview-text">{order.title}</td>
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
                  <td className="overview-links">
                    <Link to={`/auftraege/${order.id}`}>zum Auftrag</Link>
                    {bulk ? <Link to={`/verwaltung/auftraege/${order.id}`}>bearbeiten</Link> : null}
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
