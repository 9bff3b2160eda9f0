import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";

import type { SessionUser } from "~/auth/session.server";
import { getDb } from "~/db/client.server";
import { companies, orders, users } from "~/db/schema";
import type { OrderStatus } from "~/db/values";
import { demoUser, seedDemo } from "../../tests/support/fixtures";

import { overviewMessages } from "./overview-messages";
import {
  berlinStartOfDay,
  buildOverviewQuery,
  encodeCursor,
  loadOverview,
  OVERVIEW_PAGE_SIZE,
  parseOverviewQuery,
} from "./overview.server";

let data: Awaited<ReturnType<typeof seedDemo>>;
let customer: SessionUser;
let otherCustomer: SessionUser;
let manager: SessionUser;
let admin: SessionUser;
let verlagId: string;
let reisenId: string;
let bulkCompanyId: string;
let otherManagerId: string;

/** Berlin noon of the day, as the demo data stores it. */
const berlinNoon = (year: number, month: number, day: number) => Date.UTC(year, month - 1, day, 10, 0, 0);

async function insertOrder(values: {
  companyId: string;
  offerNumber: string;
  title: string;
  createdAt: number;
  orderNumber?: string | null;
  status?: OrderStatus;
  managerId?: string | null;
}) {
  await getDb(env)
    .insert(orders)
    .values({ id: crypto.randomUUID(), status: "ordered", managerId: null, orderNumber: null, ...values });
}

beforeAll(async () => {
  data = await seedDemo();
  customer = demoUser(data, "kunde@example.com");
  otherCustomer = demoUser(data, "kunde2@example.com");
  manager = demoUser(data, "auftragsmanager@example.com");
  admin = demoUser(data, "admin@example.com");
  verlagId = customer.companyId!;
  reisenId = otherCustomer.companyId!;

  const db = getDb(env);
  bulkCompanyId = crypto.randomUUID();
  otherManagerId = crypto.randomUUID();
  await db.insert(companies).values({ id: bulkCompanyId, name: "Massendruck AG", createdAt: Date.now() });
  await db.insert(users).values({ id: otherManagerId, role: "manager", name: "Jonas Weber", email: "weber@example.com", createdAt: Date.now() });

  // Titles with capital umlauts, ß and LIKE's special characters, all at the customer's company.
  const special: [string, string][] = [
    ["50001.01", "ÜBERGRÖSSE Plakat Hauptstraße"],
    ["50001.02", "Rabatt 100% Aktion"],
    ["50001.03", "Mappe_A4 blau"],
    ["50001.04", "Pfad C:\\Druck\\Daten"],
    ["50001.05", 'Flyer "Sommer" O\'Brien'],
    ["50001.06", "Mappe A4 rot"],
  ];
  for (const [offerNumber, title] of special) {
    await insertOrder({ companyId: verlagId, offerNumber, title, createdAt: berlinNoon(2023, 3, 1) });
  }

  // Day boundaries in Berlin summer time (UTC+2): 00:30 on 1 July and 23:30 on 30 June.
  await insertOrder({ companyId: reisenId, offerNumber: "60001.01", title: "Grenzfall früh", createdAt: Date.UTC(2024, 5, 30, 22, 30) });
  await insertOrder({ companyId: reisenId, offerNumber: "60001.02", title: "Grenzfall spät", createdAt: Date.UTC(2024, 5, 30, 21, 30) });

  // 130 orders of another company for paging, many sharing a timestamp so that the tie-break matters.
  const bulk = Array.from({ length: 130 }, (_, index) => ({
    id: crypto.randomUUID(),
    companyId: bulkCompanyId,
    offerNumber: `7${String(index).padStart(4, "0")}.01`,
    orderNumber: null,
    title: `Serie ${index}`,
    status: "production" as const,
    managerId: index % 2 === 0 ? otherManagerId : manager.id,
    createdAt: berlinNoon(2022, 1, 1) + Math.floor(index / 7) * 60_000,
  }));
  // Eight rows of 10 columns stay below D1's 100 bound parameters per statement.
  for (let start = 0; start < bulk.length; start += 8) {
    await db.insert(orders).values(bulk.slice(start, start + 8));
  }
});

/** Loads the overview as the user would see it for the URL's query string. */
async function overview(user: SessionUser, search = "") {
  return loadOverview(getDb(env), user, new URL(`http://portal.test/${search}`));
}

async function offerNumbers(user: SessionUser, search = "") {
  return (await overview(user, search)).orders.map((order) => order.offerNumber);
}

