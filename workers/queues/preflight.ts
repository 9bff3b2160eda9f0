import { eq } from "drizzle-orm";
import * as v from "valibot";

import { getDb } from "~/db/client.server";
import { files, preflightRuns } from "~/db/schema";
import { preflightJobSchema } from "~/jobs/preflight-job";
import { preflight } from "~/preflight";
import { publishToOrderRoom } from "~/room/publish.server";

import { r2RangeReader } from "./r2-range-reader";

// Deliveries of one message before its run is given up as failed; matches
// max_retries = 3 in wrangler.toml (first delivery plus three retries).
const MAX_ATTEMPTS = 4;

type Environment = Pick<Env, "DB" | "FILES" | "OrderRoom">;

/** Consumes the preflight queue: checks each file and publishes the result to the order's room. */
export async function consumePreflightBatch(batch: MessageBatch, env: Environment): Promise<void> {
  for (const message of batch.messages) {
    const job = v.safeParse(preflightJobSchema, message.body);
    if (!job.success) {
      console.error("preflight: malformed message dropped", { messageId: message.id });
      message.ack();
      continue;
    }

    const { runId } = job.output;
    try {
      await runPreflight(env, runId);
      message.ack();
    } catch (error) {
      console.error("preflight: run failed", { runId, attempt: message.attempts, error: String(error) });
      if (message.attempts >= MAX_ATTEMPTS) {
        await failRun(env, runId, String(error));
        message.ack();
      } else {
        message.retry({ delaySeconds: 2 ** message.attempts });
      }
    }
  }
}

/**
 * Carries out one run. A run that already finished is left alone, so a
 * message the queue delivers twice changes nothing.
 */
export async function runPreflight(env: Environment, runId: string): Promise<void> {
  const db = getDb(env);
  const row = await db
    .select({ run: preflightRuns, file: files })
    .from(preflightRuns)
    .innerJoin(files, eq(files.id, preflightRuns.fileId))
    .where(eq(preflightRuns.id, runId))
    .get();

  if (!row) {
    console.warn("preflight: run not found", { runId });
    return;
  }
  if (row.run.state === "done" || row.run.state === "failed") {
    console.info("preflight: run already finished", { runId, state: row.run.state });
    return;
  }

  const { file } = row;
  const startedAt = Date.now();
  await db.update(preflightRuns).set({ state: "running", startedAt }).where(eq(preflightRuns.id, runId));
  await publishToOrderRoom(env, file.orderId, {
    type: "preflight.updated",
    fileId: file.id,
    runId,
    state: "running",
    verdict: null,
  });

  const reader = r2RangeReader(env.FILES, file.r2Key, file.size);
  const report = await preflight(reader);
  if (reader.readError) throw reader.readError;

  const finishedAt = Date.now();
  await db
    .update(preflightRuns)
    .set({
      state: "done",
      verdict: report.verdict,
      pageCount: report.pageCount,
      findings: report.findings,
      engineVersion: report.engineVersion,
      finishedAt,
    })
    .where(eq(preflightRuns.id, runId));

  console.info("preflight: run done", {
    runId,
    fileId: file.id,
    orderId: file.orderId,
    verdict: report.verdict,
    findings: report.findings.length,
    durationMs: finishedAt - startedAt,
  });
  await publishToOrderRoom(env, file.orderId, {
    type: "preflight.updated",
    fileId: file.id,
    runId,
    state: "done",
    verdict: report.verdict,
  });
}

async function failRun(env: Environment, runId: string, error: string): Promise<void> {
  const db = getDb(env);
  const row = await db
    .update(preflightRuns)
    .set({ state: "failed", error, finishedAt: Date.now() })
    .where(eq(preflightRuns.id, runId))
    .returning({ fileId: preflightRuns.fileId })
    .get();
  if (!row) return;

  const file = await db.select({ orderId: files.orderId }).from(files).where(eq(files.id, row.fileId)).get();
  if (file) {
    await publishToOrderRoom(env, file.orderId, {
      type: "preflight.updated",
      fileId: row.fileId,
      runId,
      state: "failed",
      verdict: null,
    });
  }
}
