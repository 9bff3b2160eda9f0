import { env } from "cloudflare:workers";
import { createExecutionContext } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { RouterContextProvider } from "react-router";
import { beforeAll, describe, expect, it } from "vitest";

import type { SessionUser } from "~/auth/session.server";
import { userContext } from "~/auth/user-context";
import { StatusStepper } from "~/components/status-stepper";
import { cloudflareContext } from "~/cloudflare-context";
import { getDb } from "~/db/client.server";
import { approvals, documents, files, orderEvents, orders, preflightRuns, shareLinks, users } from "~/db/schema";
import { messages } from "~/messages";
import { parseServerFrame } from "~/room/events";
import { publishToOrderRoom } from "~/room/publish.server";
import { loader as documentLoader } from "~/routes/document";
import { demoOrder, demoUser, seedDemo, sessionCookieFor } from "../../tests/support/fixtures";
import { listenToOrderRoom, waitFor } from "../../tests/support/room-socket";

import { listOrderTimeline, listStatusDates } from "./history.server";
import { getOrderManager, listOrderApprovals, listOrderDocuments } from "./queries.server";

let data: Awaited<ReturnType<typeof seedDemo>>;
let customer: SessionUser;
let otherCustomer: SessionUser;
let manager: SessionUser;

const db = () => getDb(env);
const day = 24 * 60 * 60 * 1000;
const berlinNoon = (year: number, month: number, day: number) => Date.UTC(year, month - 1, day, 10, 0, 0);

beforeAll(async () => {
  data = await seedDemo();
  customer = demoUser(data, "kunde@example.com");
  otherCustomer = demoUser(data, "kunde2@example.com");
  manager = demoUser(data, "auftragsmanager@example.com");
});

/** Inserts an order of the Beispiel Verlag with nothing in it yet. */
async function insertOrder(createdAt: number) {
  const id = crypto.randomUUID();
  await db()
    .insert(orders)
    .values({
      id,
      companyId: customer.companyId!,
      offerNumber: `9${Math.floor(Math.random() * 1e8)}.01`,
      title: "Zeitleiste",
      status: "ordered",
      managerId: manager.id,
      createdAt,
    });
  return id;
}

describe("listStatusDates", () => {
  it("dates each reached step from the history", async () => {
    const order = demoOrder(data, "42793.04");

    const dates = await listStatusDates(db(), order.id);

    expect(dates).toEqual({
      offer: berlinNoon(2024, 6, 25),
      ordered: berlinNoon(2024, 6, 25) + day,
      print_ready: berlinNoon(2024, 6, 25) + 2 * day,
      production: berlinNoon(2024, 6, 25) + 3 * day,
    });
  });

  it("dates an offer by its creation only", async () => {
    const dates = await listStatusDates(db(), demoOrder(data, "42960.01").id);

    expect(dates).toEqual({ offer: berlinNoon(2024, 9, 3) });
  });

  it("takes the newest change into a state", async () => {
    const orderId = await insertOrder(berlinNoon(2024, 1, 10));
    const change = (id: string, to: string, createdAt: number) => ({
      id,
      orderId,
      kind: "order.status_changed" as const,
      actorId: manager.id,
      data: { from: "offer", to, via: "staff", orderNumber: null },
      createdAt,
    });
    await db()
      .insert(orderEvents)
      .values([
        change(`${orderId}:a`, "ordered", berlinNoon(2024, 1, 11)),
        change(`${orderId}:b`, "ordered", berlinNoon(2024, 1, 15)),
        change(`${orderId}:c`, "ordered", berlinNoon(2024, 1, 12)),
        change(`${orderId}:d`, "withdrawn", berlinNoon(2024, 1, 13)),
        // Entries of other kinds and unknown states do not count.
        { ...change(`${orderId}:e`, "ordered", berlinNoon(2024, 2, 1)), kind: "order.updated" as const },
        change(`${orderId}:f`, "archived", berlinNoon(2024, 2, 2)),
      ]);

    const dates = await listStatusDates(db(), orderId);

    expect(dates).toEqual({
      offer: berlinNoon(2024, 1, 10),
      ordered: berlinNoon(2024, 1, 15),
      withdrawn: berlinNoon(2024, 1, 13),
    });
  });

  it("returns nothing for an unknown order", async () => {
    expect(await listStatusDates(db(), "no-such-order")).toEqual({});
  });
});

