import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";

import { getDb } from "~/db/client.server";
import { files, orders, preflightRuns } from "~/db/schema";
import { messages } from "~/messages";
import { demoOrder, demoUser, samplePdf, seedDemo } from "../../tests/support/fixtures";

import { handlePreflightControl } from "./preflight-controls.server";
import { listOrderFiles } from "./queries.server";

let data: Awaited<ReturnType<typeof seedDemo>>;
let orderId: string;
let otherOrderId: string;

beforeAll(async () => {
  data = await seedDemo();
  orderId = demoOrder(data, "42793.03").id;
  otherOrderId = demoOrder(data, "42793.04").id;
});

/** Returns a queue that records what is sent, so the test checks the message without running the consumer. */
function recordingQueue() {
  const sent: unknown[] = [];
  const queue = {
    async send(body: unknown) {
      sent.push(body);
    },
  } as unknown as Queue;
  return { sent, environment: { PREFLIGHT_QUEUE: queue, OrderRoom: env.OrderRoom } };
}

async function recordFileWithDoneRun(order: string) {
  const db = getDb(env);
  const fileId = crypto.randomUUID();
  const runId = crypto.randomUUID();
  const bytes = await samplePdf();
  const r2Key = `orders/${order}/files/${fileId}`;
  await env.FILES.put(r2Key, bytes);
  const createdAt = Date.now() - 60_000;
  await db.batch([
    db.insert(files).values({
      id: fileId,
      orderId: order,
      uploadId: crypto.randomUUID(),
      r2Key,
      originalName: "test.pdf",
      size: bytes.byteLength,
      sha256: "0".repeat(64),
      createdAt,
    }),
    db.insert(preflightRuns).values({ id: runId, fileId, state: "done", verdict: "ok", createdAt, finishedAt: createdAt }),
  ]);
  return { fileId, runId };
}

async function countRuns(fileId: string) {
  const runs = await getDb(env).select().from(preflightRuns).where(eq(preflightRuns.fileId, fileId));
  return runs.length;
}

async function orderProfile(id: string) {
  const order = await getDb(env).select().from(orders).where(eq(orders.id, id)).get();
  return order?.preflightProfile;
}

describe("preflight controls", () => {
  it("rejects a customer's re-run", async () => {
    const { fileId } = await recordFileWithDoneRun(orderId);
    const { sent, environment } = recordingQueue();

    const result = await handlePreflightControl(environment, getDb(env), demoUser(data, "kunde@example.com"), orderId, {
      intent: "rerun",
      fileId,
    });

    expect(result).toEqual({ ok: false, status: 403, message: messages.preflightActionForbidden });
    expect(await countRuns(fileId)).toBe(1);
    expect(sent).toEqual([]);
  });

  it("rejects a customer's profile change", async () => {
    const { environment } = recordingQueue();

    const result = await handlePreflightControl(environment, getDb(env), demoUser(data, "kunde@example.com"), orderId, {
      intent: "set-profile",
      profile: "gwg2022-newspaper",
    });

    expect(result.ok).toBe(false);
    expect(result.ok ? null : result.status).toBe(403);
    expect(await orderProfile(orderId)).toBe("gwg2022-sheetfed");
  });

  it("sets the profile for staff", async () => {
    const { environment } = recordingQueue();
    const db = getDb(env);

    const result = await handlePreflightControl(environment, db, demoUser(data, "druckvorstufe@example.com"), otherOrderId, {
      intent: "set-profile",
      profile: "gwg2022-largeformat",
    });

    expect(result).toEqual({ ok: true, intent: "set-profile" });
    expect(await orderProfile(otherOrderId)).toBe("gwg2022-largeformat");
    expect(await orderProfile(orderId)).toBe("gwg2022-sheetfed");
  });

  it("re-runs with the order's profile and shows the newest run", async () => {
    const { fileId, runId: firstRunId } = await recordFileWithDoneRun(otherOrderId);
    const { sent, environment } = recordingQueue();
    const db = getDb(env);
    await db.update(orders).set({ preflightProfile: "gwg2022-digital" }).where(eq(orders.id, otherOrderId));

    const result = await handlePreflightControl(environment, db, demoUser(data, "auftragsmanager@example.com"), otherOrderId, {
      intent: "rerun",
      fileId,
    });

    expect(result.ok).toBe(true);
    const newRunId = result.ok ? result.runId : undefined;
    expect(newRunId).toBeTruthy();
    expect(newRunId).not.toBe(firstRunId);
    expect(sent).toEqual([{ runId: newRunId }]);
    expect(await countRuns(fileId)).toBe(2);

    const newRun = await db.select().from(preflightRuns).where(eq(preflightRuns.id, newRunId!)).get();
    expect(newRun?.state).toBe("queued");
    expect(newRun?.profile).toBe("gwg2022-digital");

    const listed = (await listOrderFiles(db, otherOrderId)).filter((file) => file.id === fileId);
    expect(listed).toHaveLength(1);
    expect(listed[0].run?.id).toBe(newRunId);
    expect(listed[0].run?.state).toBe("queued");
  });

  it("rejects invalid input with 400", async () => {
    const { environment } = recordingQueue();
    const admin = demoUser(data, "admin@example.com");
    const cases: [Record<string, unknown>, string][] = [
      [{ intent: "set-profile", profile: "iso-coated" }, messages.preflightProfileInvalid],
      [{ intent: "rerun" }, messages.preflightActionInvalid],
      [{ intent: "rerun", fileId: "not-a-uuid" }, messages.preflightActionInvalid],
      [{ intent: "delete" }, messages.preflightActionInvalid],
      [{}, messages.preflightActionInvalid],
    ];

    for (const [form, message] of cases) {
      const result = await handlePreflightControl(environment, getDb(env), admin, orderId, form);
      expect(result, JSON.stringify(form)).toEqual({ ok: false, status: 400, message });
    }
  });

  it("rejects a file of another order with 404", async () => {
    const { fileId } = await recordFileWithDoneRun(otherOrderId);
    const { sent, environment } = recordingQueue();

    const result = await handlePreflightControl(environment, getDb(env), demoUser(data, "admin@example.com"), orderId, {
      intent: "rerun",
      fileId,
    });

    expect(result).toEqual({ ok: false, status: 404, message: messages.preflightFileNotFound });
    expect(await countRuns(fileId)).toBe(1);
    expect(sent).toEqual([]);
  });
});
