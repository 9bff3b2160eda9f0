import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";

import { getDb } from "~/db/client.server";
import { files, orderEvents, preflightRuns } from "~/db/schema";
import { messages } from "~/messages";
import { describeOrderEvent, listOrderHistory } from "~/orders/history.server";
import { demoOrder, demoUser, samplePdf, seedDemo, sessionCookieFor } from "../../tests/support/fixtures";
import { listenToOrderRoom, waitFor } from "../../tests/support/room-socket";
import { consumePreflightBatch, type RunOptions } from "../../workers/queues/preflight";

import { deletePrintFile } from "./delete.server";

let data: Awaited<ReturnType<typeof seedDemo>>;
let orderId: string;
let otherOrderId: string;
let prepress: ReturnType<typeof demoUser>;
let customer: ReturnType<typeof demoUser>;

beforeAll(async () => {
  data = await seedDemo();
  orderId = demoOrder(data, "42793.04").id;
  otherOrderId = demoOrder(data, "42793.03").id;
  prepress = demoUser(data, "druckvorstufe@example.com");
  customer = demoUser(data, "kunde@example.com");
});

/** Stores a PDF in R2 and records its file row and a queued run directly, without the queue. */
async function recordFile(order = orderId, originalName = "Broschüre.pdf") {
  const bytes = await samplePdf(originalName);
  const fileId = crypto.randomUUID();
  const runId = crypto.randomUUID();
  const r2Key = `orders/${order}/files/${fileId}`;
  const sha256 = "a".repeat(64);
  await env.FILES.put(r2Key, bytes);
  const db = getDb(env);
  await db.batch([
    db.insert(files).values({
      id: fileId,
      orderId: order,
      uploadId: crypto.randomUUID(),
      r2Key,
      originalName,
      size: bytes.byteLength,
      sha256,
      contentType: "application/pdf",
      uploadedBy: customer.id,
      createdAt: Date.now(),
    }),
    db.insert(preflightRuns).values({ id: runId, fileId, state: "queued", createdAt: Date.now() }),
  ]);
  return { fileId, runId, r2Key, originalName, size: bytes.byteLength, sha256 };
}

async function fileRow(fileId: string) {
  return getDb(env).select().from(files).where(eq(files.id, fileId)).get();
}

async function runRows(fileId: string) {
  return getDb(env).select().from(preflightRuns).where(eq(preflightRuns.fileId, fileId));
}

async function deletionEvents(order: string) {
  return getDb(env)
    .select()
    .from(orderEvents)
    .where(and(eq(orderEvents.orderId, order), eq(orderEvents.kind, "file.deleted")));
}

async function deliverRun(runId: string, options?: RunOptions) {
  const batch = createMessageBatch("preflight", [{ id: crypto.randomUUID(), timestamp: Date.now(), attempts: 1, body: { runId } }]);
  const ctx = createExecutionContext();
  await consumePreflightBatch(batch, env, options);
  return getQueueResult(batch, ctx);
}

