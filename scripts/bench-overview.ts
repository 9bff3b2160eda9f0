import { spawnSync } from "node:child_process";
import { rm } from "node:fs/promises";
import { join } from "node:path";

import { drizzle } from "drizzle-orm/d1";
import { getPlatformProxy } from "wrangler";

import type { SessionUser } from "../app/auth/session.server";
import * as schema from "../app/db/schema";
import { buildOverviewQuery, loadOverview, parseOverviewQuery } from "../app/orders/overview.server";

// `npm run bench`: fills a fresh local D1 with 100,000 orders across
// 500 companies and measures the orders overview's loader for a customer and
// for staff across filter combinations. The loader runs in Node and reaches
// D1 in workerd through wrangler's getPlatformProxy, so its times include
// that local round trip. "SQL" is the page query's own time as D1 reports it
// (`meta.duration`, in whole milliseconds locally).

const STATE_DIR = process.env.BENCH_STATE_DIR ?? ".wrangler/bench-overview-state";
const COMPANIES = 500;
const ORDERS = 100_000;
const MANAGERS = 10;
const WARMUP_RUNS = 3;
const MEASURED_RUNS = 40;
const TARGET_P95_MS = 50;

/** Orders are spread over three years before this instant (Berlin noon, 1 June 2026). */
const NEWEST_ORDER_AT = Date.UTC(2026, 5, 1, 10);
const SPREAD_MS = 3 * 365 * 24 * 60 * 60 * 1000;

function run(step: string, command: string, args: string[]) {
  console.log(`> ${step}`);
  const result = spawnSync(`node_modules/.bin/${command}`, args, {
    stdio: "inherit",
    env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false" },
  });
  if (result.status !== 0) throw new Error(`${step} failed (exit code ${result.status ?? result.signal})`);
}

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];
}

/** Inserts companies, users and orders with a few set-based statements, so that filling takes seconds. */
async function fill(database: D1Database) {
  const now = Date.now();
  const statements: D1PreparedStatement[] = [];

  for (let index = 0; index < COMPANIES; index += 1) {
    statements.push(
      database
        .prepare("INSERT INTO companies (id, name, customer_number, created_at) VALUES (?, ?, ?, ?)")
        .bind(`company-${index}`, `Firma ${String(index).padStart(3, "0")} GmbH`, String(20000 + index), now),
    );
  }
  statements.push(
    database
      .prepare("INSERT INTO users (id, company_id, role, name, email, active, created_at) VALUES (?, ?, ?, ?, ?, 1, ?)")
      .bind("customer-0", "company-0", "customer", "Kundin Null", "kunde0@example.com", now),
    database
      .prepare("INSERT INTO users (id, company_id, role, name, email, active, created_at) VALUES (?, NULL, ?, ?, ?, 1, ?)")
      .bind("admin", "admin", "Administration", "admin@example.com", now),
  );
  for (let index = 0; index < MANAGERS; index += 1) {
    statements.push(
      database
        .prepare("INSERT INTO users (id, company_id, role, name, email, active, created_at) VALUES (?, NULL, 'manager', ?, ?, 1, ?)")
        .bind(`manager-${index}`, `Manager ${index}`, `manager${index}@example.com`, now),
    );
  }
  await database.batch(statements);

  // Titles with umlauts and ß; the number in each title makes it unique. Title,
  // state and manager use i / 3, i / 7 and i / 11, so that every company gets
  // every combination rather than one fixed by i % 500. D1 binds
  // JavaScript numbers as REAL, so the start is cast to keep ids such as "order-7".
  const chunk = 20_000;
  for (let start = 0; start < ORDERS; start += chunk) {
    await database
      .prepare(
        `WITH RECURSIVE n(i) AS (SELECT CAST(?1 AS INTEGER) UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?2)
         INSERT INTO orders (id, company_id, offer_number, order_number, title, status, manager_id, contact_id, created_at)
         SELECT
           'order-' || i,
           'company-' || (i % ${COMPANIES}),
           printf('%05d.%02d', 10000 + i / 4, i % 4 + 1),
           CASE WHEN i % 6 = 0 THEN NULL ELSE printf('%06d', 300000 + i) END,
           CASE (i / 3) % 8
             WHEN 0 THEN 'Broschüre Frühjahr '
             WHEN 1 THEN 'Flyer Sommerfest A5 '
             WHEN 2 THEN 'Kataloge Herbst '
             WHEN 3 THEN 'Plakate Straßenfest '
             WHEN 4 THEN 'Visitenkarten '
             WHEN 5 THEN 'GESCHÄFTSBERICHT '
             WHEN 6 THEN 'Mailing Übersicht '
             ELSE 'Kalender '
           END || i,
           CASE (i / 7) % 6 WHEN 0 THEN 'offer' WHEN 1 THEN 'ordered' WHEN 2 THEN 'print_ready' WHEN 3 THEN 'production' WHEN 4 THEN 'invoiced' ELSE 'withdrawn' END,
           'manager-' || ((i / 11) % ${MANAGERS}),
           CASE WHEN i % ${COMPANIES} = 0 THEN 'customer-0' ELSE NULL END,
           ${NEWEST_ORDER_AT} - ((i * 7919) % ${ORDERS}) * (${SPREAD_MS} / ${ORDERS})
         FROM n`,
      )
      .bind(start, Math.min(start + chunk, ORDERS))
      .run();
  }
}

interface BenchCase {
  name: string;
  user: SessionUser;
  search: string;
}

const customer: SessionUser = { id: "customer-0", role: "customer", companyId: "company-0", salutation: null, name: "Kundin Null", email: "kunde0@example.com" };
const admin: SessionUser = { id: "admin", role: "admin", companyId: null, salutation: null, name: "Administration", email: "admin@example.com" };
const manager: SessionUser = { id: "manager-3", role: "manager", companyId: null, salutation: null, name: "Manager 3", email: "manager3@example.com" };

