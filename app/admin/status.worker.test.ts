import { env } from "cloudflare:workers";
import { and, eq, inArray } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";

import { getDb } from "~/db/client.server";
import { orderEvents, orders } from "~/db/schema";
import type { OrderStatus } from "~/db/values";
import { transitionMessages } from "~/orders/transition-messages";
import { changeOrderStatus, changeStatusInBulk, MAX_BULK_ORDERS } from "~/orders/transitions.server";
import { demoOrder, demoUser, seedDemo } from "../../tests/support/fixtures";

import { loadBulkNotice, MAX_NAMED_SKIPPED, runBulkStatusChange } from "./offers-bulk.server";

let data: Awaited<ReturnType<typeof seedDemo>>;
let manager: ReturnType<typeof demoUser>;
let customer: ReturnType<typeof demoUser>;

const db = () => getDb(env);

/** Offer numbers of inserted orders start here and grow by one, so that every test's orders are new. */
let nextNumber = 810000;

beforeAll(async () => {
  data = await seedDemo();
  manager = demoUser(data, "auftragsmanager@example.com");
  customer = demoUser(data, "kunde@example.com");
});

/** Inserts orders of Beispiel Verlag in the state, at most 8 rows per statement because D1 binds at most 100 parameters. */
async function insertOrders(count: number, status: OrderStatus): Promise<string[]> {
  const rows = Array.from({ length: count }, () => {
    nextNumber += 1;
    return {
      id: crypto.randomUUID(),
      companyId: customer.companyId!,
      offerNumber: `${nextNumber}.01`,
      orderNumber: status === "offer" || status === "withdrawn" ? null : String(nextNumber),
      title: `Sammelauftrag ${nextNumber}`,
      status,
      managerId: manager.id,
      contactId: customer.id,
      createdAt: Date.now(),
    };
  });
  for (let start = 0; start < rows.length; start += 8) {
    await db().insert(orders).values(rows.slice(start, start + 8));
  }
  return rows.map((row) => row.id);
}

async function ordersByIds(ids: string[]) {
  const found = [];
  for (let start = 0; start < ids.length; start += 90) {
    found.push(...(await db().select().from(orders).where(inArray(orders.id, ids.slice(start, start + 90)))));
  }
  return found;
}

async function statusEvents(ids: string[]) {
  const found = [];
  for (let start = 0; start < ids.length; start += 90) {
    found.push(
      ...(await db()
        .select()
        .from(orderEvents)
        .where(and(inArray(orderEvents.orderId, ids.slice(start, start + 90)), eq(orderEvents.kind, "order.status_changed")))),
    );
  }
  return found;
}

describe("changeStatusInBulk", () => {
  it("changes 150 orders in one call", async () => {
    const ids = await insertOrders(150, "print_ready");

    const result = await changeStatusInBulk(env, db(), manager, ids, "production");

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.changed).toHaveLength(150);
    expect(result.skipped).toEqual([]);
    expect(result.message).toBe(transitionMessages.bulkResult(150, 0, "production"));
    const rows = await ordersByIds(ids);
    expect(rows.every((row) => row.status === "production" && row.version === 2 && row.updatedBy === manager.id)).toBe(true);
    const events = await statusEvents(ids);
    expect(events).toHaveLength(150);
    expect(new Set(events.map((event) => event.orderId))).toEqual(new Set(ids));
    for (const event of events) {
      expect(event.actorId).toBe(manager.id);
      expect(event.data).toMatchObject({ from: "print_ready", to: "production", via: "bulk" });
    }
  });

  it("skips orders the target does not follow", async () => {
    const ready = await insertOrders(120, "print_ready");
    const offers = await insertOrders(5, "offer");
    const invoiced = await insertOrders(3, "invoiced");

    const result = await changeStatusInBulk(env, db(), manager, [...ready, ...offers, ...invoiced], "production");

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(new Set(result.changed)).toEqual(new Set(ready));
    expect(new Set(result.skipped)).toEqual(new Set([...offers, ...invoiced]));
    expect(result.message).toBe(transitionMessages.bulkResult(120, 8, "production"));
    const skippedRows = await ordersByIds([...offers, ...invoiced]);
    expect(skippedRows.map((row) => [row.status, row.version]).sort()).toEqual([
      ...Array(3).fill(["invoiced", 1]),
      ...Array(5).fill(["offer", 1]),
    ]);
    expect(await statusEvents([...offers, ...invoiced])).toEqual([]);
  });

  it("gives accepted offers one number each", async () => {
    const offers = await insertOrders(3, "offer");
    const ordered = await insertOrders(1, "ordered");

    const result = await changeStatusInBulk(env, db(), manager, [...offers, ...ordered], "ordered");

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(new Set(result.changed)).toEqual(new Set(offers));
    expect(result.skipped).toEqual(ordered);
    const rows = await ordersByIds(offers);
    const numbers = rows.map((row) => row.orderNumber);
    expect(numbers.every((number) => number !== null)).toBe(true);
    expect(new Set(numbers).size).toBe(3);
  });

  it("rejects customers, empty and oversized selections", async () => {
    const ids = await insertOrders(1, "print_ready");

    expect(await changeStatusInBulk(env, db(), customer, ids, "production")).toEqual({
      ok: false,
      status: 403,
      message: transitionMessages.customerForbidden,
    });
    expect(await changeStatusInBulk(env, db(), manager, [], "production")).toEqual({
      ok: false,
      status: 400,
      message: transitionMessages.bulkNoneSelected,
    });
    const tooMany = Array.from({ length: MAX_BULK_ORDERS + 1 }, () => crypto.randomUUID());
    expect(await changeStatusInBulk(env, db(), manager, tooMany, "production")).toEqual({
      ok: false,
      status: 400,
      message: transitionMessages.bulkTooMany(MAX_BULK_ORDERS),
    });
    expect((await ordersByIds(ids))[0].status).toBe("print_ready");
  });
});