/** Follows "Nächste Seite" until the last page and returns every page's offer numbers. */
async function allPages(user: SessionUser, search: string) {
  const pages: string[][] = [];
  let next: string | null = search;
  while (next !== null && pages.length < 20) {
    const result = await overview(user, next);
    pages.push(result.orders.map((order) => order.offerNumber));
    next = result.nextPageSearch;
  }
  return pages;
}

describe("overview search", () => {
  it("finds partial numbers with and without #", async () => {
    const byOrderNumber = ["42793.04", "42793.03", "42793.02"];
    expect(await offerNumbers(customer, "?q=2409")).toEqual(byOrderNumber);
    expect(await offerNumbers(customer, "?q=%232409")).toEqual(byOrderNumber);
    expect(await offerNumbers(customer, "?q=%23240970")).toEqual(["42793.04"]);
    expect(await offerNumbers(customer, "?q=793.05")).toEqual(["42793.05"]);
    expect(await offerNumbers(customer, "?q=%2342793.05")).toEqual(["42793.05"]);
  });

  it("finds descriptions with umlauts and ß as typed", async () => {
    const brochures = ["42793.04", "42793.03", "42793.05", "42793.02"];
    expect((await offerNumbers(customer, "?q=broschüre")).sort()).toEqual([...brochures].sort());
    expect((await offerNumbers(customer, "?q=BROSCHÜRE")).sort()).toEqual([...brochures].sort());

    for (const search of ["übergröße", "ÜBERGRÖSSE", "Übergrösse", "hauptstrasse", "HAUPTSTRASSE", "Hauptstraße", "straẞe"]) {
      expect(await offerNumbers(customer, `?q=${encodeURIComponent(search)}`), search).toEqual(["50001.01"]);
    }
  });

  it("requires every word of the search", async () => {
    expect(await offerNumbers(customer, "?q=mappe+rot")).toEqual(["50001.06"]);
    expect(await offerNumbers(customer, "?q=flyer+241002")).toEqual(["42810.01"]);
  });

  it("treats wildcards and quotes literally", async () => {
    const cases: [string, string[]][] = [
      ["%", ["50001.02"]],
      ["100%", ["50001.02"]],
      ["_", ["50001.03"]],
      ["mappe_a4", ["50001.03"]],
      ["\\", ["50001.04"]],
      ["c:\\druck", ["50001.04"]],
      ['"sommer"', ["50001.05"]],
      ["o'brien", ["50001.05"]],
      ["'", ["50001.05"]],
      ["%'", []],
    ];
    for (const [search, expected] of cases) {
      expect(await offerNumbers(customer, `?q=${encodeURIComponent(search)}`), search).toEqual(expected);
    }
  });

  it("rejects a 10,000-character search", async () => {
    const unfiltered = await offerNumbers(customer);
    const result = await overview(customer, `?q=${"a".repeat(10_000)}`);

    expect(result.errors).toEqual([overviewMessages.searchTooLong(100)]);
    expect(result.orders.map((order) => order.offerNumber)).toEqual(unfiltered);
    expect(result.query.search).toBe("");
  });
});

