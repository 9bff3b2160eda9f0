import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";

import { getDb } from "~/db/client.server";
import { documents, orderEvents, orders, shopSettings, users } from "~/db/schema";
import { messages } from "~/messages";
import { describeOrderEvent } from "~/orders/history.server";
import { transitionMessages } from "~/orders/transition-messages";
import { demoUser, samplePdf, seedDemo } from "../../tests/support/fixtures";

import { offerMessages } from "./offer-messages";
import { createOffer, earliestDeliveryDate } from "./offers.server";
import { handleOrderAction, updateOrder } from "./order-edit.server";

let data: Awaited<ReturnType<typeof seedDemo>>;
let manager: ReturnType<typeof demoUser>;
let prepress: ReturnType<typeof demoUser>;
let customer: ReturnType<typeof demoUser>;
let otherCustomer: ReturnType<typeof demoUser>;

const db = () => getDb(env);

beforeAll(async () => {
  data = await seedDemo();
  manager = demoUser(data, "auftragsmanager@example.com");
  prepress = demoUser(data, "druckvorstufe@example.com");
  customer = demoUser(data, "kunde@example.com");
  otherCustomer = demoUser(data, "kunde2@example.com");
});

/** Builds the offer form as the page sends it, for Beispiel Verlag with the demo customer as contact. */
function offerForm(overrides: Record<string, string | File> = {}): FormData {
  const form = new FormData();
  const fields: Record<string, string | File> = {
    companyId: customer.companyId!,
    contactId: customer.id,
    managerId: manager.id,
    numberSource: "range",
    baseNumber: "",
    versionSuffix: "01",
    title: "Jahresbericht 2025",
    "spec.format": "DIN A4",
    "spec.extent": "48 Seiten",
    "spec.colours": "4/4-farbig",
    "spec.paper": "150 g/m² Bilderdruck matt",
    "spec.finishing": "Klebebindung",
    "spec.quantity": "1.000 Exemplare",
    "spec.deliveryDate": "2040-03-14",
    terms: "Gesamtpreis 4.200,00 € netto.",
    ...overrides,
  };
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  return form;
}

async function nextOfferNumber() {
  const row = await db().select({ next: shopSettings.nextOfferNumber }).from(shopSettings).get();
  return row!.next;
}

async function orderCount() {
  return (await db().select({ id: orders.id }).from(orders)).length;
}

async function eventsOf(orderId: string) {
  return db().select().from(orderEvents).where(eq(orderEvents.orderId, orderId)).orderBy(orderEvents.createdAt);
}

async function orderRow(orderId: string) {
  return (await db().select().from(orders).where(eq(orders.id, orderId)).get())!;
}

