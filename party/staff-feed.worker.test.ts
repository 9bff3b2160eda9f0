import { runDurableObjectAlarm, SELF } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";

import { getDb } from "~/db/client.server";
import { parseFeedFrame, STAFF_FEED_ROOM, type FeedFrame, type OrderActivity } from "~/room/staff-feed-events";
import { reportOrderActivity } from "~/room/staff-feed.server";
import { storePrintFile } from "~/uploads/store-print-file.server";
import { demoOrder, demoUser, samplePdf, seedDemo, sessionCookieFor, streamOf } from "../tests/support/fixtures";
import { waitFor } from "../tests/support/room-socket";

import { ACTIVITY_RETENTION_MS } from "./staff-feed";

let data: Awaited<ReturnType<typeof seedDemo>>;

beforeAll(async () => {
  data = await seedDemo();
});

function connect(cookie?: string, name = STAFF_FEED_ROOM) {
  const headers: Record<string, string> = { Upgrade: "websocket" };
  if (cookie) headers.Cookie = cookie;
  return SELF.fetch(`http://portal.test/parties/staff-feed/${name}`, { headers });
}

function feed() {
  return env.StaffFeed.getByName(STAFF_FEED_ROOM);
}

/** Opens the feed as the staff member and collects every frame it receives. */
async function openFeed(email = "auftragsmanager@example.com") {
  const response = await connect(await sessionCookieFor(demoUser(data, email).id));
  expect(response.status).toBe(101);
  const socket = response.webSocket!;
  const frames: FeedFrame[] = [];
  socket.addEventListener("message", (message) => {
    const frame = parseFeedFrame(message.data);
    if (frame) frames.push(frame);
  });
  socket.accept();
  await waitFor(() => frames.length > 0);
  return { socket, frames };
}

function orderFrames(frames: FeedFrame[], orderId: string) {
  return frames.flatMap((frame) => (frame.type === "order" && frame.order.orderId === orderId ? [frame.order] : []));
}

describe("staff feed access", () => {
  it("rejects a socket without a session", async () => {
    const response = await connect();
    expect(response.status).toBe(401);
  });

  it("rejects a customer", async () => {
    const response = await connect(await sessionCookieFor(demoUser(data, "kunde@example.com").id));
    expect(response.status).toBe(403);
  });

  it("rejects another feed name", async () => {
    const response = await connect(await sessionCookieFor(demoUser(data, "admin@example.com").id), "other");
    expect(response.status).toBe(404);
  });

  it("accepts every staff role", async () => {
    for (const email of ["auftragsmanager@example.com", "druckvorstufe@example.com", "admin@example.com"]) {
      const response = await connect(await sessionCookieFor(demoUser(data, email).id));
      expect(response.status, email).toBe(101);
      response.webSocket!.accept();
      response.webSocket!.close();
    }
  });
});

