import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";

import { getDb } from "~/db/client.server";
import { documents, orderEvents } from "~/db/schema";
import { messages } from "~/messages";
import { demoOrder, demoUser, samplePdf, seedDemo, sessionCookieFor } from "../../tests/support/fixtures";
import { listenToOrderRoom, waitFor } from "../../tests/support/room-socket";

import { removeDocument, setApprovalLink, uploadDocument } from "./documents.server";
import { documentMessages, MAX_DOCUMENT_BYTES } from "./offer-messages";

let data: Awaited<ReturnType<typeof seedDemo>>;
let manager: ReturnType<typeof demoUser>;
let prepress: ReturnType<typeof demoUser>;
let customer: ReturnType<typeof demoUser>;

const db = () => getDb(env);

beforeAll(async () => {
  data = await seedDemo();
  manager = demoUser(data, "auftragsmanager@example.com");
  prepress = demoUser(data, "druckvorstufe@example.com");
  customer = demoUser(data, "kunde@example.com");
});

async function pdfFile(name: string, text = name) {
  return new File([new Uint8Array(await samplePdf(text))], name, { type: "application/pdf" });
}

async function documentsOf(orderId: string, kind?: "offer" | "order_confirmation" | "approval") {
  const condition = kind ? and(eq(documents.orderId, orderId), eq(documents.kind, kind)) : eq(documents.orderId, orderId);
  return db().select().from(documents).where(condition);
}

async function documentEvents(orderId: string) {
  const rows = await db().select().from(orderEvents).where(eq(orderEvents.orderId, orderId)).orderBy(orderEvents.createdAt);
  return rows.filter((row) => row.kind.startsWith("document."));
}

describe("uploadDocument", () => {
  it("adds an order confirmation PDF", async () => {
    const order = demoOrder(data, "42793.02");
    const file = await pdfFile("Auftragsbestätigung 240925.pdf");

    const result = await uploadDocument(env, db(), manager, order.id, "order_confirmation", file);

    expect(result).toMatchObject({ ok: true, message: documentMessages.documentAdded("Auftragsbestätigung #240925") });
    const [row] = await documentsOf(order.id, "order_confirmation");
    expect(row).toMatchObject({
      title: "Auftragsbestätigung #240925",
      fileName: "Auftragsbestätigung 240925.pdf",
      r2Key: `orders/${order.id}/documents/${row.id}`,
      uploadedBy: manager.id,
      updatedAt: null,
    });
    const object = await env.FILES.get(row.r2Key!);
    expect(object?.httpMetadata?.contentType).toBe("application/pdf");
    expect(object?.size).toBe(file.size);
    const events = await documentEvents(order.id);
    expect(events.map((event) => [event.kind, event.actorId, event.data])).toEqual([
      ["document.added", manager.id, { kind: "order_confirmation", title: "Auftragsbestätigung #240925" }],
    ]);
  });

  it("replaces the offer, keeping the row", async () => {
    const order = demoOrder(data, "42793.05");
    const [before] = await documentsOf(order.id, "offer");
    const oldKey = before.r2Key!;
    expect(await env.FILES.head(oldKey)).not.toBeNull();
    const cookie = await sessionCookieFor(customer.id);
    const room = await listenToOrderRoom(order.id, cookie);
    const file = await pdfFile("Angebot neu.pdf", "Neues Angebot");

    const result = await uploadDocument(env, db(), prepress, order.id, "offer", file);

    expect(result).toEqual({ ok: true, documentId: before.id, message: documentMessages.documentReplaced("Angebot #42793.05") });
    const rows = await documentsOf(order.id, "offer");
    expect(rows).toHaveLength(1);
    const [after] = rows;
    expect(after.id).toBe(before.id);
    expect(after.createdAt).toBe(before.createdAt);
    expect(after.fileName).toBe("Angebot neu.pdf");
    expect(after.uploadedBy).toBe(prepress.id);
    expect(after.updatedAt).toBeGreaterThan(0);
    expect(after.r2Key).not.toBe(oldKey);
    expect(after.r2Key).toMatch(new RegExp(`^orders/${order.id}/documents/`));
    expect(await env.FILES.head(oldKey)).toBeNull();
    const stored = await env.FILES.get(after.r2Key!);
    expect(new Uint8Array(await stored!.arrayBuffer())).toEqual(new Uint8Array(await file.arrayBuffer()));
    const events = await documentEvents(order.id);
    expect(events.map((event) => [event.kind, event.actorId, event.data])).toEqual([
      ["document.replaced", prepress.id, { kind: "offer", title: "Angebot #42793.05" }],
    ]);
    await waitFor(() => room.events.some((event) => event.type === "documents.changed"));
    room.close();
  });

  it("rejects a file that is not a PDF", async () => {
    const order = demoOrder(data, "42810.01");
    const [before] = await documentsOf(order.id, "offer");
    const png = new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0])], "angebot.pdf", {
      type: "application/pdf",
    });

    const result = await uploadDocument(env, db(), manager, order.id, "offer", png);

    expect(result).toEqual({ ok: false, status: 400, message: documentMessages.notPdf });
    expect(await documentsOf(order.id, "offer")).toEqual([before]);
    expect(await documentEvents(order.id)).toEqual([]);
  });

  it("rejects an empty or missing file", async () => {
    const order = demoOrder(data, "42810.01");

    expect(await uploadDocument(env, db(), manager, order.id, "offer", new File([], "leer.pdf"))).toEqual({
      ok: false,
      status: 400,
      message: documentMessages.fileEmpty,
    });
    expect(await uploadDocument(env, db(), manager, order.id, "offer", null)).toEqual({
      ok: false,
      status: 400,
      message: documentMessages.fileMissing,
    });
  });

  it("rejects a file over the limit", async () => {
    const order = demoOrder(data, "42810.01");
    const pdf = await samplePdf("groß");
    const large = new File([new Uint8Array(pdf), new Uint8Array(MAX_DOCUMENT_BYTES - pdf.byteLength + 1)], "groß.pdf");

    const result = await uploadDocument(env, db(), manager, order.id, "offer", large);

    expect(result).toMatchObject({ ok: false, status: 400 });
  });

  it("rejects an unknown kind and customers", async () => {
    const order = demoOrder(data, "42810.01");
    const file = await pdfFile("x.pdf");

    expect(await uploadDocument(env, db(), manager, order.id, "approval", file)).toEqual({
      ok: false,
      status: 400,
      message: documentMessages.kindInvalid,
    });
    expect(await uploadDocument(env, db(), customer, order.id, "offer", file)).toEqual({ ok: false, status: 403, message: messages.staffOnly });
    expect(await uploadDocument(env, db(), manager, crypto.randomUUID(), "offer", file)).toEqual({
      ok: false,
      status: 404,
      message: messages.orderNotFound,
    });
  });
});

