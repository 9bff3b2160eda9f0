import { decodeBase64urlIgnorePadding, encodeBase64urlNoPadding } from "@oslojs/encoding";
import { and, asc, desc, eq, gte, inArray, lt, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";

import { isStaff } from "~/auth/guard.server";
import type { SessionUser } from "~/auth/session.server";
import type { Database } from "~/db/client.server";
import { companies, orders, users } from "~/db/schema";
import { ORDER_STATUSES, type OrderStatus } from "~/db/values";

import { overviewMessages, SEARCH_MAX_LENGTH } from "./overview-messages";
import { countUnreadChatMessages } from "./queries.server";

// The orders overview: search, filters, sorting and keyset pagination. Every
// filter lives in the URL, so a link or the back button restores the view.

export const OVERVIEW_PAGE_SIZE = 50;
export const OVERVIEW_SORTS = ["datum", "nummer"] as const;
export type OverviewSort = (typeof OVERVIEW_SORTS)[number];

const TIME_ZONE = "Europe/Berlin";

const managers = alias(users, "managers");

/** Position after the last row of a page. The number sort uses only `offerNumber`. */
export interface OverviewCursor {
  createdAt: number;
  offerNumber: string;
}

/** The validated view of the overview's URL parameters. */
export interface OverviewQuery {
  /** The search as typed, for the form, or empty when it was rejected. */
  search: string;
  /** Search terms folded like `orders.search_text`. Every term must occur. */
  terms: string[];
  /** `von` and `bis` as yyyy-mm-dd for the form, or null when missing or invalid. */
  from: string | null;
  to: string | null;
  /** Start of `von` and start of the day after `bis`, in Berlin time, as epoch ms. */
  fromTime: number | null;
  toTimeExclusive: number | null;
  statuses: OrderStatus[];
  /** Company filter of staff, always null for customers. */
  companyId: string | null;
  /** Staff only: orders the signed-in user manages. */
  mine: boolean;
  sort: OverviewSort;
  cursor: OverviewCursor | null;
  /** German messages about parameters that were invalid and therefore not applied. */
  errors: string[];
}

/** Folds a search term the way `orders.search_text` is built, so that "STRASSE", "Straße" and "straße" match alike. */
export function normalizeSearchTerm(term: string): string {
  return term.normalize("NFC").toLowerCase().replaceAll("ß", "ss");
}

/** Escapes LIKE's wildcards and its escape character, so the term matches literally. */
export function likeContainsPattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

/** Splits the search into terms. A leading "#" is dropped, because the shop writes numbers as "#42793.04". */
function searchTerms(search: string): string[] {
  return search
    .split(/\s+/)
    .map((term) => normalizeSearchTerm(term.replace(/^#+/, "")))
    .filter((term) => term.length > 0);
}

/** Returns how far Berlin time is ahead of UTC at the instant, in ms. */
function berlinOffsetMs(instant: number): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: TIME_ZONE,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
  }).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((candidate) => candidate.type === type)?.value);
  const asUtc = Date.UTC(part("year"), part("month") - 1, part("day"), part("hour"), part("minute"), part("second"));
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/**
 * Returns midnight in Berlin of the day as epoch ms. The offset is read twice
 * because the first guess may fall on the other side of a daylight-saving switch.
 */
export function berlinStartOfDay(year: number, month: number, day: number): number {
  const utcMidnight = Date.UTC(year, month - 1, day);
  const guess = utcMidnight - berlinOffsetMs(utcMidnight);
  return utcMidnight - berlinOffsetMs(guess);
}

/** Parses a yyyy-mm-dd date as sent by `<input type="date">`, or returns null for anything else and for days that do not exist. */
function parseIsoDate(value: string): { year: number; month: number; day: number } | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return null;

  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (year < 1970 || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return { year, month, day };
}

export function encodeCursor(cursor: OverviewCursor): string {
  return encodeBase64urlNoPadding(new TextEncoder().encode(JSON.stringify([cursor.createdAt, cursor.offerNumber])));
}

export function decodeCursor(value: string): OverviewCursor | null {
  try {
    const parsed: unknown = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(decodeBase64urlIgnorePadding(value)));
    if (!Array.isArray(parsed) || parsed.length !== 2) return null;

    const [createdAt, offerNumber] = parsed;
    if (!Number.isSafeInteger(createdAt) || typeof offerNumber !== "string" || offerNumber.length > 200) return null;
    return { createdAt, offerNumber };
  } catch {
    return null;
  }
}

/**
 * Validates the overview's URL parameters. An invalid parameter is left out
 * of the filters and reported in `errors`, so that it never narrows the list
 * by a value the user did not mean.
 */
