import { applyD1Migrations, type D1Migration } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { getTableColumns, getTableName } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import { expect, it } from "vitest";

import { buildDemoData } from "../../scripts/demo-data";

import * as schema from "./schema";

const { TEST_MIGRATIONS, MIGRATION_TEST_DB } = env as unknown as {
  TEST_MIGRATIONS: D1Migration[];
  MIGRATION_TEST_DB: D1Database;
};

/**
 * Inserts rows through the columns the table has at this point of the
 * migration history, so that data built for today's schema can seed an older one.
 */
async function insertRows(database: D1Database, table: SQLiteTable, rows: Record<string, unknown>[]) {
  const name = getTableName(table);
  const info = await database.prepare(`PRAGMA table_info("${name}")`).all<{ name: string }>();
  const existing = new Set(info.results.map((column) => column.name));
  const columns = Object.entries(getTableColumns(table)).filter(([, column]) => existing.has(column.name));

  for (const row of rows) {
    const present = columns.filter(([key]) => row[key] !== undefined);
    const values = present.map(([key]) => {
      const value = row[key];
      if (typeof value === "boolean") return Number(value);
      // JSON columns such as orders.spec are stored as text.
      if (value !== null && typeof value === "object") return JSON.stringify(value);
      return value;
    });
    const sql = `INSERT INTO "${name}" (${present.map(([, column]) => `"${column.name}"`).join(", ")}) VALUES (${present.map(() => "?").join(", ")})`;
    await database.prepare(sql).bind(...values).run();
  }
}

async function countRows(database: D1Database, table: SQLiteTable): Promise<number> {
  const row = await database.prepare(`SELECT count(*) AS rows FROM "${getTableName(table)}"`).first<{ rows: number }>();
  return row?.rows ?? 0;
}

it("keeps every seeded row through the newest migration", async () => {
  // Seed the database as it was before the newest migration (or after the
  // first one, while there is only one), then migrate to the newest schema.
  const seededAt = Math.max(1, TEST_MIGRATIONS.length - 1);
  await applyD1Migrations(MIGRATION_TEST_DB, TEST_MIGRATIONS.slice(0, seededAt));

  const data = buildDemoData("hash");
  const seeded: [SQLiteTable, Record<string, unknown>[]][] = [
    [schema.shopSettings, [data.shop]],
    [schema.companies, data.companies],
    [schema.users, data.users],
    [schema.orders, data.orders],
    [schema.documents, data.documents],
  ];
  for (const [table, rows] of seeded) await insertRows(MIGRATION_TEST_DB, table, rows);

  await applyD1Migrations(MIGRATION_TEST_DB, TEST_MIGRATIONS);

  const applied = await MIGRATION_TEST_DB.prepare("SELECT name FROM d1_migrations ORDER BY id").all<{ name: string }>();
  expect(applied.results.map((row) => row.name)).toEqual(TEST_MIGRATIONS.map((migration) => migration.name));
  for (const [table, rows] of seeded) {
    expect(await countRows(MIGRATION_TEST_DB, table), getTableName(table)).toBe(rows.length);
  }
});