describe("listOrderTimeline", () => {
  let orderId: string;
  const start = berlinNoon(2024, 3, 1);
  const minute = 60 * 1000;

  beforeAll(async () => {
    orderId = await insertOrder(start);
    const linkId = crypto.randomUUID();
    await db().insert(shareLinks).values({
      id: linkId,
      orderId,
      tokenHash: crypto.randomUUID(),
      label: "Agentur",
      expiresAt: start + 14 * day,
      createdBy: customer.id,
      createdAt: start + minute,
    });

    const file = (id: string, originalName: string, createdAt: number, extra: Partial<typeof files.$inferInsert> = {}) => ({
      id,
      orderId,
      uploadId: `upload-${id}`,
      r2Key: `orders/${orderId}/files/${id}`,
      originalName,
      size: 1000,
      sha256: "0".repeat(64),
      createdAt,
      ...extra,
    });
    await db()
      .insert(files)
      .values([
        file(`${orderId}-1`, "Innenteil.pdf", start + 2 * minute, { uploadedBy: customer.id }),
        file(`${orderId}-2`, "Umschlag.pdf", start + 4 * minute, { shareLinkId: linkId, uploaderName: "Jana Berg" }),
        file(`${orderId}-3`, "Beilage.pdf", start + 6 * minute, { shareLinkId: linkId }),
      ]);

    const run = (id: string, fileId: string, values: Partial<typeof preflightRuns.$inferInsert>) => ({
      id,
      fileId,
      state: "done" as const,
      createdAt: start,
      ...values,
    });
    await db()
      .insert(preflightRuns)
      .values([
        run(`${orderId}-r1`, `${orderId}-1`, { verdict: "warning", finishedAt: start + 3 * minute }),
        run(`${orderId}-r2`, `${orderId}-2`, { verdict: "error", finishedAt: start + 5 * minute }),
        run(`${orderId}-r3`, `${orderId}-3`, { state: "failed", error: "Zeitüberschreitung", finishedAt: start + 7 * minute }),
        // A second run of the first file, and one still running, which is not finished yet.
        run(`${orderId}-r4`, `${orderId}-1`, { verdict: "ok", finishedAt: start + 8 * minute }),
        run(`${orderId}-r5`, `${orderId}-2`, { state: "running" }),
      ]);

    await db()
      .insert(orderEvents)
      .values([
        {
          id: `${orderId}:v2`,
          orderId,
          kind: "order.status_changed",
          actorId: customer.id,
          data: { from: "offer", to: "ordered", via: "accept", orderNumber: "250001" },
          createdAt: start + 30 * 1000,
        },
        {
          id: `${orderId}:doc`,
          orderId,
          kind: "document.added",
          actorId: manager.id,
          data: { kind: "order_confirmation", title: "Auftragsbestätigung 250001" },
          createdAt: start + 9 * minute,
        },
      ]);
    // The acceptance's approval record is shown by its status entry and must not appear a second time.
    await db().insert(approvals).values({ id: crypto.randomUUID(), orderId, kind: "offer_accepted", userId: customer.id, createdAt: start + 30 * 1000 });
  });

  it("merges events, uploads and checks by time", async () => {
    const timeline = await listOrderTimeline(db(), orderId);

    expect(timeline.truncated).toBe(false);
    expect(timeline.entries.map((entry) => entry.text)).toEqual([
      "Auftragsbestätigung „Auftragsbestätigung 250001“ hinzugefügt von Sabine Keller",
      "Datencheck „Innenteil.pdf“: OK",
      "Datencheck „Beilage.pdf“: Prüfung fehlgeschlagen",
      "Druckdatei „Beilage.pdf“ hochgeladen über den Link „Agentur“",
      "Datencheck „Umschlag.pdf“: Fehlerhaft",
      "Druckdatei „Umschlag.pdf“ hochgeladen über den Link „Agentur“ von Jana Berg",
      "Datencheck „Innenteil.pdf“: Warnung",
      "Druckdatei „Innenteil.pdf“ hochgeladen von Jana Beispiel",
      "Angebot angenommen, Auftragsnummer #250001 von Jana Beispiel",
    ]);
    expect(timeline.entries.map((entry) => entry.kind)).toEqual([
      "document.added",
      "preflight.finished",
      "preflight.finished",
      "file.uploaded",
      "preflight.finished",
      "file.uploaded",
      "preflight.finished",
      "file.uploaded",
      "order.status_changed",
    ]);
    const times = timeline.entries.map((entry) => entry.createdAt);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(new Set(timeline.entries.map((entry) => entry.id)).size).toBe(timeline.entries.length);
  });

  it("limits to the newest entries", async () => {
    const all = await listOrderTimeline(db(), orderId, null);
    const limited = await listOrderTimeline(db(), orderId, 4);

    expect(limited.truncated).toBe(true);
    expect(limited.entries).toEqual(all.entries.slice(0, 4));
  });

  it("reports no truncation at the exact limit", async () => {
    const limited = await listOrderTimeline(db(), orderId, 9);

    expect(limited.truncated).toBe(false);
    expect(limited.entries).toHaveLength(9);
  });

  it("lists everything without a limit", async () => {
    const more = Array.from({ length: 25 }, (_, index) => ({
      id: `${orderId}:update-${index}`,
      orderId,
      kind: "order.updated" as const,
      actorId: manager.id,
      data: { fields: "Auflage" },
      createdAt: start + day + index * minute,
    }));
    // One statement per row, because D1 binds at most 100 parameters per statement.
    const [first, ...rest] = more.map((event) => db().insert(orderEvents).values(event));
    await db().batch([first, ...rest]);

    const limited = await listOrderTimeline(db(), orderId);
    const all = await listOrderTimeline(db(), orderId, null);

    expect(limited.entries).toHaveLength(20);
    expect(limited.truncated).toBe(true);
    expect(all.entries).toHaveLength(34);
    expect(all.truncated).toBe(false);
    expect(all.entries[0].text).toBe("Auftragsdaten geändert (Auflage) von Sabine Keller");
    expect(all.entries.at(-1)?.kind).toBe("order.status_changed");
  });

  it("keeps other orders' entries apart", async () => {
    const timeline = await listOrderTimeline(db(), demoOrder(data, "42960.01").id);

    expect(timeline).toEqual({ entries: [], truncated: false });
  });
});

