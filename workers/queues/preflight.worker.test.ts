import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";

import { getDb } from "~/db/client.server";
import { files, orders, preflightRuns } from "~/db/schema";
import { preflight, type PreflightReport } from "~/preflight";
import { demoOrder, demoUser, samplePdf, seedDemo, sessionCookieFor } from "../../tests/support/fixtures";
import { listenToOrderRoom, waitFor } from "../../tests/support/room-socket";

import { consumePreflightBatch, runPreflight, type RunOptions } from "./preflight";

let data: Awaited<ReturnType<typeof seedDemo>>;
let orderId: string;

beforeAll(async () => {
  data = await seedDemo();
  orderId = demoOrder(data, "42793.03").id;
});

/** Records a file and a queued run directly, without the queue, so the test drives the consumer alone. */
async function recordQueuedRun(bytes: Uint8Array) {
  const db = getDb(env);
  const fileId = crypto.randomUUID();
  const runId = crypto.randomUUID();
  const r2Key = `orders/${orderId}/files/${fileId}`;
  await env.FILES.put(r2Key, bytes);
  await db.batch([
    db.insert(files).values({
      id: fileId,
      orderId,
      uploadId: crypto.randomUUID(),
      r2Key,
      originalName: "test.pdf",
      size: bytes.byteLength,
      sha256: "0".repeat(64),
      createdAt: Date.now(),
    }),
    db.insert(preflightRuns).values({ id: runId, fileId, state: "queued", createdAt: Date.now() }),
  ]);
  return runId;
}

async function loadRun(runId: string) {
  return getDb(env).select().from(preflightRuns).where(eq(preflightRuns.id, runId)).get();
}

async function deliver(body: unknown, attempts = 1, options?: RunOptions) {
  const batch = createMessageBatch("preflight", [{ id: crypto.randomUUID(), timestamp: Date.now(), attempts, body }]);
  const ctx = createExecutionContext();
  await consumePreflightBatch(batch, env, options);
  return getQueueResult(batch, ctx);
}

/** A report as the engine returns it, for fake engines. */
function fakeReport(pageCount: number): PreflightReport {
  return { verdict: "ok", pageCount, findings: [], engineVersion: "test", profile: "gwg2022-sheetfed", pages: [] };
}

