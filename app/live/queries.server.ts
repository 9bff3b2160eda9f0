import { eq, inArray } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";

import type { Database } from "~/db/client.server";
import { companies, orders, users } from "~/db/schema";

const managers = alias(users, "managers");

// D1 accepts at most 100 bound parameters per statement.
const IDS_PER_QUERY = 90;

/** Loads number, title, company and order manager of the given orders for the staff "Live" page. */
export async function listLiveOrderDetails(db: Database, orderIds: string[]) {
  const chunks: string[][] = [];
  for (let start = 0; start < orderIds.length; start += IDS_PER_QUERY) {
    chunks.push(orderIds.slice(start, start + IDS_PER_QUERY));
  }

  const results = await Promise.all(
    chunks.map((ids) =>
      db
        .select({
          id: orders.id,
          offerNumber: orders.offerNumber,
          orderNumber: orders.orderNumber,
          title: orders.title,
          companyName: companies.name,
          managerId: orders.managerId,
          managerName: managers.name,
        })
        .from(orders)
        .innerJoin(companies, eq(companies.id, orders.companyId))
        .leftJoin(managers, eq(managers.id, orders.managerId))
        .where(inArray(orders.id, ids)),
    ),
  );
  return results.flat();
}

export type LiveOrderDetails = Awaited<ReturnType<typeof listLiveOrderDetails>>[number];