describe("order page queries", () => {
  it("lists approvals with the contact's name", async () => {
    const orderId = await insertOrder(berlinNoon(2024, 4, 1));
    await db()
      .insert(approvals)
      .values([
        { id: crypto.randomUUID(), orderId, kind: "print_ready", userId: customer.id, createdAt: berlinNoon(2024, 4, 3) },
        { id: crypto.randomUUID(), orderId, kind: "offer_accepted", userId: customer.id, createdAt: berlinNoon(2024, 4, 2) },
      ]);

    expect(await listOrderApprovals(db(), orderId)).toEqual([
      { kind: "offer_accepted", createdAt: berlinNoon(2024, 4, 2), userName: "Jana Beispiel" },
      { kind: "print_ready", createdAt: berlinNoon(2024, 4, 3), userName: "Jana Beispiel" },
    ]);
  });

  it("tells the manager's photo without its key", async () => {
    const without = await getOrderManager(db(), manager.id);
    expect(without).toMatchObject({ id: manager.id, name: "Sabine Keller", hasPhoto: false });
    expect(without).not.toHaveProperty("photoR2Key");

    const photoManagerId = crypto.randomUUID();
    await db().insert(users).values({
      id: photoManagerId,
      role: "manager",
      name: "Paul Foto",
      email: `foto-${photoManagerId}@example.com`,
      photoR2Key: `team/${photoManagerId}/photo`,
      photoContentType: "image/jpeg",
      createdAt: Date.now(),
    });
    expect(await getOrderManager(db(), photoManagerId)).toMatchObject({ id: photoManagerId, hasPhoto: true });
  });

  it("marks stored documents and links", async () => {
    const order = demoOrder(data, "42793.05");
    const approvalId = crypto.randomUUID();
    await db().insert(documents).values({
      id: approvalId,
      orderId: order.id,
      kind: "approval",
      title: "Datenfreigabe",
      fileName: "Datenfreigabe",
      url: "https://freigabe.example/auftrag/42793",
      createdAt: Date.now(),
    });

    const listed = await listOrderDocuments(db(), order.id);

    expect(listed.find((document) => document.kind === "offer")).toMatchObject({ stored: true, url: null, updatedAt: null });
    expect(listed.find((document) => document.id === approvalId)).toMatchObject({
      stored: false,
      url: "https://freigabe.example/auftrag/42793",
    });
    expect(listed[0]).not.toHaveProperty("r2Key");
    await db().delete(documents).where(eq(documents.id, approvalId));
  });
});

