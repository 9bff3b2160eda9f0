import { and, eq, notInArray } from "drizzle-orm";
import * as v from "valibot";

import { getDb } from "~/db/client.server";
import { files, preflightRuns } from "~/db/schema";
import { preflightJobSchema } from "~/jobs/preflight-job";
import { messages } from "~/messages";
import { publishToOrderRoom } from "~/room/publish.server";
import { reportOrderActivity } from "~/room/staff-feed.server";

type Environment = Pick<Env, "DB" | "OrderRoom" | "StaffFeed">;

/**
 * Consumes `preflight-dlq`, where the queue moves a preflight message after
 * its last retry: marks the run failed with the reason of the last attempt
 * and publishes the change. A run that finished in the meantime stays as it is.
 */
export async function consumePreflightDeadLetterBatch(batch: MessageBatch, env: Environment): Promise<void> {
  for (const message of batch.messages) {
    const job = v.safeParse(preflightJobSchema, message.body);
    if (!job.success) {
      console.error("preflight-dlq: malformed message dropped", { messageId: message.id });
      message.ack();
      continue;
    }

    try {
      await failRun(env, job.output.runId);
      message.ack();
    } catch (error) {
      console.error("preflight-dlq: update of the run failed, retrying", {
        runId: job.output.runId,
        attempt: message.attempts,
        error: String(error),
      });
      message.retry({ delaySeconds: 2 ** message.attempts });
    }
  }
}

async function failRun(env: Environment, runId: string): Promise<void> {
  const db = getDb(env);
  const run = await db
    .select({ error: preflightRuns.error, fileId: preflightRuns.fileId, orderId: files.orderId })
    .from(preflightRuns)
    .innerJoin(files, eq(files.id, preflightRuns.fileId))
    .where(eq(preflightRuns.id, runId))
    .get();
  if (!run) {
    console.warn("preflight-dlq: run not found", { runId });
    return;
  }

  const reason = run.error ?? messages.preflightFailedUnknown;
  const updated = await db
    .update(preflightRuns)
    .set({ state: "failed", error: reason, progressPages: null, progressTotal: null, finishedAt: Date.now() })
    .where(and(eq(preflightRuns.id, runId), notInArray(preflightRuns.state, ["done", "failed"])))
    .returning({ id: preflightRuns.id })
    .get();
  if (!updated) {
    console.info("preflight-dlq: run already finished", { runId });
    return;
  }

  console.warn("preflight-dlq: run marked failed", { runId, fileId: run.fileId, orderId: run.orderId, reason });
  await publishToOrderRoom(env, run.orderId, {
    type: "preflight.updated",
    fileId: run.fileId,
    runId,
    state: "failed",
    verdict: null,
  });
  await reportOrderActivity(env, {
    type: "preflight",
    orderId: run.orderId,
    fileId: run.fileId,
    runId,
    state: "failed",
    verdict: null,
  });
}