describe("overview filters", () => {
  it("filters a date range by Berlin days", async () => {
    expect(await offerNumbers(customer, "?von=2024-06-12&bis=2024-06-12")).toEqual(["42793.02"]);
    expect(await offerNumbers(customer, "?von=2024-06-13&bis=2024-06-30")).toEqual(["42793.05", "42793.04", "42793.03"]);
    expect(await offerNumbers(otherCustomer, "?von=2024-07-01&bis=2024-07-01")).toEqual(["60001.01"]);
    expect(await offerNumbers(otherCustomer, "?bis=2024-06-30")).toEqual(["60001.02"]);
  });

  it("computes Berlin midnight in winter and summer", () => {
    expect(berlinStartOfDay(2024, 1, 15)).toBe(Date.UTC(2024, 0, 14, 23));
    expect(berlinStartOfDay(2024, 7, 1)).toBe(Date.UTC(2024, 5, 30, 22));
    expect(berlinStartOfDay(2024, 3, 31)).toBe(Date.UTC(2024, 2, 30, 23));
    expect(berlinStartOfDay(2024, 10, 27)).toBe(Date.UTC(2024, 9, 26, 22));
  });

  it("filters several states", async () => {
    expect(await offerNumbers(customer, "?status=production&status=invoiced")).toEqual(["42793.04", "42793.03"]);
    expect(await offerNumbers(customer, "?status=offer")).toEqual(["42793.05"]);
  });

  it("reports invalid parameters and does not apply them", async () => {
    const unfiltered = await offerNumbers(customer);
    const cases: [string, string][] = [
      ["?status=storniert", overviewMessages.statusUnknown(["storniert"])],
      ["?von=2024-02-30", overviewMessages.dateInvalid(overviewMessages.dateFromLabel, "2024-02-30")],
      ["?bis=25.06.2024", overviewMessages.dateInvalid(overviewMessages.dateToLabel, "25.06.2024")],
      ["?von=2024-07-01&bis=2024-06-01", overviewMessages.dateRangeReversed],
      ["?sortierung=preis", overviewMessages.sortInvalid("preis")],
      ["?nach=kein-cursor", overviewMessages.cursorInvalid],
    ];
    for (const [search, message] of cases) {
      const result = await overview(customer, search);
      expect(result.errors, search).toEqual([message]);
      expect(result.orders.map((order) => order.offerNumber), search).toEqual(unfiltered);
    }

    const mixed = await overview(customer, "?status=storniert&status=offer");
    expect(mixed.errors).toEqual([overviewMessages.statusUnknown(["storniert"])]);
    expect(mixed.orders.map((order) => order.offerNumber)).toEqual(["42793.05"]);
  });

  it("tells an empty company from empty results", async () => {
    const emptyCompany = crypto.randomUUID();
    await getDb(env).insert(companies).values({ id: emptyCompany, name: "Leer GmbH", createdAt: Date.now() });
    const newcomer = { ...otherCustomer, id: crypto.randomUUID(), companyId: emptyCompany };

    const unfiltered = await overview(newcomer);
    expect(unfiltered.orders).toEqual([]);
    expect(unfiltered.filtered).toBe(false);

    const searched = await overview(customer, "?q=gibt-es-nicht");
    expect(searched.orders).toEqual([]);
    expect(searched.filtered).toBe(true);
  });
});

describe("overview sorting and paging", () => {
  it("sorts by date, then by number", async () => {
    const special = ["50001.06", "50001.05", "50001.04", "50001.03", "50001.02", "50001.01"];

    expect(await offerNumbers(customer)).toEqual(["42810.01", "42793.05", "42793.04", "42793.03", "42793.02", ...special]);
    expect(await offerNumbers(customer, "?sortierung=datum")).toEqual(await offerNumbers(customer));
    expect(await offerNumbers(customer, "?sortierung=nummer")).toEqual([
      ...special,
      "42810.01",
      "42793.05",
      "42793.04",
      "42793.03",
      "42793.02",
    ]);
  });

  it("pages without duplicates or gaps", async () => {
    const expectedByDate = Array.from({ length: 130 }, (_, index) => `7${String(index).padStart(4, "0")}.01`).reverse();

    for (const [sort, expected] of [
      ["datum", expectedByDate],
      ["nummer", expectedByDate],
    ] as const) {
      const pages = await allPages(admin, `?firma=${bulkCompanyId}&sortierung=${sort}`);
      expect(pages.map((page) => page.length), sort).toEqual([OVERVIEW_PAGE_SIZE, OVERVIEW_PAGE_SIZE, 30]);
      expect(pages.flat(), sort).toEqual(expected);
    }
  });

  it("pages with the filters kept", async () => {
    const first = await overview(admin, "?q=serie&status=production&sortierung=nummer");
    const next = new URLSearchParams(first.nextPageSearch ?? "");
    expect(next.get("q")).toBe("serie");
    expect(next.get("status")).toBe("production");
    expect(next.get("sortierung")).toBe("nummer");

    const pages = await allPages(admin, "?q=serie&status=production&sortierung=nummer");
    const found = pages.flat();
    expect(pages.map((page) => page.length)).toEqual([OVERVIEW_PAGE_SIZE, OVERVIEW_PAGE_SIZE, 30]);
    expect(new Set(found).size).toBe(130);
  });

  it("offers the first page only after paging", async () => {
    const first = await overview(admin, `?firma=${bulkCompanyId}`);
    expect(first.firstPageSearch).toBeNull();

    const second = await overview(admin, first.nextPageSearch ?? "");
    expect(second.firstPageSearch).toBe(`?firma=${bulkCompanyId}`);
  });
});

