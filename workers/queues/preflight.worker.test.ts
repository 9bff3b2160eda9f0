import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";

import { getDb } from "~/db/client.server";
import { files, preflightRuns } from "~/db/schema";
import { demoOrder, samplePdf, seedDemo } from "../../tests/support/fixtures";

import { consumePreflightBatch, runPreflight } from "./preflight";

let orderId: string;

beforeAll(async () => {
  const data = await seedDemo();
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

async function deliver(body: unknown, attempts = 1) {
  const batch = createMessageBatch("preflight", [{ id: crypto.randomUUID(), timestamp: Date.now(), attempts, body }]);
  const ctx = createExecutionContext();
  await consumePreflightBatch(batch, env);
  return getQueueResult(batch, ctx);
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

  it("marks the run failed when its file is gone after the last attempt", async () => {
    const runId = await recordQueuedRun(await samplePdf());
    const run = await loadRun(runId);
    const file = await getDb(env).select().from(files).where(eq(files.id, run!.fileId)).get();
    await env.FILES.delete(file!.r2Key);

    const retried = await deliver({ runId }, 1);
    expect(retried.retryMessages).toHaveLength(1);
    expect((await loadRun(runId))?.state).not.toBe("failed");

    const final = await deliver({ runId }, 4);
    expect(final.explicitAcks).toHaveLength(1);
    expect((await loadRun(runId))?.state).toBe("failed");
  });
});