describe("removeDocument", () => {
  it("removes row and object with history", async () => {
    const order = demoOrder(data, "42793.03");
    const [document] = await documentsOf(order.id, "offer");

    const result = await removeDocument(env, db(), manager, order.id, document.id);

    expect(result).toEqual({ ok: true, documentId: document.id, message: documentMessages.documentRemoved(document.title) });
    expect(await documentsOf(order.id)).toEqual([]);
    expect(await env.FILES.head(document.r2Key!)).toBeNull();
    const events = await documentEvents(order.id);
    expect(events.map((event) => [event.kind, event.data])).toEqual([["document.removed", { kind: "offer", title: document.title }]]);
  });

  it("rejects a document of another order", async () => {
    const [foreign] = await documentsOf(demoOrder(data, "42901.01").id, "offer");

    const result = await removeDocument(env, db(), manager, demoOrder(data, "42793.04").id, foreign.id);

    expect(result).toEqual({ ok: false, status: 404, message: documentMessages.documentNotFound });
    expect(await documentsOf(demoOrder(data, "42901.01").id, "offer")).toHaveLength(1);
  });
});

describe("setApprovalLink", () => {
  it("sets, changes and removes the link", async () => {
    const order = demoOrder(data, "42793.04");

    const set = await setApprovalLink(env, db(), manager, order.id, "  https://freigabe.example/job/240970  ");
    expect(set).toMatchObject({ ok: true, message: documentMessages.approvalLinkSaved });
    let rows = await documentsOf(order.id, "approval");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ url: "https://freigabe.example/job/240970", r2Key: null, title: "Datenfreigabe", uploadedBy: manager.id });
    const id = rows[0].id;

    const changed = await setApprovalLink(env, db(), prepress, order.id, "https://freigabe.example/job/240970?runde=2");
    expect(changed).toEqual({ ok: true, documentId: id, message: documentMessages.approvalLinkSaved });
    rows = await documentsOf(order.id, "approval");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id, url: "https://freigabe.example/job/240970?runde=2", uploadedBy: prepress.id });
    expect(rows[0].updatedAt).toBeGreaterThan(0);

    const removed = await setApprovalLink(env, db(), manager, order.id, "");
    expect(removed).toMatchObject({ ok: true, message: documentMessages.approvalLinkRemoved });
    expect(await documentsOf(order.id, "approval")).toEqual([]);

    const events = await documentEvents(order.id);
    expect(events.map((event) => event.kind)).toEqual(["document.added", "document.replaced", "document.removed"]);
    for (const event of events) expect(event.data).toEqual({ kind: "approval", title: "Datenfreigabe" });
  });

  it.each([
    ["http://freigabe.example/job", "plain http"],
    ["javascript:alert(1)", "javascript"],
    ["freigabe.example/job", "no scheme"],
    ["https://", "no host"],
    ["https://nutzer:geheim@freigabe.example/", "credentials"],
    ["kein Link", "garbage"],
    [`https://freigabe.example/${"a".repeat(2000)}`, "too long"],
  ])("rejects %s (%s)", async (url) => {
    const order = demoOrder(data, "42793.02");

    const result = await setApprovalLink(env, db(), manager, order.id, url);

    expect(result).toMatchObject({ ok: false, status: 400 });
    if (!result.ok) expect([documentMessages.approvalUrlInvalid, documentMessages.approvalUrlTooLong(2000)]).toContain(result.message);
    expect(await documentsOf(order.id, "approval")).toEqual([]);
  });

  it("rejects a value that is not text", async () => {
    const order = demoOrder(data, "42793.02");

    const result = await setApprovalLink(env, db(), manager, order.id, new File(["https://x.example"], "link.txt"));

    expect(result).toEqual({ ok: false, status: 400, message: documentMessages.approvalUrlInvalid });
  });
});
