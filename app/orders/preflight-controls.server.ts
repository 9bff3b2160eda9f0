import { and, eq } from "drizzle-orm";
import * as v from "valibot";

import { isStaff } from "~/auth/guard.server";
import type { SessionUser } from "~/auth/session.server";
import type { Database } from "~/db/client.server";
import { files, orders, preflightRuns } from "~/db/schema";
import { enqueuePreflight } from "~/jobs/preflight-job";
import { messages } from "~/messages";
import { PROFILE_IDS } from "~/preflight";
import { publishToOrderRoom } from "~/room/publish.server";

// Staff controls of the order page: choose the order's preflight profile,
// and check a file again with the order's current profile.

const controlSchema = v.variant(
  "intent",
  [
    v.object(
      {
        intent: v.literal("set-profile"),
        profile: v.picklist(PROFILE_IDS, messages.preflightProfileInvalid),
      },
      messages.preflightProfileInvalid,
    ),
    v.object(
      {
        intent: v.literal("rerun"),
        fileId: v.pipe(v.string(messages.preflightActionInvalid), v.uuid(messages.preflightActionInvalid)),
      },
      messages.preflightActionInvalid,
    ),
  ],
  messages.preflightActionInvalid,
);

export type PreflightControlResult =
  | { ok: true; intent: "set-profile" | "rerun"; runId?: string }
  | { ok: false; status: 400 | 403 | 404 | 500; message: string };

type Environment = Pick<Env, "PREFLIGHT_QUEUE" | "OrderRoom">;

/**
 * Carries out one staff control on an order whose access the caller has
 * checked. Customers get 403 before the form is read; invalid input gets 400
 * with a German message.
 */
export async function handlePreflightControl(
  env: Environment,
  db: Database,
  user: SessionUser,
  orderId: string,
  form: Record<string, unknown>,
): Promise<PreflightControlResult> {
  if (!isStaff(user)) {
    console.warn("preflight-control: rejected for customer", { userId: user.id, orderId });
    return { ok: false, status: 403, message: messages.preflightActionForbidden };
  }

  const parsed = v.safeParse(controlSchema, form);
  if (!parsed.success) return { ok: false, status: 400, message: parsed.issues[0].message };

  const control = parsed.output;
  if (control.intent === "set-profile") {
    await db.batch([db.update(orders).set({ preflightProfile: control.profile }).where(eq(orders.id, orderId))]);
    console.info("preflight-control: profile set", { orderId, profile: control.profile, userId: user.id });
    return { ok: true, intent: "set-profile" };
  }
  return rerunFile(env, db, user, orderId, control.fileId);
}

/** Creates a new queued run for the file with the order's current profile and puts it on the queue. */
async function rerunFile(
  env: Environment,
  db: Database,
  user: SessionUser,
  orderId: string,
  fileId: string,
): Promise<PreflightControlResult> {
  const file = await db
    .select({ id: files.id, profile: orders.preflightProfile })
    .from(files)
    .innerJoin(orders, eq(orders.id, files.orderId))
    .where(and(eq(files.id, fileId), eq(files.orderId, orderId)))
    .get();
  if (!file) return { ok: false, status: 404, message: messages.preflightFileNotFound };

  const runId = crypto.randomUUID();
  await db.batch([
    db.insert(preflightRuns).values({ id: runId, fileId, state: "queued", profile: file.profile, createdAt: Date.now() }),
  ]);

  try {
    await enqueuePreflight(env.PREFLIGHT_QUEUE, { runId });
  } catch (error) {
    console.error("preflight-control: enqueue failed", { orderId, fileId, runId, error: String(error) });
    await db
      .update(preflightRuns)
      .set({ state: "failed", error: messages.preflightRerunFailed, finishedAt: Date.now() })
      .where(eq(preflightRuns.id, runId));
    return { ok: false, status: 500, message: messages.preflightRerunFailed };
  }

  console.info("preflight-control: rerun queued", { orderId, fileId, runId, profile: file.profile, userId: user.id });
  await publishToOrderRoom(env, orderId, { type: "preflight.updated", fileId, runId, state: "queued", verdict: null });
  return { ok: true, intent: "rerun", runId };
}