describe("runBulkStatusChange", () => {
  function bulkForm(ids: string[], to: string, view = "?q=Sammel&firma=x&geaendert=99") {
    const form = new FormData();
    for (const id of ids) form.append("orderIds", id);
    form.set("to", to);
    form.set("view", view);
    return form;
  }

  it("returns to the view with the counts", async () => {
    const ready = await insertOrders(2, "ordered");
    const offer = await insertOrders(1, "offer");

    const result = await runBulkStatusChange(env, db(), manager, bulkForm([...ready, ...offer], "print_ready"));

    expect(result).toEqual({
      ok: true,
      location: `/?q=Sammel&firma=x&geaendert=2&uebersprungen=1&uebersprungeneIds=${offer[0]}&neuerStatus=print_ready`,
    });
    if (!result.ok) return;
    const [offerRow] = await ordersByIds(offer);
    const params = new URL(result.location, "http://portal.test").searchParams;
    expect(await loadBulkNotice(db(), params)).toEqual({
      ok: true,
      message: transitionMessages.bulkResultSummary(2, 1, "print_ready"),
      details: [transitionMessages.bulkSkippedOnlyTo(offerRow.offerNumber, "offer", ["ordered", "withdrawn"])],
    });
  });

  it("names skipped orders with reasons", async () => {
    const production = await insertOrders(1, "production");
    const invoiced = await insertOrders(1, "invoiced");
    const withdrawn = await insertOrders(1, "withdrawn");
    const ready = await insertOrders(1, "print_ready");

    const result = await runBulkStatusChange(env, db(), manager, bulkForm([...invoiced, ...production, ...withdrawn, ...ready], "invoiced", ""));

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const rows = new Map((await ordersByIds([...production, ...invoiced, ...withdrawn, ...ready])).map((row) => [row.id, row]));
    const notice = await loadBulkNotice(db(), new URL(result.location, "http://portal.test").searchParams);
    expect(notice).toEqual({
      ok: true,
      message: transitionMessages.bulkResultSummary(1, 3, "invoiced"),
      details: [
        transitionMessages.bulkSkippedAlready(rows.get(invoiced[0])!.orderNumber!, "invoiced"),
        transitionMessages.bulkSkippedFinal(rows.get(withdrawn[0])!.offerNumber, "withdrawn"),
        transitionMessages.bulkSkippedOnlyTo(rows.get(ready[0])!.orderNumber!, "print_ready", ["production"]),
      ],
    });
    expect(notice?.details[0]).toBe(`#${rows.get(invoiced[0])!.orderNumber} ist bereits „Abgerechnet“.`);
    expect(notice?.details[2]).toBe(`#${rows.get(ready[0])!.orderNumber}: von „Druckfrei“ geht es nur weiter nach „Produktion“.`);
  });

  it("names at most ten skipped orders", async () => {
    const invoiced = await insertOrders(MAX_NAMED_SKIPPED + 3, "invoiced");

    const result = await runBulkStatusChange(env, db(), manager, bulkForm(invoiced, "production", ""));

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const params = new URL(result.location, "http://portal.test").searchParams;
    expect(params.get("uebersprungeneIds")?.split(",")).toEqual(invoiced.slice(0, MAX_NAMED_SKIPPED));
    const notice = await loadBulkNotice(db(), params);
    expect(notice?.ok).toBe(false);
    expect(notice?.message).toBe(transitionMessages.bulkResultSummary(0, MAX_NAMED_SKIPPED + 3, "production"));
    expect(notice?.details).toHaveLength(MAX_NAMED_SKIPPED + 1);
    expect(notice?.details.at(-1)).toBe("und 3 weitere.");
  });

  it("counts skipped orders not found", async () => {
    const missing = crypto.randomUUID();
    const params = new URLSearchParams({ geaendert: "0", uebersprungen: "1", uebersprungeneIds: missing, neuerStatus: "production" });

    expect(await loadBulkNotice(db(), params)).toEqual({
      ok: false,
      message: transitionMessages.bulkResultSummary(0, 1, "production"),
      details: [transitionMessages.bulkSkippedNotFound(1)],
    });
  });

  it("reports errors through fixed codes", async () => {
    const none = await runBulkStatusChange(env, db(), manager, bulkForm([], "production", ""));
    expect(none).toEqual({ ok: true, location: "/?statusfehler=none" });
    if (none.ok) {
      expect(await loadBulkNotice(db(), new URL(none.location, "http://portal.test").searchParams)).toEqual({
        ok: false,
        message: transitionMessages.bulkNoneSelected,
        details: [],
      });
    }

    const unknown = await runBulkStatusChange(env, db(), manager, bulkForm([crypto.randomUUID()], "geloescht", ""));
    expect(unknown).toEqual({ ok: true, location: "/?statusfehler=status-unknown" });

    expect(await runBulkStatusChange(env, db(), customer, bulkForm([crypto.randomUUID()], "production", ""))).toEqual({
      ok: false,
      status: 403,
      message: transitionMessages.customerForbidden,
    });
  });

  it("asks for a missing target", async () => {
    const [id] = await insertOrders(1, "print_ready");

    const withoutTarget = bulkForm([id], "", "");
    withoutTarget.delete("to");

    for (const form of [bulkForm([id], "", ""), withoutTarget]) {
      const result = await runBulkStatusChange(env, db(), manager, form);
      expect(result).toEqual({ ok: true, location: "/?statusfehler=status-missing" });
      if (!result.ok) continue;
      expect(await loadBulkNotice(db(), new URL(result.location, "http://portal.test").searchParams)).toEqual({
        ok: false,
        message: "Bitte wählen Sie den neuen Status.",
        details: [],
      });
    }
    expect((await ordersByIds([id]))[0].status).toBe("print_ready");
  });

  it("ignores a notice it did not write", async () => {
    expect(await loadBulkNotice(db(), new URLSearchParams("statusfehler=<script>"))).toBeNull();
    expect(await loadBulkNotice(db(), new URLSearchParams("geaendert=1e9&uebersprungen=0&neuerStatus=production"))).toBeNull();
    expect(await loadBulkNotice(db(), new URLSearchParams("geaendert=1&uebersprungen=0&neuerStatus=Hallo"))).toBeNull();

    // Ids that are no tokens are dropped and only counted.
    const notice = await loadBulkNotice(db(), new URLSearchParams("geaendert=0&uebersprungen=1&uebersprungeneIds=<b>x</b>&neuerStatus=production"));
    expect(notice?.details).toEqual(["und 1 weiterer Auftrag."]);
  });
});

