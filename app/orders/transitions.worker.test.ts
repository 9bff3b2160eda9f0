import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";

import { getDb } from "~/db/client.server";
import { approvals, files, orderEvents, orders, outboxEmails, shopSettings, users } from "~/db/schema";
import { messages } from "~/messages";
import { demoOrder, demoUser, seedDemo, sessionCookieFor } from "../../tests/support/fixtures";
import { listenToOrderRoom, waitFor } from "../../tests/support/room-socket";

import { describeOrderEvent } from "./history.server";
import { transitionMessages } from "./transition-messages";
import { acceptOffer, changeOrderStatus, declarePrintReady, statusEventId } from "./transitions.server";

let data: Awaited<ReturnType<typeof seedDemo>>;
let customer: ReturnType<typeof demoUser>;
let otherCustomer: ReturnType<typeof demoUser>;
let secondContact: ReturnType<typeof demoUser>;
let manager: ReturnType<typeof demoUser>;

const db = () => getDb(env);

/** The first order number of the current test: each test starts a fresh range, because numbers stay taken. */
let first = 300000;
const number = (offset: number) => String(first + offset);

beforeAll(async () => {
  data = await seedDemo();
  customer = demoUser(data, "kunde@example.com");
  otherCustomer = demoUser(data, "kunde2@example.com");
  manager = demoUser(data, "auftragsmanager@example.com");

  // A second contact of Nordlicht Reisen, to accept the same offer at the same time.
  secondContact = { ...otherCustomer, id: crypto.randomUUID(), name: "Finn Nordmann", email: "einkauf@nordlicht.example" };
  await db()
    .insert(users)
    .values({ ...secondContact, passwordHash: null, active: true, createdAt: Date.now() });
});

/** Inserts a fresh offer of Nordlicht Reisen, so that every test starts from its own offer. */
async function newOffer(offerNumber = `7${Math.floor(Math.random() * 1e8)}.01`) {
  const id = crypto.randomUUID();
  await db()
    .insert(orders)
    .values({
      id,
      companyId: otherCustomer.companyId!,
      contactId: otherCustomer.id,
      managerId: manager.id,
      offerNumber,
      title: "Prospekte Test",
      status: "offer",
      createdAt: Date.now(),
    });
  return id;
}

async function order(id: string) {
  return db().select().from(orders).where(eq(orders.id, id)).get();
}

async function nextOrderNumber() {
  return (await db().select({ next: shopSettings.nextOrderNumber }).from(shopSettings).get())!.next;
}

async function statusEvents(orderId: string) {
  return db()
    .select()
    .from(orderEvents)
    .where(and(eq(orderEvents.orderId, orderId), eq(orderEvents.kind, "order.status_changed")));
}

beforeEach(async () => {
  first += 1000;
  await db().update(shopSettings).set({ nextOrderNumber: first });
});