export function parseOverviewQuery(params: URLSearchParams, user: SessionUser): OverviewQuery {
  const errors: string[] = [];

  const rawSearch = (params.get("q") ?? "").trim();
  let search = rawSearch;
  if (rawSearch.length > SEARCH_MAX_LENGTH) {
    errors.push(overviewMessages.searchTooLong(SEARCH_MAX_LENGTH));
    search = "";
  }

  const readDate = (name: string, label: string) => {
    const value = params.get(name) ?? "";
    if (value === "") return null;
    const date = parseIsoDate(value);
    if (!date) errors.push(overviewMessages.dateInvalid(label, value.slice(0, 20)));
    return date ? { value, ...date } : null;
  };
  let from = readDate("von", overviewMessages.dateFromLabel);
  let to = readDate("bis", overviewMessages.dateToLabel);
  if (from && to && from.value > to.value) {
    errors.push(overviewMessages.dateRangeReversed);
    from = null;
    to = null;
  }

  const requestedStatuses = [...new Set(params.getAll("status").filter((value) => value !== ""))];
  const statuses = requestedStatuses.filter((value): value is OrderStatus => (ORDER_STATUSES as readonly string[]).includes(value));
  const unknownStatuses = requestedStatuses.filter((value) => !(ORDER_STATUSES as readonly string[]).includes(value));
  if (unknownStatuses.length > 0) errors.push(overviewMessages.statusUnknown(unknownStatuses.slice(0, 5).map((value) => value.slice(0, 30))));

  const rawSort = params.get("sortierung") ?? "";
  const sort: OverviewSort = rawSort === "nummer" ? "nummer" : "datum";
  if (rawSort !== "" && !(OVERVIEW_SORTS as readonly string[]).includes(rawSort)) errors.push(overviewMessages.sortInvalid(rawSort.slice(0, 30)));

  // The form sends "0" from a hidden field and also "1" when the box is ticked, and the last value wins.
  // Without the parameter, order managers start with their own orders.
  const staff = isStaff(user);
  const mineValues = params.getAll("meine");
  const mine = staff && (mineValues.length === 0 ? user.role === "manager" : mineValues.at(-1) === "1");

  const rawCursor = params.get("nach") ?? "";
  const cursor = rawCursor === "" ? null : decodeCursor(rawCursor);
  if (rawCursor !== "" && !cursor) errors.push(overviewMessages.cursorInvalid);

  return {
    search,
    terms: searchTerms(search),
    from: from?.value ?? null,
    to: to?.value ?? null,
    fromTime: from ? berlinStartOfDay(from.year, from.month, from.day) : null,
    toTimeExclusive: to ? berlinStartOfDay(to.year, to.month, to.day + 1) : null,
    statuses,
    companyId: staff ? params.get("firma") || null : null,
    mine,
    sort,
    cursor,
    errors,
  };
}

/** Reports whether the query narrows the list, so that an empty result means "nothing matches" rather than "no orders yet". */
export function isFiltered(query: OverviewQuery): boolean {
  return (
    query.terms.length > 0 ||
    query.fromTime !== null ||
    query.toTimeExclusive !== null ||
    query.statuses.length > 0 ||
    query.companyId !== null ||
    query.mine
  );
}

/**
 * Builds the overview's page query: one more row than a page, so the caller
 * knows whether a next page exists. Customers are limited to their own
 * company whatever the URL contains. The indexes in `orders` (see the
 * schema) cover each combination, and `overview.worker.test.ts` checks the plans.
 */