describe("changeOrderStatus", () => {
  it("rejects a wrong transition", async () => {
    const order = demoOrder(data, "42793.02");
    const version = order.version!;

    const result = await changeOrderStatus(env, db(), manager, { orderId: order.id, to: "invoiced", expectedVersion: version }, "staff");

    expect(result).toEqual({
      ok: false,
      status: 409,
      message: `${transitionMessages.transitionNotAllowed("ordered", "invoiced")} ${transitionMessages.transitionAllowedTargets(["print_ready"])}`,
    });
    const row = await db().select().from(orders).where(eq(orders.id, order.id)).get();
    expect(row).toMatchObject({ status: "ordered", version });
  });

  it("rejects a stale version", async () => {
    const [id] = await insertOrders(1, "ordered");
    await changeOrderStatus(env, db(), manager, { orderId: id, to: "print_ready", expectedVersion: 1 }, "staff");

    const result = await changeOrderStatus(env, db(), manager, { orderId: id, to: "print_ready", expectedVersion: 1 }, "staff");

    expect(result).toEqual({ ok: false, status: 409, message: transitionMessages.versionConflict("print_ready") });
    expect(await statusEvents([id])).toHaveLength(1);
  });

  it("changes along the allowed path", async () => {
    const [id] = await insertOrders(1, "print_ready");

    const result = await changeOrderStatus(env, db(), manager, { orderId: id, to: "production", expectedVersion: 1 }, "staff");

    expect(result).toMatchObject({ ok: true, changed: true, status: "production", version: 2 });
  });
});