describe("overview access", () => {
  it("never shows a customer another company's orders", async () => {
    const searches = ["", "?q=42901", "?q=Kataloge", "?q=Serie", "?q=%25", `?firma=${reisenId}`, "?meine=1", "?sortierung=nummer"];
    for (const search of searches) {
      const result = await overview(customer, search);
      expect(result.orders.every((order) => order.companyName === "Beispiel Verlag GmbH"), search).toBe(true);
      expect(result.staff).toBe(false);
    }
    expect(await offerNumbers(customer, "?q=42901")).toEqual([]);
    expect(await offerNumbers(otherCustomer, "?q=broschüre")).toEqual([]);
  });

  it("lets staff filter by company", async () => {
    const result = await overview(admin, `?firma=${reisenId}`);
    expect(result.orders.map((order) => order.offerNumber)).toEqual(["42960.01", "42901.01", "60001.01", "60001.02"]);
    expect(result.companyChoices.map((company) => company.name)).toContain("Nordlicht Reisen GmbH");

    const unknown = await overview(admin, "?firma=gibt-es-nicht");
    expect(unknown.errors).toEqual([overviewMessages.companyUnknown]);
    expect(unknown.orders).toHaveLength(OVERVIEW_PAGE_SIZE);
  });

  it("shows a manager's own orders by default", async () => {
    const own = await allPages(manager, "");
    const demoOrders = 7;
    // Hansekontor's older orders have no manager.
    const unmanagedDemoOrders = 55;
    expect(own.flat()).toHaveLength(demoOrders + 65);
    expect((await overview(manager)).query.mine).toBe(true);

    const everyone = await allPages(manager, "?meine=0");
    expect(everyone.flat()).toHaveLength(demoOrders + unmanagedDemoOrders + 6 + 2 + 130);

    // The form sends a hidden "0" before the ticked box's "1".
    expect((await allPages(manager, "?meine=0&meine=1")).flat()).toHaveLength(demoOrders + 65);
    expect((await allPages(admin, "")).flat()).toHaveLength(demoOrders + unmanagedDemoOrders + 6 + 2 + 130);
  });
});

describe("overview query plans", () => {
  const filterCases: Record<string, string> = {
    none: "",
    search: "q=mappe",
    dates: "von=2024-01-01&bis=2024-12-31",
    statuses: "status=ordered&status=production",
    all: "q=mappe&von=2024-01-01&bis=2024-12-31&status=ordered&status=production",
  };

  it("uses an index for every filter combination", async () => {
    const cursor = encodeCursor({ createdAt: berlinNoon(2024, 6, 25), offerNumber: "42793.04" });
    const viewers: [string, () => SessionUser, string][] = [
      ["customer", () => customer, ""],
      ["staff", () => admin, "meine=0"],
      ["staff company", () => admin, `firma=${reisenId}`],
      ["staff mine", () => manager, "meine=1"],
    ];

    for (const [viewer, user, base] of viewers) {
      for (const [filter, filterParams] of Object.entries(filterCases)) {
        for (const sort of ["datum", "nummer"]) {
          for (const page of ["", `nach=${cursor}`]) {
            const label = `${viewer}, ${filter}, ${sort}, ${page ? "next page" : "first page"}`;
            const params = new URLSearchParams([base, filterParams, `sortierung=${sort}`, page].filter(Boolean).join("&"));
            const query = parseOverviewQuery(params, user());
            expect(query.errors, label).toEqual([]);

            const { sql, params: bindings } = buildOverviewQuery(getDb(env), user(), query).toSQL();
            const plan = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
              .bind(...bindings)
              .all<{ detail: string }>();
            const details = plan.results.map((row) => row.detail);

            // The page's rowids come from an index; the outer query reads those rows by rowid.
            const ordersSteps = details.filter((detail) => /^(SCAN|SEARCH) orders\b/.test(detail));
            expect(ordersSteps.some((detail) => /USING (COVERING )?INDEX orders_/.test(detail)), `${label}: ${details.join(" | ")}`).toBe(true);
            for (const step of ordersSteps) {
              expect(step, label).toMatch(/USING (COVERING INDEX|INDEX|INTEGER PRIMARY KEY)/);
            }
            expect(details.filter((detail) => /^SCAN /.test(detail) && !/USING/.test(detail)), label).toEqual([]);

            // Filters tested on index entries, not by computing search_text for every order.
            if (viewer === "staff" && sort === "nummer" && (filter === "search" || filter === "statuses")) {
              expect(details.join(" | "), label).toContain("orders_offer_search_idx");
            }
          }
        }
      }
    }
  });
});
