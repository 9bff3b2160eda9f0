import { and, eq, notInArray, sql } from "drizzle-orm";
import * as v from "valibot";

import { getDb } from "~/db/client.server";
import { files, orders, preflightRuns } from "~/db/schema";
import type { PreflightState } from "~/db/values";
import { preflightJobSchema } from "~/jobs/preflight-job";
import { messages } from "~/messages";
import { DEFAULT_PROFILE_ID, isProfileId, preflight, type RangeReader } from "~/preflight";
import { publishToOrderRoom } from "~/room/publish.server";
import { reportOrderActivity } from "~/room/staff-feed.server";

import { r2RangeReader } from "./r2-range-reader";

/**
 * Maximum time of one run. A check of a file of at most 95 MiB that takes
 * longer is taken as stuck (for example on a slow storage read), so it counts
 * as failed and the message is retried with backoff.
 * NOTE: 60 s is an estimate with a wide margin, not measured on Cloudflare.
 */
export const RUN_TIMEOUT_MS = 60_000;

/** Shortest time between two progress updates of one run, so a fast check sends a few per second at most. */
const PROGRESS_INTERVAL_MS = 250;

const FINISHED_STATES: PreflightState[] = ["done", "failed"];

type Environment = Pick<Env, "DB" | "FILES" | "OrderRoom" | "StaffFeed">;

/** Overrides for tests. */
export interface RunOptions {
  /** Time limit in milliseconds instead of RUN_TIMEOUT_MS. */
  timeoutMs?: number;
  /** Engine to run instead of `preflight()`. */
  engine?: typeof preflight;
}

/** Raised when the engine has not finished within the run's time limit. */
export class PreflightTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`preflight did not finish within ${timeoutMs} ms`);
    this.name = "PreflightTimeoutError";
  }
}

/**
 * Consumes the preflight queue: checks each file and publishes the result to
 * the order's room. A run that fails is retried with backoff. After the last
 * retry (max_retries in wrangler.toml) the queue moves the message to
 * `preflight-dlq`, whose consumer marks the run failed.
 */
export async function consumePreflightBatch(batch: MessageBatch, env: Environment, options?: RunOptions): Promise<void> {
  for (const message of batch.messages) {
    const job = v.safeParse(preflightJobSchema, message.body);
    if (!job.success) {
      console.error("preflight: malformed message dropped", { messageId: message.id });
      message.ack();
      continue;
    }

    const { runId } = job.output;
    try {
      await runPreflight(env, runId, options);
      message.ack();
    } catch (error) {
      console.error("preflight: run failed, retrying", { runId, attempt: message.attempts, error: String(error) });
      await requeueRun(env, runId, describeRunError(error));
      message.retry({ delaySeconds: 2 ** message.attempts });
    }
  }
}

/**
 * Carries out one run. A run that already finished is left alone, so a
 * message the queue delivers twice changes nothing. Throws on storage errors
 * and on timeout, so that the caller retries.
 */