describe("accepting an offer", () => {
  it("orders the offer with the next number", async () => {
    const orderId = await newOffer();
    const staffCookie = await sessionCookieFor(manager.id);
    const room = await listenToOrderRoom(orderId, staffCookie);

    const result = await acceptOffer(env, db(), otherCustomer, orderId, 1);

    expect(result).toMatchObject({ ok: true, changed: true, status: "ordered", version: 2, orderNumber: number(0) });
    expect(result).toMatchObject({ message: transitionMessages.offerAccepted(number(0)) });
    expect(await order(orderId)).toMatchObject({ status: "ordered", orderNumber: number(0), version: 2, updatedBy: otherCustomer.id });
    expect(await nextOrderNumber()).toBe(first + 1);

    const approval = await db().select().from(approvals).where(eq(approvals.orderId, orderId)).get();
    expect(approval).toMatchObject({ kind: "offer_accepted", userId: otherCustomer.id });

    const events = await statusEvents(orderId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ id: statusEventId(orderId, 2), actorId: otherCustomer.id });
    expect(describeOrderEvent("order.status_changed", events[0]!.data, otherCustomer.name)).toBe(
      `Angebot angenommen, Auftragsnummer #${number(0)} von Ole Nordmann`,
    );

    const email = await db().select().from(outboxEmails).where(eq(outboxEmails.idempotencyKey, `offer-accepted:${orderId}`)).get();
    expect(email).toMatchObject({ kind: "offer-accepted", toAddress: manager.email });
    expect(email?.textBody).toContain("Ole Nordmann (Nordlicht Reisen GmbH) hat im Kundenportal das Angebot");
    expect(email?.textBody).toContain(`#${number(0)}`);

    const confirmation = await db().select().from(outboxEmails).where(eq(outboxEmails.idempotencyKey, `order-confirmation:${orderId}`)).get();
    expect(confirmation).toMatchObject({ kind: "order-confirmation", toAddress: otherCustomer.email, subject: `Ihre Bestellung: Auftrag #${number(0)}` });

    await waitFor(() => room.events.some((event) => event.type === "order.updated"));
    expect(room.events).toContainEqual({ type: "order.updated", status: "ordered", version: 2 });
    room.close();
  });

  it("numbers a double submit once", async () => {
    const orderId = await newOffer();

    const results = await Promise.all([
      acceptOffer(env, db(), otherCustomer, orderId, 1),
      acceptOffer(env, db(), otherCustomer, orderId, 1),
    ]);

    expect(results.every((result) => result.ok && result.orderNumber === number(0))).toBe(true);
    expect(results.filter((result) => result.ok && result.changed)).toHaveLength(1);
    expect(await nextOrderNumber()).toBe(first + 1);
    expect(await statusEvents(orderId)).toHaveLength(1);
    expect(await db().select().from(approvals).where(eq(approvals.orderId, orderId))).toHaveLength(1);
    const emails = await db().select().from(outboxEmails).where(eq(outboxEmails.idempotencyKey, `offer-accepted:${orderId}`));
    expect(emails).toHaveLength(1);
  });

  it("numbers two simultaneous contacts once", async () => {
    const orderId = await newOffer();

    const [byOne, byOther] = await Promise.all([
      acceptOffer(env, db(), otherCustomer, orderId, 1),
      acceptOffer(env, db(), secondContact, orderId, 1),
    ]);

    expect(byOne).toMatchObject({ ok: true, orderNumber: number(0) });
    expect(byOther).toMatchObject({ ok: true, orderNumber: number(0) });
    expect(await nextOrderNumber()).toBe(first + 1);
    expect(await statusEvents(orderId)).toHaveLength(1);
  });

  it("returns the first number to a later acceptance", async () => {
    const orderId = await newOffer();
    await acceptOffer(env, db(), otherCustomer, orderId, 1);

    const again = await acceptOffer(env, db(), secondContact, orderId, 1);

    expect(again).toMatchObject({ ok: true, changed: false, orderNumber: number(0) });
    expect(again).toMatchObject({ message: transitionMessages.offerAlreadyAccepted(number(0)) });
    expect(await order(orderId)).toMatchObject({ version: 2, updatedBy: otherCustomer.id });
    expect(await nextOrderNumber()).toBe(first + 1);
  });

  it("numbers different offers consecutively", async () => {
    const firstOffer = await newOffer();
    const secondOffer = await newOffer();

    await acceptOffer(env, db(), otherCustomer, firstOffer, 1);
    await acceptOffer(env, db(), otherCustomer, secondOffer, 1);

    expect((await order(firstOffer))?.orderNumber).toBe(number(0));
    expect((await order(secondOffer))?.orderNumber).toBe(number(1));
  });

  it("hides another company's offer", async () => {
    const orderId = await newOffer();

    const foreign = await acceptOffer(env, db(), customer, orderId, 1);
    const missing = await acceptOffer(env, db(), customer, crypto.randomUUID(), 1);

    expect(foreign).toEqual({ ok: false, status: 404, message: messages.orderNotFound });
    expect(missing).toEqual(foreign);
    expect(await order(orderId)).toMatchObject({ status: "offer", version: 1 });
  });

  it("lets only customer contacts accept", async () => {
    const orderId = await newOffer();

    const result = await acceptOffer(env, db(), manager, orderId, 1);

    expect(result).toEqual({ ok: false, status: 403, message: transitionMessages.acceptOnlyContacts });
    expect(await order(orderId)).toMatchObject({ status: "offer", orderNumber: null });
  });

  it("rejects a withdrawn offer", async () => {
    const orderId = await newOffer();
    await changeOrderStatus(env, db(), manager, { orderId, to: "withdrawn", expectedVersion: 1 });

    const result = await acceptOffer(env, db(), otherCustomer, orderId, 2);

    expect(result).toEqual({ ok: false, status: 409, message: transitionMessages.offerNotOpen("withdrawn") });
    expect(await nextOrderNumber()).toBe(first);
  });

  it("rejects a stale version", async () => {
    const orderId = await newOffer();
    await db().update(orders).set({ version: 3 }).where(eq(orders.id, orderId));

    const result = await acceptOffer(env, db(), otherCustomer, orderId, 2);

    expect(result).toEqual({ ok: false, status: 409, message: transitionMessages.versionConflict("offer") });
    expect(await order(orderId)).toMatchObject({ status: "offer", orderNumber: null, version: 3 });
    expect(await nextOrderNumber()).toBe(first);
  });

  it("rejects an order number in use", async () => {
    const orderId = await newOffer();
    const taken = demoOrder(data, "42901.01").orderNumber!;
    await db().update(shopSettings).set({ nextOrderNumber: Number(taken) });

    const result = await acceptOffer(env, db(), otherCustomer, orderId, 1);

    expect(result).toEqual({ ok: false, status: 409, message: transitionMessages.orderNumberTaken(taken) });
    expect(await order(orderId)).toMatchObject({ status: "offer", orderNumber: null, version: 1 });
    expect(await nextOrderNumber()).toBe(Number(taken));
    expect(await statusEvents(orderId)).toHaveLength(0);
  });
});

