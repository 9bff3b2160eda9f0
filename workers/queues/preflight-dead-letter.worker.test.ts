import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";

import { getDb } from "~/db/client.server";
import { files, preflightRuns } from "~/db/schema";
import { messages } from "~/messages";
import { demoOrder, demoUser, samplePdf, seedDemo, sessionCookieFor } from "../../tests/support/fixtures";
import { listenToOrderRoom, waitFor } from "../../tests/support/room-socket";

import { consumePreflightBatch, runPreflight } from "./preflight";
import { consumePreflightDeadLetterBatch } from "./preflight-dead-letter";

let data: Awaited<ReturnType<typeof seedDemo>>;
let orderId: string;

beforeAll(async () => {
  data = await seedDemo();
  orderId = demoOrder(data, "42793.03").id;
});

async function recordQueuedRun(bytes: Uint8Array | null) {
  const db = getDb(env);
  const fileId = crypto.randomUUID();
  const runId = crypto.randomUUID();
  const r2Key = `orders/${orderId}/files/${fileId}`;
  // Without bytes the object is never stored, so every read fails like a storage outage.
  if (bytes) await env.FILES.put(r2Key, bytes);
  await db.batch([
    db.insert(files).values({
      id: fileId,
      orderId,
      uploadId: crypto.randomUUID(),
      r2Key,
      originalName: "test.pdf",
      size: bytes?.byteLength ?? 1000,
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

async function deliverTo(queue: "preflight" | "preflight-dlq", body: unknown, attempts = 1) {
  const batch = createMessageBatch(queue, [{ id: crypto.randomUUID(), timestamp: Date.now(), attempts, body }]);
  const ctx = createExecutionContext();
  if (queue === "preflight") await consumePreflightBatch(batch, env);
  else await consumePreflightDeadLetterBatch(batch, env);
  return getQueueResult(batch, ctx);
}

describe("preflight dead-letter consumer", () => {
  it("marks the run failed with its reason", async () => {
    const runId = await recordQueuedRun(null);
    const listener = await listenToOrderRoom(orderId, await sessionCookieFor(demoUser(data, "druckvorstufe@example.com").id));
    const retried = await deliverTo("preflight", { runId }, 4);
    expect(retried.retryMessages).toHaveLength(1);

    const result = await deliverTo("preflight-dlq", { runId });
    await waitFor(() => listener.events.some((event) => event.type === "preflight.updated" && event.state === "failed"));
    listener.close();

    expect(result.explicitAcks).toHaveLength(1);
    const run = await loadRun(runId);
    expect(run?.state).toBe("failed");
    expect(run?.error).toContain("Fehler abgebrochen");
    expect(run?.error).toContain("disappeared");
    expect(run?.finishedAt).toBeGreaterThan(0);
  });

  it("gives a general reason when none was stored", async () => {
    const runId = await recordQueuedRun(await samplePdf());

    await deliverTo("preflight-dlq", { runId });

    const run = await loadRun(runId);
    expect(run?.state).toBe("failed");
    expect(run?.error).toBe(messages.preflightFailedUnknown);
  });

  it("leaves a finished run as it is", async () => {
    const runId = await recordQueuedRun(await samplePdf());
    await runPreflight(env, runId);
    const finished = await loadRun(runId);

    const result = await deliverTo("preflight-dlq", { runId });

    expect(result.explicitAcks).toHaveLength(1);
    expect(await loadRun(runId)).toEqual(finished);
  });

  it("ignores a redelivered message of a failed run", async () => {
    const runId = await recordQueuedRun(await samplePdf());
    await deliverTo("preflight-dlq", { runId });
    const failed = await loadRun(runId);

    const result = await deliverTo("preflight", { runId });

    expect(result.explicitAcks).toHaveLength(1);
    expect(await loadRun(runId)).toEqual(failed);
  });

  it("drops a malformed message", async () => {
    const result = await deliverTo("preflight-dlq", { runId: 7 });
    expect(result.explicitAcks).toHaveLength(1);
    expect(result.retryMessages).toHaveLength(0);
  });
});