describe("deletePrintFile", () => {
  it("deletes object, rows and records event", async () => {
    const file = await recordFile(orderId, "Deckblatt.pdf");
    const listener = await listenToOrderRoom(orderId, await sessionCookieFor(customer.id));
    const before = Date.now();

    const result = await deletePrintFile(env, getDb(env), prepress, orderId, file.fileId);

    expect(result).toEqual({ ok: true, fileId: file.fileId, originalName: "Deckblatt.pdf" });
    expect(await env.FILES.head(file.r2Key)).toBeNull();
    expect(await fileRow(file.fileId)).toBeUndefined();
    expect(await runRows(file.fileId)).toEqual([]);

    const events = (await deletionEvents(orderId)).filter((event) => event.data.fileId === file.fileId);
    expect(events).toHaveLength(1);
    expect(events[0].actorId).toBe(prepress.id);
    expect(events[0].data).toEqual({ fileId: file.fileId, originalName: "Deckblatt.pdf", size: file.size, sha256: file.sha256 });
    expect(events[0].createdAt).toBeGreaterThanOrEqual(before);

    await waitFor(() => listener.events.some((event) => event.type === "file.deleted" && event.fileId === file.fileId));
    listener.close();
  });

  it("lets every staff role delete", async () => {
    for (const email of ["auftragsmanager@example.com", "druckvorstufe@example.com", "admin@example.com"]) {
      const file = await recordFile();
      const result = await deletePrintFile(env, getDb(env), demoUser(data, email), orderId, file.fileId);
      expect(result.ok, email).toBe(true);
      expect(await fileRow(file.fileId), email).toBeUndefined();
    }
  });

  it("rejects customer with 403", async () => {
    const file = await recordFile();
    const eventsBefore = (await deletionEvents(orderId)).length;

    const result = await deletePrintFile(env, getDb(env), customer, orderId, file.fileId);

    expect(result).toEqual({ ok: false, status: 403, message: messages.fileDeleteForbidden });
    expect(await fileRow(file.fileId)).toBeDefined();
    expect(await runRows(file.fileId)).toHaveLength(1);
    expect(await env.FILES.head(file.r2Key)).not.toBeNull();
    expect(await deletionEvents(orderId)).toHaveLength(eventsBefore);
  });

  it("gives 404 for file of another order", async () => {
    const file = await recordFile(otherOrderId);

    const result = await deletePrintFile(env, getDb(env), prepress, orderId, file.fileId);

    expect(result).toEqual({ ok: false, status: 404, message: messages.preflightFileNotFound });
    expect(await fileRow(file.fileId)).toBeDefined();
    expect(await env.FILES.head(file.r2Key)).not.toBeNull();
    expect((await deletionEvents(orderId)).some((event) => event.data.fileId === file.fileId)).toBe(false);
    expect((await deletionEvents(otherOrderId)).some((event) => event.data.fileId === file.fileId)).toBe(false);
  });

  it("gives 404 for unknown file", async () => {
    const result = await deletePrintFile(env, getDb(env), prepress, orderId, crypto.randomUUID());
    expect(result).toEqual({ ok: false, status: 404, message: messages.preflightFileNotFound });
  });

  it("gives 400 for invalid file id", async () => {
    for (const fileId of [undefined, "", "not-a-uuid", 42]) {
      const result = await deletePrintFile(env, getDb(env), prepress, orderId, fileId);
      expect(result, String(fileId)).toEqual({ ok: false, status: 400, message: messages.fileDeleteInvalid });
    }
  });

  it("reports second deletion as already gone", async () => {
    const file = await recordFile(orderId, "Zweimal.pdf");
    await deletePrintFile(env, getDb(env), prepress, orderId, file.fileId);

    const second = await deletePrintFile(env, getDb(env), prepress, orderId, file.fileId);

    expect(second).toEqual({ ok: false, status: 410, message: messages.fileDeleteAlreadyGone("Zweimal.pdf") });
    expect(second.ok ? "" : second.message).toBe("Die Druckdatei „Zweimal.pdf“ wurde bereits gelöscht.");
    expect((await deletionEvents(orderId)).filter((event) => event.data.fileId === file.fileId)).toHaveLength(1);
  });

  it("records one event for concurrent deletions", async () => {
    const file = await recordFile(orderId, "Gleichzeitig.pdf");

    const results = await Promise.all([
      deletePrintFile(env, getDb(env), prepress, orderId, file.fileId),
      deletePrintFile(env, getDb(env), demoUser(data, "admin@example.com"), orderId, file.fileId),
    ]);

    expect(results.filter((result) => result.ok)).toHaveLength(1);
    expect(results.filter((result) => !result.ok && result.status === 410)).toHaveLength(1);
    expect((await deletionEvents(orderId)).filter((event) => event.data.fileId === file.fileId)).toHaveLength(1);
  });
});