describe("document route", () => {
  function routeContext(user: SessionUser | null) {
    const context = new RouterContextProvider();
    context.set(userContext, user);
    context.set(cloudflareContext, { env, ctx: createExecutionContext() });
    return context;
  }

  async function requestDocument(user: SessionUser | null, documentId: string, query = "", headers: HeadersInit = {}) {
    const request = new Request(`http://portal.test/dokumente/${documentId}${query}`, { headers });
    return documentLoader({ request, params: { documentId }, context: routeContext(user) } as unknown as Parameters<
      typeof documentLoader
    >[0]);
  }

  function offerDocumentOf(offerNumber: string) {
    const order = demoOrder(data, offerNumber);
    const document = data.documents.find((candidate) => candidate.orderId === order.id && candidate.kind === "offer");
    if (!document?.id) throw new Error(`no offer document for ${offerNumber}`);
    return document as typeof document & { id: string };
  }

  it("opens inline by default", async () => {
    const document = offerDocumentOf("42793.04");

    const response = await requestDocument(customer, document.id);

    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("application/pdf");
    expect(response.headers.get("Content-Disposition")).toBe(
      `inline; filename="Angebot 42793.04 _ Broschuren Portalkunden.pdf"; filename*=UTF-8''Angebot%2042793.04%20%E2%80%93%20Brosch%C3%BCren%20Portalkunden.pdf`,
    );
    expect(new TextDecoder().decode((await response.arrayBuffer()).slice(0, 5))).toBe("%PDF-");
  });

  it("downloads as attachment", async () => {
    const document = offerDocumentOf("42793.04");

    const response = await requestDocument(customer, document.id, "?download=1");

    expect(response.status).toBe(200);
    const disposition = response.headers.get("Content-Disposition") ?? "";
    expect(disposition.startsWith("attachment; ")).toBe(true);
    expect(disposition).toContain(`filename*=UTF-8''Angebot%2042793.04%20%E2%80%93%20Brosch%C3%BCren%20Portalkunden.pdf`);
    expect(disposition).toMatch(/filename="[\x20-\x7e]+"/);
    await response.arrayBuffer();
  });

  it("keeps inline for other download values", async () => {
    const response = await requestDocument(customer, offerDocumentOf("42793.04").id, "?download=ja");

    expect(response.headers.get("Content-Disposition")?.startsWith("inline; ")).toBe(true);
    await response.arrayBuffer();
  });

  it("hides another company's document", async () => {
    const document = offerDocumentOf("42793.04");

    const rejection = await requestDocument(otherCustomer, document.id, "?download=1").then(
      () => null,
      (error: unknown) => error,
    );

    expect(rejection).toMatchObject({ init: { status: 404 } });
  });

  it("answers a browser with a German error page", async () => {
    const document = offerDocumentOf("42793.04");

    const response = await requestDocument(otherCustomer, document.id, "", { Accept: "text/html,application/xhtml+xml" });

    expect(response.status).toBe(404);
    expect(response.headers.get("Content-Type")).toBe("text/html; charset=utf-8");
    const html = await response.text();
    expect(html).toContain("<h1>Nicht gefunden</h1>");
    expect(html).toContain(messages.documentNotFound);
  });
});

describe("documents.changed", () => {
  it("reaches the order room's sockets", async () => {
    const order = demoOrder(data, "42793.05");
    const listener = await listenToOrderRoom(order.id, await sessionCookieFor(customer.id));

    await publishToOrderRoom(env, order.id, { type: "documents.changed" });

    await waitFor(() => listener.events.some((event) => event.type === "documents.changed"));
    // The order page parses frames with parseServerFrame and reloads its data on this one.
    expect(parseServerFrame(JSON.stringify({ type: "documents.changed" }))).toEqual({ type: "documents.changed" });
    listener.close();
  });
});

describe("StatusStepper", () => {
  it("marks the current step with its date", () => {
    const html = renderToStaticMarkup(
      createElement(StatusStepper, { status: "ordered", dates: { offer: berlinNoon(2024, 9, 3), ordered: berlinNoon(2024, 9, 5) } }),
    );

    expect(html).toContain('aria-current="step"');
    expect(html).toMatch(/aria-current="step"[^]*Bestellt[^]*05\.09\.2024/);
    expect(html).toContain("03.09.2024");
    expect(html).not.toContain("zurückgezogen");
  });

  it("shows a notice for a withdrawn offer", () => {
    const html = renderToStaticMarkup(
      createElement(StatusStepper, { status: "withdrawn", dates: { offer: berlinNoon(2024, 9, 3), withdrawn: berlinNoon(2024, 9, 10) } }),
    );

    expect(html).not.toContain("aria-current");
    expect(html).toContain("Dieses Angebot wurde zurückgezogen.");
    expect(html).toContain("Zurückgezogen am 10.09.2024.");
    expect(html).toContain("03.09.2024");
  });
});