export function buildOverviewQuery(db: Database, user: SessionUser, query: OverviewQuery) {
  const conditions: SQL[] = [];

  if (!isStaff(user)) {
    conditions.push(eq(orders.companyId, user.companyId ?? ""));
  } else {
    if (query.companyId) conditions.push(eq(orders.companyId, query.companyId));
    if (query.mine) conditions.push(eq(orders.managerId, user.id));
  }

  // likelihood() gives SQLite's planner the estimate that these filters reject
  // most rows. It then prefers an index that carries status and search_text,
  // such as orders_offer_search_idx over the narrower unique index on
  // offer_number. The filters are then tested on index entries, without
  // computing search_text for every order, which took about 100 ms for
  // 100,000 orders in bench-overview. The probabilities are planner hints,
  // not measured shares.
  for (const term of query.terms) {
    conditions.push(sql`likelihood(${orders.searchText} like ${likeContainsPattern(term)} escape '\\', 0.05)`);
  }
  if (query.fromTime !== null) conditions.push(gte(orders.createdAt, query.fromTime));
  if (query.toTimeExclusive !== null) conditions.push(lt(orders.createdAt, query.toTimeExclusive));
  if (query.statuses.length > 0) conditions.push(sql`likelihood(${inArray(orders.status, query.statuses)}, 0.25)`);

  const { cursor } = query;
  if (cursor && query.sort === "datum") {
    conditions.push(sql`(${orders.createdAt}, ${orders.offerNumber}) < (${cursor.createdAt}, ${cursor.offerNumber})`);
  } else if (cursor && isStaff(user) && !query.companyId && !query.mine && (query.terms.length > 0 || query.statuses.length > 0)) {
    // The unary plus keeps SQLite from seeking the unique index on
    // offer_number with this range, where it would read every row to test
    // the filters. It scans orders_offer_search_idx from the top instead and
    // tests cursor and filters on its entries, which stays within about
    // 15 ms for 100,000 orders in bench-overview.
    conditions.push(sql`+${orders.offerNumber} < ${cursor.offerNumber}`);
  } else if (cursor) {
    conditions.push(lt(orders.offerNumber, cursor.offerNumber));
  }

  const ordering = query.sort === "datum" ? [desc(orders.createdAt), desc(orders.offerNumber)] : [desc(orders.offerNumber)];

  // The page's rowids come first, from the index alone (every index of
  // `orders` contains the rowid). Only those rows are then read and joined,
  // so a sort that cannot follow an index orders index entries, not joined rows.
  const rowid = sql`${orders}.rowid`;
  const pageRowids = db
    .select({ rowid })
    .from(orders)
    .where(and(...conditions))
    .orderBy(...ordering)
    .limit(OVERVIEW_PAGE_SIZE + 1);

  return db
    .select({
      id: orders.id,
      createdAt: orders.createdAt,
      offerNumber: orders.offerNumber,
      orderNumber: orders.orderNumber,
      title: orders.title,
      status: orders.status,
      managerName: managers.name,
      companyName: companies.name,
    })
    .from(orders)
    .innerJoin(companies, eq(companies.id, orders.companyId))
    .leftJoin(managers, eq(managers.id, orders.managerId))
    .where(inArray(rowid, pageRowids))
    .orderBy(...ordering);
}

/** Lists one page of the overview and the cursor of the next page, null on the last page. */
export async function listOverviewPage(db: Database, user: SessionUser, query: OverviewQuery) {
  const rows = await buildOverviewQuery(db, user, query);

  const page = rows.slice(0, OVERVIEW_PAGE_SIZE);
  const last = page.at(-1);
  const nextCursor = rows.length > OVERVIEW_PAGE_SIZE && last ? encodeCursor({ createdAt: last.createdAt, offerNumber: last.offerNumber }) : null;
  return { orders: page, nextCursor };
}

/** Companies for the staff's company filter, by name. */
export async function listCompanyChoices(db: Database) {
  return db.select({ id: companies.id, name: companies.name }).from(companies).orderBy(asc(companies.name), asc(companies.id));
}

/** Loads everything the overview page shows for the request's URL. */
export async function loadOverview(db: Database, user: SessionUser, url: URL) {
  const query = parseOverviewQuery(url.searchParams, user);
  const staff = isStaff(user);

  // The three queries run in parallel. A company id that is not in the list
  // matches no order, so the page is loaded again without it.
  const [companyChoices, firstPage, unread] = await Promise.all([
    staff ? listCompanyChoices(db) : Promise.resolve([]),
    listOverviewPage(db, user, query),
    countUnreadChatMessages(db, user),
  ]);
  let page = firstPage;
  if (query.companyId && !companyChoices.some((company) => company.id === query.companyId)) {
    query.errors.push(overviewMessages.companyUnknown);
    query.companyId = null;
    page = await listOverviewPage(db, user, query);
  }

  const nextParams = new URLSearchParams(url.searchParams);
  if (page.nextCursor) nextParams.set("nach", page.nextCursor);
  const firstParams = new URLSearchParams(url.searchParams);
  firstParams.delete("nach");

  return {
    orders: page.orders.map((order) => ({ ...order, unreadMessages: unread.get(order.id) ?? 0 })),
    nextPageSearch: page.nextCursor ? `?${nextParams}` : null,
    firstPageSearch: query.cursor ? `?${firstParams}` : null,
    query: {
      search: query.search,
      from: query.from ?? "",
      to: query.to ?? "",
      statuses: query.statuses,
      companyId: query.companyId ?? "",
      mine: query.mine,
      sort: query.sort,
    },
    errors: query.errors,
    filtered: isFiltered(query),
    staff,
    isManager: user.role === "manager",
    companyChoices,
  };
}