describe("createOffer", () => {
  it("takes the next number of the range", async () => {
    const before = await nextOfferNumber();

    const result = await createOffer(env, db(), manager, offerForm({ versionSuffix: "05" }));

    expect(result).toMatchObject({ ok: true, offerNumber: `${before}.05` });
    expect(await nextOfferNumber()).toBe(before + 1);
    if (!result.ok) return;
    const order = await orderRow(result.orderId);
    expect(order).toMatchObject({
      status: "offer",
      version: 1,
      companyId: customer.companyId,
      contactId: customer.id,
      managerId: manager.id,
      title: "Jahresbericht 2025",
      terms: "Gesamtpreis 4.200,00 € netto.",
      orderNumber: null,
    });
    expect(order.spec).toEqual({
      format: "DIN A4",
      extent: "48 Seiten",
      colours: "4/4-farbig",
      paper: "150 g/m² Bilderdruck matt",
      finishing: "Klebebindung",
      quantity: "1.000 Exemplare",
      deliveryDate: "2040-03-14",
    });
    const events = await eventsOf(result.orderId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: "order.created", actorId: manager.id, data: { offerNumber: `${before}.05`, title: "Jahresbericht 2025" } });
  });

  it("stores a typed number without using the range", async () => {
    const before = await nextOfferNumber();

    const result = await createOffer(env, db(), manager, offerForm({ numberSource: "typed", baseNumber: "77001", versionSuffix: "02" }));

    expect(result).toMatchObject({ ok: true, offerNumber: "77001.02" });
    expect(await nextOfferNumber()).toBe(before);
  });

  it("stores an uploaded offer PDF", async () => {
    const pdf = await samplePdf("Angebot");
    const file = new File([new Uint8Array(pdf)], "Angebot Jahresbericht.pdf", { type: "application/pdf" });

    const result = await createOffer(env, db(), manager, offerForm({ numberSource: "typed", baseNumber: "77002", offerPdf: file }));

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const rows = await db().select().from(documents).where(eq(documents.orderId, result.orderId));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      kind: "offer",
      title: "Angebot #77002.01",
      fileName: "Angebot Jahresbericht.pdf",
      r2Key: `orders/${result.orderId}/documents/${rows[0].id}`,
      uploadedBy: manager.id,
    });
    const object = await env.FILES.get(rows[0].r2Key!);
    expect(object?.httpMetadata?.contentType).toBe("application/pdf");
    expect(new Uint8Array(await object!.arrayBuffer())).toEqual(pdf);
    const kinds = (await eventsOf(result.orderId)).map((event) => event.kind).sort();
    expect(kinds).toEqual(["document.added", "order.created"]);
    const added = (await eventsOf(result.orderId)).find((event) => event.kind === "document.added");
    expect(added?.data).toEqual({ kind: "offer", title: "Angebot #77002.01" });
  });

  it("rejects a typed number that exists", async () => {
    const orders = await orderCount();

    const result = await createOffer(env, db(), manager, offerForm({ numberSource: "typed", baseNumber: "42793", versionSuffix: "04" }));

    expect(result).toEqual({ ok: false, status: 409, errors: [offerMessages.offerNumberTaken("42793.04")] });
    expect(await orderCount()).toBe(orders);
  });

  it("rejects a taken range number without using it", async () => {
    const next = await nextOfferNumber();
    await createOffer(env, db(), manager, offerForm({ numberSource: "typed", baseNumber: String(next), versionSuffix: "01" }));
    const orders = await orderCount();

    const result = await createOffer(env, db(), manager, offerForm());

    expect(result).toEqual({ ok: false, status: 409, errors: [offerMessages.rangeNumberTaken(`${next}.01`)] });
    expect(await nextOfferNumber()).toBe(next);
    expect(await orderCount()).toBe(orders);
  });

  it("gives concurrent range offers distinct numbers", async () => {
    // A range of its own, because an earlier test left the range at a taken number.
    await db().update(shopSettings).set({ nextOfferNumber: 91000 }).where(eq(shopSettings.id, 1));
    const before = await nextOfferNumber();

    const results = await Promise.all([createOffer(env, db(), manager, offerForm()), createOffer(env, db(), manager, offerForm())]);

    const numbers = results.map((result) => (result.ok ? result.offerNumber : result.errors.join(" ")));
    expect(new Set(numbers)).toEqual(new Set([`${before}.01`, `${before + 1}.01`]));
    expect(await nextOfferNumber()).toBe(before + 2);
  });

  it("stores one of two concurrent equal numbers", async () => {
    const pdf = await samplePdf("Angebot");
    const form = () =>
      offerForm({ numberSource: "typed", baseNumber: "77100", offerPdf: new File([new Uint8Array(pdf)], "Angebot.pdf", { type: "application/pdf" }) });

    const results = await Promise.all([createOffer(env, db(), manager, form()), createOffer(env, db(), manager, form())]);

    // Both pass the check before either batch runs; the unique index then rejects the second batch as a whole.
    const failed = results.filter((result) => !result.ok);
    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(failed).toEqual([{ ok: false, status: 409, errors: [offerMessages.offerNumberTaken("77100.01")] }]);
    const stored = await db().select({ id: orders.id }).from(orders).where(eq(orders.offerNumber, "77100.01"));
    expect(stored).toHaveLength(1);
    const objects = await env.FILES.list({ prefix: "orders/" });
    const offerObjects = objects.objects.filter((object) => object.key.startsWith(`orders/${stored[0].id}/`));
    expect(offerObjects).toHaveLength(1);
    const orphans = [];
    for (const object of objects.objects) {
      const orderId = object.key.split("/")[1];
      if (!(await db().select({ id: orders.id }).from(orders).where(eq(orders.id, orderId)).get())) orphans.push(object.key);
    }
    expect(orphans).toEqual([]);
  });

  it("rejects a contact of another company", async () => {
    const orders = await orderCount();
    const next = await nextOfferNumber();

    const result = await createOffer(env, db(), manager, offerForm({ contactId: otherCustomer.id }));

    expect(result).toEqual({ ok: false, status: 400, errors: [offerMessages.contactNotInCompany] });
    expect(await orderCount()).toBe(orders);
    expect(await nextOfferNumber()).toBe(next);
  });

  it("rejects prepress as manager", async () => {
    const result = await createOffer(env, db(), manager, offerForm({ managerId: prepress.id }));

    expect(result).toEqual({ ok: false, status: 400, errors: [offerMessages.managerUnknown] });
  });

  it("lists every invalid field", async () => {
    const result = await createOffer(
      env,
      db(),
      manager,
      offerForm({ title: " ", versionSuffix: "1", "spec.deliveryDate": "2025-02-30", companyId: "" }),
    );

    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.status).toBe(400);
    expect(result.errors).toEqual(
      expect.arrayContaining([
        offerMessages.companyMissing,
        offerMessages.titleMissing,
        offerMessages.deliveryDateInvalid,
        offerMessages.versionSuffixInvalid,
      ]),
    );
  });

  it("rejects a title over the limit", async () => {
    const result = await createOffer(env, db(), manager, offerForm({ title: "x".repeat(201) }));

    expect(result).toEqual({ ok: false, status: 400, errors: [offerMessages.titleTooLong(200)] });
  });

  it("rejects a file that is not a PDF", async () => {
    const orders = await orderCount();
    const file = new File(["Nur Text, kein PDF"], "angebot.pdf", { type: "application/pdf" });

    const result = await createOffer(env, db(), manager, offerForm({ offerPdf: file }));

    expect(result).toMatchObject({ ok: false, status: 400 });
    expect(await orderCount()).toBe(orders);
  });

  it("rejects a delivery date in the past", async () => {
    const orders = await orderCount();

    const result = await createOffer(env, db(), manager, offerForm({ "spec.deliveryDate": "2024-07-19" }));

    expect(result).toEqual({ ok: false, status: 400, errors: ["Der Liefertermin 19.07.2024 liegt in der Vergangenheit. Bitte wählen Sie ein Datum ab heute."] });
    expect(await orderCount()).toBe(orders);
  });

  it("accepts yesterday as delivery date", async () => {
    const berlinToday = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Berlin" }).format(Date.now());
    const yesterday = new Date(Date.parse(`${berlinToday}T12:00:00Z`) - 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
    const dayBefore = new Date(Date.parse(`${berlinToday}T12:00:00Z`) - 2 * 24 * 60 * 60 * 1000).toISOString().slice(0, 10);

    const accepted = await createOffer(env, db(), manager, offerForm({ numberSource: "typed", baseNumber: "77101", "spec.deliveryDate": yesterday }));
    const rejected = await createOffer(env, db(), manager, offerForm({ numberSource: "typed", baseNumber: "77102", "spec.deliveryDate": dayBefore }));

    expect(accepted.ok).toBe(true);
    expect(rejected).toMatchObject({ ok: false, status: 400 });
  });

  it("computes the earliest date in Berlin", () => {
    // 23:30 UTC on 31 December is already 1 January in Berlin.
    expect(earliestDeliveryDate(Date.UTC(2026, 11, 31, 23, 30))).toBe("2026-12-31");
    expect(earliestDeliveryDate(Date.UTC(2026, 11, 31, 22, 30))).toBe("2026-12-30");
    expect(earliestDeliveryDate(Date.UTC(2024, 2, 1, 12, 0))).toBe("2024-02-29");
  });

  it("rejects prepress", async () => {
    const result = await createOffer(env, db(), prepress, offerForm());

    expect(result).toEqual({ ok: false, status: 403, errors: [offerMessages.managersOnly] });
  });
});