describe("preflight consumer after deletion", () => {
  it("drops queued run of deleted file", async () => {
    const file = await recordFile();
    await deletePrintFile(env, getDb(env), prepress, orderId, file.fileId);

    const result = await deliverRun(file.runId);

    expect(result.explicitAcks).toHaveLength(1);
    expect(result.retryMessages).toHaveLength(0);
    expect(await runRows(file.fileId)).toEqual([]);
  });

  it("drops run whose file is deleted mid-run", async () => {
    const file = await recordFile(orderId, "Waehrend.pdf");

    const result = await deliverRun(file.runId, {
      engine: async (reader) => {
        const deletion = await deletePrintFile(env, getDb(env), prepress, orderId, file.fileId);
        expect(deletion.ok).toBe(true);
        // The object is gone now, so this read fails as it would for a real check.
        await reader.read(0, 16);
        throw new Error("the read above should have failed");
      },
    });

    expect(result.explicitAcks).toHaveLength(1);
    expect(result.retryMessages).toHaveLength(0);
    expect(await runRows(file.fileId)).toEqual([]);
    expect(await fileRow(file.fileId)).toBeUndefined();
  });

  it("drops result of run whose file is deleted", async () => {
    const file = await recordFile(orderId, "Fertig.pdf");

    const result = await deliverRun(file.runId, {
      engine: async () => {
        await deletePrintFile(env, getDb(env), prepress, orderId, file.fileId);
        return { verdict: "ok", pageCount: 1, findings: [], engineVersion: "test", profile: "gwg2022-sheetfed", pages: [] };
      },
    });

    expect(result.explicitAcks).toHaveLength(1);
    expect(result.retryMessages).toHaveLength(0);
    expect(await runRows(file.fileId)).toEqual([]);
  });
});

describe("order history", () => {
  it("lists deletion with actor, newest first", async () => {
    const first = await recordFile(orderId, "Erste.pdf");
    const second = await recordFile(orderId, "Zweite.pdf");
    await deletePrintFile(env, getDb(env), prepress, orderId, first.fileId);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await deletePrintFile(env, getDb(env), prepress, orderId, second.fileId);

    const history = await listOrderHistory(getDb(env), orderId);

    const texts = history.entries.map((entry) => entry.text);
    expect(texts.indexOf("Druckdatei „Zweite.pdf“ gelöscht von Tobias Brandt")).toBe(0);
    expect(texts).toContain("Druckdatei „Erste.pdf“ gelöscht von Tobias Brandt");
    const times = history.entries.map((entry) => entry.createdAt);
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it("keeps history of other orders apart", async () => {
    const history = await listOrderHistory(getDb(env), demoOrder(data, "42960.01").id);
    expect(history).toEqual({ entries: [], truncated: false });
  });

  it("describes share link events", () => {
    const cases = [
      ["share_link.created", { linkId: "l1", label: "Agentur" }, "Sabine Keller", "Externer Link „Agentur“ erstellt von Sabine Keller"],
      ["share_link.created", { linkId: "l1", label: null }, "Sabine Keller", "Externer Link erstellt von Sabine Keller"],
      ["share_link.revoked", { linkId: "l1", label: "Agentur" }, "Jana Beispiel", "Externer Link „Agentur“ widerrufen von Jana Beispiel"],
      ["share_link.revoked", { linkId: "l1" }, "Jana Beispiel", "Externer Link widerrufen von Jana Beispiel"],
      ["file.deleted", { fileId: "f1", originalName: "a.pdf" }, null, "Druckdatei „a.pdf“ gelöscht"],
    ] as const;
    for (const [kind, eventData, actor, expected] of cases) {
      expect(describeOrderEvent(kind, eventData, actor), `${kind} ${JSON.stringify(eventData)}`).toBe(expected);
    }
  });

  it("describes document events", () => {
    const cases = [
      ["document.added", { kind: "approval", title: "Datenfreigabe" }, "Sabine Keller", "Datenfreigabe hinzugefügt von Sabine Keller"],
      ["document.added", { kind: "approval", title: " datenfreigabe " }, null, "Datenfreigabe hinzugefügt"],
      ["document.replaced", { kind: "offer", title: "Angebot #42793.03" }, null, "Angebot „Angebot #42793.03“ ersetzt"],
      ["document.removed", { kind: "offer", title: "ANGEBOT" }, null, "Angebot entfernt"],
      ["document.added", { kind: "other", title: "Lieferschein" }, null, "Dokument „Lieferschein“ hinzugefügt"],
      ["document.removed", { kind: "unknown", title: "Dokument" }, null, "Dokument entfernt"],
    ] as const;
    for (const [kind, eventData, actor, expected] of cases) {
      expect(describeOrderEvent(kind, eventData, actor), `${kind} ${JSON.stringify(eventData)}`).toBe(expected);
    }
  });
});