const dates = "von=2025-01-01&bis=2025-03-31";
const statuses = "status=ordered&status=production";

const CASES: BenchCase[] = [
  { name: "customer, no filter", user: customer, search: "" },
  { name: "customer, search word", user: customer, search: "q=broschüre" },
  { name: "customer, search #number", user: customer, search: "q=%233005" },
  { name: "customer, dates", user: customer, search: dates },
  { name: "customer, 2 states", user: customer, search: statuses },
  { name: "customer, all filters", user: customer, search: `q=a&${dates}&${statuses}` },
  { name: "customer, by number", user: customer, search: "sortierung=nummer" },
  { name: "staff, no filter", user: admin, search: "" },
  { name: "staff, search word", user: admin, search: "q=straßenfest" },
  { name: "staff, search rare number", user: admin, search: "q=%2399999" },
  { name: "staff, search no match", user: admin, search: "q=gibt-es-nicht" },
  { name: "staff, dates", user: admin, search: dates },
  { name: "staff, 2 states", user: admin, search: statuses },
  { name: "staff, 1 rare state + dates", user: admin, search: `status=withdrawn&${dates}` },
  { name: "staff, company", user: admin, search: "firma=company-7" },
  { name: "staff, company + search", user: admin, search: "firma=company-7&q=kalender" },
  { name: "staff, all filters", user: admin, search: `q=a&${dates}&${statuses}` },
  { name: "staff, by number", user: admin, search: "sortierung=nummer" },
  { name: "staff, by number + 2 states", user: admin, search: `sortierung=nummer&${statuses}` },
  { name: "staff, by number + no match", user: admin, search: "sortierung=nummer&q=gibt-es-nicht" },
  { name: "staff, by number + dates", user: admin, search: `sortierung=nummer&${dates}` },
  { name: "staff, dates + no match", user: admin, search: `q=gibt-es-nicht&${dates}` },
  { name: "manager, default (mine)", user: manager, search: "" },
  { name: "manager, mine + search", user: manager, search: "q=übersicht" },
  { name: "manager, mine + 2 states", user: manager, search: statuses },
];

async function measure(database: D1Database, benchCase: BenchCase) {
  const db = drizzle(database, { schema });
  const firstUrl = new URL(`http://127.0.0.1/?${benchCase.search}`);

  // Page 2 when there is one, so the cursor condition is part of the measurement.
  const first = await loadOverview(db, benchCase.user, firstUrl);
  const urls = [firstUrl, ...(first.nextPageSearch ? [new URL(`http://127.0.0.1/${first.nextPageSearch}`)] : [])];

  const loaderMs: number[] = [];
  const sqlMs: number[] = [];
  for (let runIndex = 0; runIndex < WARMUP_RUNS + MEASURED_RUNS; runIndex += 1) {
    const url = urls[runIndex % urls.length];

    const started = performance.now();
    await loadOverview(db, benchCase.user, url);
    const elapsed = performance.now() - started;

    const query = parseOverviewQuery(url.searchParams, benchCase.user);
    const { sql, params } = buildOverviewQuery(db, benchCase.user, query).toSQL();
    const result = await database.prepare(sql).bind(...params).all();

    if (runIndex >= WARMUP_RUNS) {
      loaderMs.push(elapsed);
      sqlMs.push(result.meta.duration);
    }
  }

  loaderMs.sort((a, b) => a - b);
  sqlMs.sort((a, b) => a - b);
  return {
    rows: first.orders.length,
    loaderP50: percentile(loaderMs, 0.5),
    loaderP95: percentile(loaderMs, 0.95),
    sqlP50: percentile(sqlMs, 0.5),
    sqlP95: percentile(sqlMs, 0.95),
  };
}

await rm(STATE_DIR, { recursive: true, force: true });
run("Applying migrations to a fresh local D1", "wrangler", ["d1", "migrations", "apply", "DB", "--local", "--persist-to", STATE_DIR]);

const proxy = await getPlatformProxy<Env>({ persist: { path: join(STATE_DIR, "v3") } });
try {
  const filling = performance.now();
  await fill(proxy.env.DB);
  const counted = await proxy.env.DB.prepare("SELECT count(*) AS orders FROM orders").first<{ orders: number }>();
  console.log(`> Filled ${counted?.orders} orders across ${COMPANIES} companies in ${((performance.now() - filling) / 1000).toFixed(1)} s`);

  console.log(`\nTimes in ms over ${MEASURED_RUNS} runs (first page and page 2 alternating where there is a page 2).`);
  console.log(`${"case".padEnd(32)} ${"rows".padStart(4)} ${"loader p50".padStart(10)} ${"p95".padStart(7)} ${"SQL p50".padStart(8)} ${"p95".padStart(7)}`);
  let slowest = 0;
  for (const benchCase of CASES) {
    const result = await measure(proxy.env.DB, benchCase);
    slowest = Math.max(slowest, result.loaderP95);
    console.log(
      `${benchCase.name.padEnd(32)} ${String(result.rows).padStart(4)} ${result.loaderP50.toFixed(1).padStart(10)} ${result.loaderP95.toFixed(1).padStart(7)} ${result.sqlP50.toFixed(1).padStart(8)} ${result.sqlP95.toFixed(1).padStart(7)}`,
    );
  }
  console.log(`\nSlowest loader p95: ${slowest.toFixed(1)} ms (target < ${TARGET_P95_MS} ms) → ${slowest < TARGET_P95_MS ? "met" : "missed"}`);
  if (slowest >= TARGET_P95_MS) process.exitCode = 1;
} finally {
  await proxy.dispose();
}