describe("preflight consumer", () => {
  it("checks the file and stores the report", async () => {
    const runId = await recordQueuedRun(await samplePdf());

    const result = await deliver({ runId });

    expect(result.explicitAcks).toHaveLength(1);
    const run = await loadRun(runId);
    expect(run?.state).toBe("done");
    expect(run?.verdict).toBe("error");
    expect(run?.engineVersion).toBeTruthy();
    expect(run?.findings?.length).toBeGreaterThan(0);
    expect(run?.profile).toBe("gwg2022-sheetfed");
    expect(run?.pages?.map((page) => page.number)).toEqual([1]);
    expect(run?.attempts).toBe(1);
  });

  it("records the order's profile", async () => {
    const db = getDb(env);
    await db.update(orders).set({ preflightProfile: "gwg2022-digital" }).where(eq(orders.id, orderId));
    const runId = await recordQueuedRun(await samplePdf());
    const profiles: (string | undefined)[] = [];

    try {
      await deliver({ runId }, 1, {
        engine: (reader, options) => {
          profiles.push(options?.profile);
          return preflight(reader, options);
        },
      });
    } finally {
      await db.update(orders).set({ preflightProfile: "gwg2022-sheetfed" }).where(eq(orders.id, orderId));
    }

    expect(profiles).toEqual(["gwg2022-digital"]);
    const run = await loadRun(runId);
    expect(run?.state).toBe("done");
    expect(run?.profile).toBe("gwg2022-digital");
  });

  it("stores and publishes progress", async () => {
    const runId = await recordQueuedRun(await samplePdf());
    const listener = await listenToOrderRoom(orderId, await sessionCookieFor(demoUser(data, "kunde@example.com").id));
    const storedDuringRun: [number | null, number | null][] = [];

    const result = await deliver({ runId }, 1, {
      engine: async (_reader, options) => {
        // Five pages in quick succession: the throttle passes the first and the last.
        for (let page = 1; page <= 5; page++) {
          await options?.onProgress?.(page, 5);
          const run = await loadRun(runId);
          storedDuringRun.push([run?.progressPages ?? null, run?.progressTotal ?? null]);
        }
        return fakeReport(5);
      },
    });
    await waitFor(() => listener.events.some((event) => event.type === "preflight.updated" && event.state === "done"));
    listener.close();

    expect(result.explicitAcks).toHaveLength(1);
    expect(storedDuringRun[0]).toEqual([1, 5]);
    expect(storedDuringRun[4]).toEqual([5, 5]);
    const progress = listener.events.filter((event) => event.type === "preflight.progress");
    expect(progress).toEqual([
      { type: "preflight.progress", fileId: expect.any(String), runId, pagesDone: 1, pageCount: 5 },
      { type: "preflight.progress", fileId: expect.any(String), runId, pagesDone: 5, pageCount: 5 },
    ]);
  });

  it("publishes the engine's own progress", async () => {
    const runId = await recordQueuedRun(await samplePdf());
    const listener = await listenToOrderRoom(orderId, await sessionCookieFor(demoUser(data, "admin@example.com").id));

    await deliver({ runId });
    await waitFor(() => listener.events.some((event) => event.type === "preflight.updated" && event.state === "done"));
    listener.close();

    const progress = listener.events.filter((event) => event.type === "preflight.progress");
    expect(progress).toEqual([{ type: "preflight.progress", fileId: expect.any(String), runId, pagesDone: 1, pageCount: 1 }]);
    const run = await loadRun(runId);
    expect(run?.progressPages).toBe(1);
    expect(run?.progressTotal).toBe(1);
  });

  it("retries a run that exceeds the time limit", async () => {
    const runId = await recordQueuedRun(await samplePdf());

    const result = await deliver({ runId }, 1, { timeoutMs: 50, engine: () => new Promise(() => undefined) });

    expect(result.retryMessages).toHaveLength(1);
    expect(result.explicitAcks).toHaveLength(0);
    const run = await loadRun(runId);
    expect(run?.state).toBe("queued");
    expect(run?.error).toContain("Sekunden");
  });

  it("ignores a redelivered message of a finished run", async () => {
    const runId = await recordQueuedRun(await samplePdf());
    await runPreflight(env, runId);
    const first = await loadRun(runId);

    const result = await deliver({ runId });

    expect(result.explicitAcks).toHaveLength(1);
    expect(await loadRun(runId)).toEqual(first);
  });

  it("reports a file that is no readable PDF as fehlerhaft", async () => {
    const runId = await recordQueuedRun(new TextEncoder().encode("%PDF-1.7\nnothing else here"));

    await deliver({ runId });

    const run = await loadRun(runId);
    expect(run?.state).toBe("done");
    expect(run?.verdict).toBe("error");
  });

  it("acknowledges and drops a malformed message", async () => {
    const result = await deliver({ fileId: 42 });
    expect(result.explicitAcks).toHaveLength(1);
    expect(result.retryMessages).toHaveLength(0);
  });

  it("retries a storage error without failing the run", async () => {
    const runId = await recordQueuedRun(await samplePdf());
    const run = await loadRun(runId);
    const file = await getDb(env).select().from(files).where(eq(files.id, run!.fileId)).get();
    await env.FILES.delete(file!.r2Key);

    for (const attempt of [1, 4]) {
      const result = await deliver({ runId }, attempt);
      expect(result.retryMessages).toHaveLength(1);
      expect(result.explicitAcks).toHaveLength(0);
      const retried = await loadRun(runId);
      expect(retried?.state).toBe("queued");
      expect(retried?.error).toContain("disappeared");
    }
    expect((await loadRun(runId))?.attempts).toBe(2);
  });
});