describe("updateOrder", () => {
  async function newOffer(baseNumber: string) {
    const result = await createOffer(env, db(), manager, offerForm({ numberSource: "typed", baseNumber }));
    if (!result.ok) throw new Error(result.errors.join(" "));
    return result.orderId;
  }

  function editForm(version: number, overrides: Record<string, string> = {}) {
    const form = offerForm({ intent: "update", version: String(version), ...overrides });
    return form;
  }

  it("writes changed fields and history", async () => {
    const orderId = await newOffer("78001");

    const result = await updateOrder(env, db(), manager, orderId, editForm(1, { title: "Jahresbericht 2025 (neu)", "spec.quantity": "1.500 Exemplare", "spec.finishing": "" }));

    expect(result).toEqual({ ok: true, message: offerMessages.orderSaved });
    const order = await orderRow(orderId);
    expect(order.version).toBe(2);
    expect(order.title).toBe("Jahresbericht 2025 (neu)");
    expect(order.spec.quantity).toBe("1.500 Exemplare");
    expect(order.spec.finishing).toBeUndefined();
    expect(order.updatedBy).toBe(manager.id);
    const updated = (await eventsOf(orderId)).filter((event) => event.kind === "order.updated");
    expect(updated).toHaveLength(1);
    expect(updated[0].actorId).toBe(manager.id);
    expect(updated[0].data).toEqual({ fields: "Auftragsbezeichnung, Weiterverarbeitung, Auflage" });
    expect(describeOrderEvent("order.updated", updated[0].data, manager.name)).toBe(
      "Auftragsdaten geändert (Auftragsbezeichnung, Weiterverarbeitung, Auflage) von Sabine Keller",
    );
  });

  it("keeps a delivery date in the past", async () => {
    const orderId = await newOffer("78011");

    const result = await updateOrder(env, db(), manager, orderId, editForm(1, { "spec.deliveryDate": "2024-07-19" }));

    expect(result).toEqual({ ok: true, message: offerMessages.orderSaved });
    expect((await orderRow(orderId)).spec.deliveryDate).toBe("2024-07-19");
  });

  it("rejects a stale version", async () => {
    const orderId = await newOffer("78002");
    await updateOrder(env, db(), manager, orderId, editForm(1, { title: "Erste Änderung" }));

    const result = await updateOrder(env, db(), manager, orderId, editForm(1, { title: "Zweite Änderung" }));

    expect(result).toEqual({ ok: false, status: 409, message: transitionMessages.versionConflict("offer") });
    const order = await orderRow(orderId);
    expect(order.title).toBe("Erste Änderung");
    expect(order.version).toBe(2);
    expect((await eventsOf(orderId)).filter((event) => event.kind === "order.updated")).toHaveLength(1);
  });

  it("rejects a stale version after a state change", async () => {
    const orderId = await newOffer("78003");
    const form = new FormData();
    form.set("intent", "withdraw");
    form.set("version", "1");
    await handleOrderAction(env, db(), manager, orderId, form);

    const result = await updateOrder(env, db(), manager, orderId, editForm(1, { title: "Überschreibt nichts" }));

    expect(result).toEqual({ ok: false, status: 409, message: transitionMessages.versionConflict("withdrawn") });
    expect((await orderRow(orderId)).title).toBe("Jahresbericht 2025");
  });

  it("saves nothing when nothing changed", async () => {
    const orderId = await newOffer("78004");

    const result = await updateOrder(env, db(), manager, orderId, editForm(1));

    expect(result).toEqual({ ok: true, message: offerMessages.orderUnchanged });
    expect((await orderRow(orderId)).version).toBe(1);
  });

  it("rejects a contact of another company", async () => {
    const orderId = await newOffer("78005");

    const result = await updateOrder(env, db(), manager, orderId, editForm(1, { contactId: otherCustomer.id }));

    expect(result).toMatchObject({ ok: false, status: 400, errors: [offerMessages.contactNotInCompany] });
    expect((await orderRow(orderId)).contactId).toBe(customer.id);
  });

  it("rejects a version that is no number", async () => {
    const orderId = await newOffer("78006");

    const result = await updateOrder(env, db(), manager, orderId, editForm(1, { version: "eins" }));

    expect(result).toEqual({ ok: false, status: 400, message: transitionMessages.versionInvalid });
  });

  it("answers 404 for an unknown order", async () => {
    const result = await updateOrder(env, db(), manager, crypto.randomUUID(), editForm(1));

    expect(result).toEqual({ ok: false, status: 404, message: messages.orderNotFound });
  });
});