export async function runPreflight(env: Environment, runId: string, options?: RunOptions): Promise<void> {
  const db = getDb(env);
  const row = await db
    .select({ run: preflightRuns, file: files, orderProfile: orders.preflightProfile })
    .from(preflightRuns)
    .innerJoin(files, eq(files.id, preflightRuns.fileId))
    .innerJoin(orders, eq(orders.id, files.orderId))
    .where(eq(preflightRuns.id, runId))
    .get();

  if (!row) {
    // Deleting a print file deletes its runs, so a queued message may outlive its run.
    console.warn("preflight: run not found, message dropped", { runId });
    return;
  }
  if (row.run.state === "done" || row.run.state === "failed") {
    console.info("preflight: run already finished", { runId, state: row.run.state });
    return;
  }

  const { file } = row;
  // A run created before profiles existed, or with an unknown id, uses the order's profile.
  const profile = isProfileId(row.run.profile) ? row.run.profile : isProfileId(row.orderProfile) ? row.orderProfile : DEFAULT_PROFILE_ID;
  const startedAt = Date.now();
  await db
    .update(preflightRuns)
    .set({
      state: "running",
      profile,
      startedAt,
      attempts: sql`${preflightRuns.attempts} + 1`,
      progressPages: null,
      progressTotal: null,
    })
    .where(eq(preflightRuns.id, runId));
  await publishToOrderRoom(env, file.orderId, {
    type: "preflight.updated",
    fileId: file.id,
    runId,
    state: "running",
    verdict: null,
  });
  await reportOrderActivity(env, {
    type: "preflight",
    orderId: file.orderId,
    fileId: file.id,
    runId,
    state: "running",
    verdict: null,
  });

  const timeoutMs = options?.timeoutMs ?? RUN_TIMEOUT_MS;
  const engine = options?.engine ?? preflight;
  const storageReader = r2RangeReader(env.FILES, file.r2Key, file.size);
  const deadline = startDeadline(timeoutMs);
  const reportProgress = throttleProgress(async (pagesDone, pageCount) => {
    if (deadline.expired) return;
    await db
      .update(preflightRuns)
      .set({ progressPages: pagesDone, progressTotal: pageCount })
      .where(and(eq(preflightRuns.id, runId), eq(preflightRuns.state, "running")));
    await publishToOrderRoom(env, file.orderId, { type: "preflight.progress", fileId: file.id, runId, pagesDone, pageCount });
  });

  let report;
  try {
    report = await Promise.race([
      engine(stopReadingAtDeadline(storageReader, deadline), { profile, onProgress: reportProgress }),
      deadline.promise,
    ]);
    if (storageReader.readError) throw storageReader.readError;
  } catch (error) {
    // A file deleted during the run takes its R2 object and its runs with it,
    // so reads fail and a retry could never succeed.
    if (!(await runExists(db, runId))) {
      console.info("preflight: file deleted during the run, run dropped", {
        runId,
        fileId: file.id,
        orderId: file.orderId,
        error: String(error),
      });
      return;
    }
    throw error;
  } finally {
    deadline.clear();
  }

  const finishedAt = Date.now();
  const updated = await db
    .update(preflightRuns)
    .set({
      state: "done",
      verdict: report.verdict,
      pageCount: report.pageCount,
      findings: report.findings,
      engineVersion: report.engineVersion,
      profile: report.profile,
      pages: report.pages,
      progressPages: report.pageCount,
      progressTotal: report.pageCount,
      error: null,
      finishedAt,
    })
    .where(and(eq(preflightRuns.id, runId), notInArray(preflightRuns.state, FINISHED_STATES)))
    .returning({ id: preflightRuns.id })
    .get();
  if (!updated) {
    if (await runExists(db, runId)) console.warn("preflight: run finished elsewhere, result dropped", { runId });
    else console.info("preflight: file deleted during the run, result dropped", { runId, fileId: file.id, orderId: file.orderId });
    return;
  }

  console.info("preflight: run done", {
    runId,
    fileId: file.id,
    orderId: file.orderId,
    profile: report.profile,
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
  await reportOrderActivity(env, {
    type: "preflight",
    orderId: file.orderId,
    fileId: file.id,
    runId,
    state: "done",
    verdict: report.verdict,
  });
}

async function runExists(db: ReturnType<typeof getDb>, runId: string): Promise<boolean> {
  const row = await db.select({ id: preflightRuns.id }).from(preflightRuns).where(eq(preflightRuns.id, runId)).get();
  return row !== undefined;
}

/** Puts a run that failed back to "queued" with the reason, so the page shows it waiting for the retry. */
async function requeueRun(env: Environment, runId: string, reason: string): Promise<void> {
  const db = getDb(env);
  const row = await db
    .update(preflightRuns)
    .set({ state: "queued", error: reason })
    .where(and(eq(preflightRuns.id, runId), notInArray(preflightRuns.state, FINISHED_STATES)))
    .returning({ fileId: preflightRuns.fileId })
    .get();
  if (!row) return;

  const file = await db.select({ orderId: files.orderId }).from(files).where(eq(files.id, row.fileId)).get();
  if (!file) return;
  await publishToOrderRoom(env, file.orderId, {
    type: "preflight.updated",
    fileId: row.fileId,
    runId,
    state: "queued",
    verdict: null,
  });
  await reportOrderActivity(env, {
    type: "preflight",
    orderId: file.orderId,
    fileId: row.fileId,
    runId,
    state: "queued",
    verdict: null,
  });
}

/** Turns the error of an attempt into the German reason that staff see when the run is given up. */
export function describeRunError(error: unknown): string {
  if (error instanceof PreflightTimeoutError) return messages.preflightFailedTimeout(error.timeoutMs / 1000);
  const detail = error instanceof Error ? error.message : String(error);
  return messages.preflightFailedError(detail);
}

interface Deadline {
  readonly expired: boolean;
  /** Rejects with PreflightTimeoutError when the time is up; never resolves. */
  readonly promise: Promise<never>;
  clear(): void;
}

function startDeadline(timeoutMs: number): Deadline {
  let expired = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const promise = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      expired = true;
      reject(new PreflightTimeoutError(timeoutMs));
    }, timeoutMs);
  });
  // The race may settle through the engine first; an unobserved rejection must not be reported.
  promise.catch(() => undefined);
  return {
    get expired() {
      return expired;
    },
    promise,
    clear: () => clearTimeout(timer),
  };
}

/**
 * Makes every read after the deadline fail, so an engine that lost the race
 * stops at its next read instead of going on reading storage in the background.
 */
function stopReadingAtDeadline(reader: RangeReader, deadline: Deadline): RangeReader {
  return {
    size: reader.size,
    read(offset, length) {
      if (deadline.expired) return Promise.reject(new Error("preflight run timed out"));
      return reader.read(offset, length);
    },
  };
}

/**
 * Wraps a progress callback so it runs at most once per PROGRESS_INTERVAL_MS
 * and always for the last page. A failing update is logged and never fails the run.
 */
function throttleProgress(
  update: (pagesDone: number, pageCount: number) => Promise<void>,
): (pagesDone: number, pageCount: number) => Promise<void> {
  let lastSentAt = 0;
  return async (pagesDone, pageCount) => {
    const now = Date.now();
    if (pagesDone < pageCount && now - lastSentAt < PROGRESS_INTERVAL_MS) return;
    lastSentAt = now;
    try {
      await update(pagesDone, pageCount);
    } catch (error) {
      console.warn("preflight: progress update failed", { pagesDone, pageCount, error: String(error) });
    }
  };
}