/** Records a print file of the order directly, without R2 or the queue: the declaration only needs its row. */
async function addPrintFile(orderId: string) {
  await db()
    .insert(files)
    .values({
      id: crypto.randomUUID(),
      orderId,
      uploadId: crypto.randomUUID(),
      r2Key: `orders/${orderId}/files/test`,
      originalName: "Druckdaten.pdf",
      size: 1000,
      sha256: "b".repeat(64),
      contentType: "application/pdf",
      uploadedBy: otherCustomer.id,
      createdAt: Date.now(),
    });
}

describe("declaring an order ready for print", () => {
  it("records who declared it", async () => {
    const orderId = await newOffer();
    await acceptOffer(env, db(), otherCustomer, orderId, 1);
    await addPrintFile(orderId);

    const result = await declarePrintReady(env, db(), secondContact, orderId, 2);
    const again = await declarePrintReady(env, db(), otherCustomer, orderId, 2);

    expect(result).toMatchObject({ ok: true, changed: true, status: "print_ready", version: 3 });
    expect(again).toMatchObject({ ok: true, changed: false, message: transitionMessages.printReadyAlreadyDeclared });
    const approval = await db()
      .select()
      .from(approvals)
      .where(and(eq(approvals.orderId, orderId), eq(approvals.kind, "print_ready")))
      .get();
    expect(approval?.userId).toBe(secondContact.id);
    expect(await statusEvents(orderId)).toHaveLength(2);

    const email = await db().select().from(outboxEmails).where(eq(outboxEmails.idempotencyKey, `print-ready:${orderId}`)).get();
    expect(email).toMatchObject({ kind: "print-ready", toAddress: manager.email });
    expect(email?.textBody).toContain("Finn Nordmann (Nordlicht Reisen GmbH) hat den Auftrag");
  });

  it("rejects a job without print files", async () => {
    const orderId = await newOffer();
    await acceptOffer(env, db(), otherCustomer, orderId, 1);

    const result = await declarePrintReady(env, db(), otherCustomer, orderId, 2);

    expect(result).toEqual({ ok: false, status: 409, message: transitionMessages.printReadyWithoutFiles });
    expect(await order(orderId)).toMatchObject({ status: "ordered", version: 2 });
  });

  it("rejects an offer not ordered yet", async () => {
    const orderId = await newOffer();

    const result = await declarePrintReady(env, db(), otherCustomer, orderId, 1);

    expect(result).toEqual({ ok: false, status: 409, message: transitionMessages.printReadyNotPossible("offer") });
    expect(await order(orderId)).toMatchObject({ status: "offer", version: 1 });
  });
});

describe("staff state changes", () => {
  it("moves one allowed step", async () => {
    const orderId = await newOffer();
    await changeOrderStatus(env, db(), manager, { orderId, to: "ordered", expectedVersion: 1 });

    const skip = await changeOrderStatus(env, db(), manager, { orderId, to: "invoiced", expectedVersion: 2 });
    expect(skip).toEqual({
      ok: false,
      status: 409,
      message: `${transitionMessages.transitionNotAllowed("ordered", "invoiced")} ${transitionMessages.transitionAllowedTargets(["print_ready"])}`,
    });

    const step = await changeOrderStatus(env, db(), manager, { orderId, to: "print_ready", expectedVersion: 2 });
    expect(step).toMatchObject({ ok: true, status: "print_ready", version: 3 });
    const events = await statusEvents(orderId);
    expect(events.map((event) => event.data.via)).toEqual(["staff", "staff"]);
    // A staff change records no customer approval.
    expect(await db().select().from(approvals).where(eq(approvals.orderId, orderId))).toHaveLength(0);
  });

  it("does not undo a change made meanwhile", async () => {
    const orderId = await newOffer();
    await changeOrderStatus(env, db(), manager, { orderId, to: "ordered", expectedVersion: 1 });
    await changeOrderStatus(env, db(), manager, { orderId, to: "print_ready", expectedVersion: 2 });

    // A second page still shows version 2 ("Bestellt") and requests "Zurückgezogen".
    const stale = await changeOrderStatus(env, db(), manager, { orderId, to: "withdrawn", expectedVersion: 2 });

    expect(stale).toEqual({ ok: false, status: 409, message: transitionMessages.versionConflict("print_ready") });
    expect(await order(orderId)).toMatchObject({ status: "print_ready", version: 3 });
  });

  it("limits customers to their approvals", async () => {
    const orderId = await newOffer();

    const result = await changeOrderStatus(env, db(), otherCustomer, { orderId, to: "withdrawn", expectedVersion: 1 });

    expect(result).toEqual({ ok: false, status: 403, message: transitionMessages.customerForbidden });
    expect(await order(orderId)).toMatchObject({ status: "offer", version: 1 });
  });
});