describe("withdraw", () => {
  it("withdraws an offer with history", async () => {
    const created = await createOffer(env, db(), manager, offerForm({ numberSource: "typed", baseNumber: "79001" }));
    if (!created.ok) throw new Error(created.errors.join(" "));
    const form = new FormData();
    form.set("intent", "withdraw");
    form.set("version", "1");

    const result = await handleOrderAction(env, db(), manager, created.orderId, form);

    expect(result).toEqual({ ok: true, message: transitionMessages.statusChanged("withdrawn") });
    const order = await orderRow(created.orderId);
    expect(order.status).toBe("withdrawn");
    expect(order.version).toBe(2);
    const change = await db()
      .select()
      .from(orderEvents)
      .where(and(eq(orderEvents.orderId, created.orderId), eq(orderEvents.kind, "order.status_changed")))
      .get();
    expect(change).toMatchObject({ actorId: manager.id, data: { from: "offer", to: "withdrawn", via: "staff" } });
  });

  it("rejects withdrawing an ordered job", async () => {
    const ordered = data.orders.find((order) => order.offerNumber === "42793.02")!;
    const form = new FormData();
    form.set("intent", "withdraw");
    form.set("version", String(ordered.version));

    const result = await handleOrderAction(env, db(), manager, ordered.id!, form);

    expect(result).toEqual({
      ok: false,
      status: 409,
      message: `${transitionMessages.transitionNotAllowed("ordered", "withdrawn")} ${transitionMessages.transitionAllowedTargets(["print_ready"])}`,
    });
    expect((await orderRow(ordered.id!)).status).toBe("ordered");
  });

  it("rejects an unknown intent", async () => {
    const form = new FormData();
    form.set("intent", "delete-everything");

    const result = await handleOrderAction(env, db(), manager, data.orders[0].id!, form);

    expect(result).toEqual({ ok: false, status: 400, message: offerMessages.formInvalid });
  });
});

describe("people checks", () => {
  it("rejects an inactive contact", async () => {
    const inactiveId = crypto.randomUUID();
    await db().insert(users).values({
      id: inactiveId,
      role: "customer",
      companyId: customer.companyId,
      name: "Ehemalige Kundin",
      email: "ehemalig@example.com",
      active: false,
      createdAt: Date.now(),
    });

    const result = await createOffer(env, db(), manager, offerForm({ contactId: inactiveId }));

    expect(result).toEqual({ ok: false, status: 400, errors: [offerMessages.contactNotInCompany] });
  });
});