describe("staff feed activity", () => {
  it("sends a snapshot on connect", async () => {
    const orderId = crypto.randomUUID();
    await reportOrderActivity(env, { type: "upload", orderId, fileId: "file-1", originalName: "a.pdf", state: "started" });

    const { socket, frames } = await openFeed();
    const snapshot = frames[0];
    expect(snapshot.type).toBe("snapshot");
    const order = snapshot.type === "snapshot" ? snapshot.orders.find((entry) => entry.orderId === orderId) : undefined;
    expect(order?.uploadsInProgress).toBe(1);
    expect(order?.checksRunning).toBe(0);
    socket.close();
  });

  it("pushes each change to connected staff", async () => {
    const orderId = crypto.randomUUID();
    const { socket, frames } = await openFeed("druckvorstufe@example.com");

    const present = [{ userId: "u1", name: "Erika Kundin", role: "customer" as const, tabs: 2 }];
    await reportOrderActivity(env, { type: "presence", orderId, present });
    await waitFor(() => orderFrames(frames, orderId).length === 1);
    expect(orderFrames(frames, orderId)[0].present).toEqual(present);

    await reportOrderActivity(env, { type: "preflight", orderId, fileId: "f1", runId: "r1", state: "running", verdict: null });
    await waitFor(() => orderFrames(frames, orderId).length === 2);
    expect(orderFrames(frames, orderId)[1].checksRunning).toBe(1);

    await reportOrderActivity(env, { type: "preflight", orderId, fileId: "f1", runId: "r1", state: "failed", verdict: null });
    await waitFor(() => orderFrames(frames, orderId).length === 3);
    expect(orderFrames(frames, orderId)[2].checksRunning).toBe(0);
    expect(orderFrames(frames, orderId)[2].checksFailed).toBe(1);
    socket.close();
  });

  it("forgets the check of a deleted file", async () => {
    const orderId = crypto.randomUUID();
    const { socket, frames } = await openFeed();

    await reportOrderActivity(env, { type: "preflight", orderId, fileId: "f1", runId: "r1", state: "running", verdict: null });
    await waitFor(() => orderFrames(frames, orderId).length === 1);
    expect(orderFrames(frames, orderId)[0].checksRunning).toBe(1);

    await reportOrderActivity(env, { type: "upload", orderId, fileId: "f1", originalName: "a.pdf", state: "deleted" });
    await waitFor(() => orderFrames(frames, orderId).length === 2);
    expect(orderFrames(frames, orderId)[1].checksRunning).toBe(0);
    expect(orderFrames(frames, orderId)[1].uploadsInProgress).toBe(0);
    socket.close();
  });

  it("counts customer messages until staff reply", async () => {
    const orderId = crypto.randomUUID();
    const message = (seq: number, authorRole: "customer" | "manager"): OrderActivity => ({
      type: "message",
      orderId,
      seq,
      authorId: authorRole,
      authorRole,
      at: Date.now(),
    });
    const unread = async () => (await feed().snapshot()).find((entry) => entry.orderId === orderId)?.unreadMessages;

    await reportOrderActivity(env, message(1, "customer"));
    await reportOrderActivity(env, message(2, "customer"));
    expect(await unread()).toBe(2);

    await reportOrderActivity(env, message(3, "manager"));
    expect(await unread()).toBe(0);

    await reportOrderActivity(env, message(4, "customer"));
    await reportOrderActivity(env, { type: "read", orderId, seq: 4, userId: "staff-1" });
    expect(await unread()).toBe(0);
  });

  it("counts unread messages by seq", async () => {
    const orderId = crypto.randomUUID();
    const customerMessage = (seq: number): OrderActivity => ({
      type: "message",
      orderId,
      seq,
      authorId: "customer-1",
      authorRole: "customer",
      at: Date.now(),
    });
    const unread = async () => (await feed().snapshot()).find((entry) => entry.orderId === orderId)?.unreadMessages;

    await reportOrderActivity(env, customerMessage(1));
    await reportOrderActivity(env, customerMessage(2));
    await reportOrderActivity(env, customerMessage(2));
    expect(await unread()).toBe(2);

    // A read of seq 1 that arrives late leaves the later message unread.
    await reportOrderActivity(env, { type: "read", orderId, seq: 1, userId: "staff-1" });
    expect(await unread()).toBe(1);

    // A customer message reported after staff read past it is not unread.
    await reportOrderActivity(env, { type: "read", orderId, seq: 5, userId: "staff-1" });
    await reportOrderActivity(env, customerMessage(4));
    expect(await unread()).toBe(0);

    await reportOrderActivity(env, customerMessage(6));
    expect(await unread()).toBe(1);
  });

  it("tracks an upload through storePrintFile", async () => {
    const orderId = demoOrder(data, "42793.04").id;
    const pdf = await samplePdf();
    const result = await storePrintFile(env, getDb(env), {
      orderId,
      uploadId: crypto.randomUUID(),
      fileName: "Broschüre.pdf",
      size: pdf.byteLength,
      body: streamOf(pdf),
      user: demoUser(data, "kunde@example.com"),
    });
    expect(result.ok).toBe(true);

    // The queue consumer may already run or have finished the check, so only the upload is asserted.
    const order = (await feed().snapshot()).find((entry) => entry.orderId === orderId);
    expect(order).toBeDefined();
    expect(order?.uploadsInProgress).toBe(0);
  });

  it("drops invalid activity", async () => {
    const orderId = crypto.randomUUID();
    const invalid = { type: "upload", orderId, fileId: "f", originalName: "a.pdf", state: "unknown" } as unknown as OrderActivity;
    await reportOrderActivity(env, invalid);
    expect((await feed().snapshot()).some((entry) => entry.orderId === orderId)).toBe(false);
  });
});

describe("staff feed expiry", () => {
  it("drops orders after 24 hours without activity", async () => {
    const orderId = crypto.randomUUID();
    const now = Date.now();
    await feed().report({ type: "upload", orderId, fileId: "f", originalName: "a.pdf", state: "started" }, now);

    expect(await feed().expireInactive(now + ACTIVITY_RETENTION_MS - 1000)).not.toContain(orderId);
    expect((await feed().snapshot(now + ACTIVITY_RETENTION_MS - 1000)).some((entry) => entry.orderId === orderId)).toBe(true);

    expect(await feed().expireInactive(now + ACTIVITY_RETENTION_MS + 1000)).toContain(orderId);
    expect((await feed().snapshot(now)).some((entry) => entry.orderId === orderId)).toBe(false);
  });

  it("expires old activity by alarm and tells staff", async () => {
    const { socket, frames } = await openFeed("admin@example.com");
    const orderId = crypto.randomUUID();
    const longAgo = Date.now() - ACTIVITY_RETENTION_MS - 60_000;

    await feed().report({ type: "upload", orderId, fileId: "f", originalName: "a.pdf", state: "stored" }, longAgo);
    // The alarm is due at once; run it here in case workerd has not fired it yet.
    await runDurableObjectAlarm(feed());

    await waitFor(() => frames.some((frame) => frame.type === "expired" && frame.orderIds.includes(orderId)));
    expect((await feed().snapshot()).some((entry) => entry.orderId === orderId)).toBe(false);
    socket.close();
  });
});
