import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createWriteStream } from "node:fs";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { getPlatformProxy } from "wrangler";

import * as schema from "../app/db/schema";

import { logInToPortal } from "./bench-support";
import { renderDemoPdf } from "./seed-demo";

// `npm run bench:rooms`: measures how long a room event takes from its send
// to its arrival at every open socket. It starts the portal with
// scripts/start.ts on its own port and state folder, adds orders so that
// there are 100 rooms, and opens 200 sockets to one order room, then 1,000
// sockets across 100 rooms. All traffic goes to 127.0.0.1.
//
// Event: a chat message (`chat.send` from one socket, `chat.message` at every
// socket) when the order room handles chat frames; otherwise an upload
// through `PUT /auftraege/<id>/dateien`, whose `file.added` event the room
// pushes. An upload's time includes the upload's own handling (R2 write, D1
// batch, queue send) before the room sends the event, so it is an upper bound.
//
// Usage: npm run bench:rooms [-- --event upload|chat]. BENCH_PORT sets the port (default 8790).

const PORT = Number(process.env.BENCH_PORT ?? "8790");
const BASE_URL = `http://127.0.0.1:${PORT}`;
const STATE_DIR = ".wrangler/bench-rooms-state";
const LOG_FILE = join(STATE_DIR, "..", "bench-rooms-server.log");

const ONE_ROOM_SOCKETS = 200;
const ONE_ROOM_EVENTS = 20;
const MANY_ROOMS = 100;
const SOCKETS_PER_ROOM = 10;
/** Rooms that get their event at the same time in the many-rooms run. */
const MANY_ROOMS_CONCURRENCY = 10;
const EXTRA_ORDER_PREFIX = "99";

const SERVER_START_TIMEOUT_MS = 240_000;
/** Pause after opening sockets, before the first measured event. */
const SETTLE_MS = 2_000;
const SOCKET_OPEN_TIMEOUT_MS = 20_000;
const EVENT_TIMEOUT_MS = 10_000;
/** Upper bound of the whole benchmark; the server is stopped and the run fails after it. */
const TOTAL_TIMEOUT_MS = 15 * 60_000;
const TARGET_P99_MS = 100;

const CUSTOMER_EMAIL = "kunde@example.com";
const SOCKET_USERS = [CUSTOMER_EMAIL, "auftragsmanager@example.com", "druckvorstufe@example.com", "admin@example.com"];

type EventKind = "upload" | "chat";

interface BenchSocket {
  socket: WebSocket;
  /** Whether the room has replied to `hello` with the chat history. */
  answered: boolean;
  /** Arrival time (performance.now()) per event key. */
  arrivals: Map<string, number>;
}

interface EventResult {
  /** Time from the send to the arrival at each socket that received the event. */
  latenciesMs: number[];
  missing: number;
}

// ---------------------------------------------------------------------------
// Portal process

function runStep(step: string, command: string, args: string[], extraEnv: Record<string, string> = {}) {
  console.log(`> ${step}`);
  const result = spawnSync(command, args, {
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", ...extraEnv },
  });
  if (result.status !== 0) throw new Error(`${step} failed (exit code ${result.status ?? result.signal})`);
}

/** Adds orders to the demo company until there are `MANY_ROOMS` orders, and returns the ids of the company's orders. */
async function prepareOrders(): Promise<string[]> {
  // Hides wrangler's warnings that the Durable Objects cannot run inside this proxy; only D1 is used.
  process.env.WRANGLER_LOG ??= "error";
  const proxy = await getPlatformProxy<Env>({ persist: { path: join(STATE_DIR, "v3") } });
  try {
    const db = drizzle(proxy.env.DB, { schema });
    const customer = await db.select().from(schema.users).where(eq(schema.users.email, CUSTOMER_EMAIL)).get();
    if (!customer?.companyId) throw new Error(`demo customer ${CUSTOMER_EMAIL} not found in the bench database`);
    const template = await db.select().from(schema.orders).where(eq(schema.orders.companyId, customer.companyId)).get();
    if (!template) throw new Error("no demo order of the demo customer's company");

    const existing = await db.select({ id: schema.orders.id }).from(schema.orders).where(eq(schema.orders.companyId, customer.companyId));
    const now = Date.now();
    const extra = Array.from({ length: Math.max(0, MANY_ROOMS - existing.length) }, (_, index) => ({
      id: crypto.randomUUID(),
      companyId: customer.companyId!,
      contactId: customer.id,
      managerId: template.managerId,
      offerNumber: `${EXTRA_ORDER_PREFIX}${String(index).padStart(3, "0")}.01`,
      orderNumber: `${EXTRA_ORDER_PREFIX}${String(index).padStart(4, "0")}`,
      title: `Benchmark-Auftrag ${index + 1}`,
      status: "ordered" as const,
      createdAt: now,
    }));
    // D1 allows at most 100 bound parameters per statement, so insert in small groups.
    for (let start = 0; start < extra.length; start += 5) {
      await db.insert(schema.orders).values(extra.slice(start, start + 5));
    }
    return [...existing.map((order) => order.id), ...extra.map((order) => order.id)];
  } finally {
    await proxy.dispose();
  }
}

function startPortal(): ChildProcess {
  console.log(`> Starting the portal on ${BASE_URL} (log: ${LOG_FILE})`);
  const log = createWriteStream(LOG_FILE);
  // A process group of its own, so that stopping it also stops the vite preview and workerd it starts.
  const child = spawn("node_modules/.bin/tsx", ["scripts/start.ts"], {
    env: { ...process.env, PORT: String(PORT), PORTAL_STATE_DIR: STATE_DIR },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  return child;
}

/** The running portal, stopped at the end, on failure, on Ctrl+C and on the overall timeout. */
let portal: ChildProcess | null = null;

async function stopPortal(): Promise<void> {
  const child = portal;
  portal = null;
  if (!child || child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;

  console.log(`> Stopping the portal (process group ${child.pid})`);
  const exited = new Promise((resolve) => child.once("exit", resolve));
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch (error) {
    console.error("bench-rooms: stopping the portal failed", { pid: child.pid, error: String(error) });
    return;
  }
  const stopped = await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)]);
  if (!stopped) {
    console.error("bench-rooms: the portal did not stop within 10 s, killing it", { pid: child.pid });
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
}

async function waitForPortal(child: ChildProcess): Promise<void> {
  const deadline = Date.now() + SERVER_START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the portal exited with code ${child.exitCode}; see ${LOG_FILE}`);
    try {
      if ((await fetch(`${BASE_URL}/anmelden`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await sleep(500);
  }
  throw new Error(`the portal did not respond at ${BASE_URL} within ${SERVER_START_TIMEOUT_MS / 1000} s; see ${LOG_FILE}`);
}


// ---------------------------------------------------------------------------
// Sockets

/** Opens one order-room socket with the session cookie; Node's WebSocket (undici) accepts headers as an extension. */
function openSocket(orderId: string, cookie: string): Promise<BenchSocket> {
  const url = `ws://127.0.0.1:${PORT}/parties/order-room/${orderId}`;
  const init = { headers: { Cookie: cookie } } as unknown as string[];
  const socket = new WebSocket(url, init);
  const benchSocket: BenchSocket = { socket, answered: false, arrivals: new Map() };

  socket.addEventListener("close", (event) => {
    if (process.env.BENCH_VERBOSE) console.log(`  socket to ${orderId.slice(0, 8)} closed: ${event.code} ${event.reason}`);
  });
  socket.addEventListener("message", (message) => {
    const arrivedAt = performance.now();
    const key = eventKeyOf(message.data);
    if (typeof message.data === "string" && message.data.startsWith('{"type":"chat.history"')) benchSocket.answered = true;
    if (process.env.BENCH_VERBOSE && typeof message.data === "string" && message.data.includes('"type":"error"')) {
      console.log(`  error frame in ${orderId.slice(0, 8)}: ${message.data}`);
    }
    if (key !== null && !benchSocket.arrivals.has(key)) benchSocket.arrivals.set(key, arrivedAt);
  });

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`socket to room ${orderId} did not open within ${SOCKET_OPEN_TIMEOUT_MS} ms`)), SOCKET_OPEN_TIMEOUT_MS);
    socket.addEventListener("open", () => {
      clearTimeout(timer);
      // As the order page does: the room sends chat frames only to sockets that have sent `hello`.
      socket.send(JSON.stringify({ type: "hello", lastSeq: 0 }));
      resolve(benchSocket);
    });
    socket.addEventListener("error", () => {
      clearTimeout(timer);
      reject(new Error(`socket to room ${orderId} failed to open`));
    });
  });
}

/** Returns the key that identifies a measured event in a frame: the file name of `file.added`, the client id of `chat.message`. */
function eventKeyOf(data: unknown): string | null {
  if (typeof data !== "string" || !data.startsWith("{")) return null;
  try {
    const frame = JSON.parse(data) as { type?: string; originalName?: string; message?: { clientId?: string } };
    if (frame.type === "file.added" && typeof frame.originalName === "string") return frame.originalName;
    if (frame.type === "chat.message" && typeof frame.message?.clientId === "string") return frame.message.clientId;
  } catch {
    // Not JSON; heartbeats and other frames are not measured.
  }
  return null;
}

/** Opens `count` sockets to the room, rotating through the cookies, at most 50 opening at a time. */
async function openSockets(orderId: string, cookies: string[], count: number): Promise<BenchSocket[]> {
  const sockets: BenchSocket[] = [];
  for (let start = 0; start < count; start += 50) {
    const batch = Array.from({ length: Math.min(50, count - start) }, (_, index) =>
      openSocket(orderId, cookies[(start + index) % cookies.length]),
    );
    sockets.push(...(await Promise.all(batch)));
  }
  return sockets;
}

/**
 * Waits until the room has replied to every socket's `hello` (when the room has
 * chat) and the presence frames of the new connections have passed, so that
 * the connection storm does not count as event latency.
 */
async function settle(sockets: BenchSocket[], kind: EventKind) {
  if (kind === "chat") {
    const deadline = Date.now() + SOCKET_OPEN_TIMEOUT_MS;
    while (Date.now() < deadline && sockets.some((socket) => !socket.answered)) await sleep(20);
    const unanswered = sockets.filter((socket) => !socket.answered).length;
    if (unanswered > 0) console.warn(`bench-rooms: ${unanswered} sockets got no reply to hello within ${SOCKET_OPEN_TIMEOUT_MS} ms`);
  }
  await sleep(SETTLE_MS);
}

function closeSockets(sockets: BenchSocket[]) {
  for (const { socket } of sockets) socket.close();
}

// ---------------------------------------------------------------------------
// Events

/** Sends one event to the room and returns the time from the send to its arrival at each socket. */
async function measureEvent(kind: EventKind, orderId: string, sockets: BenchSocket[], customerCookie: string, pdf: Uint8Array, sender: BenchSocket): Promise<EventResult> {
  const key = `bench-${crypto.randomUUID()}`;
  const sentAt = performance.now();

  if (kind === "chat") {
    sender.socket.send(JSON.stringify({ type: "chat.send", clientId: key, body: `Benchmark ${key}` }));
  } else {
    const response = await fetch(`${BASE_URL}/auftraege/${orderId}/dateien`, {
      method: "PUT",
      headers: {
        Cookie: customerCookie,
        Origin: BASE_URL,
        "Content-Type": "application/pdf",
        "X-Upload-Id": crypto.randomUUID(),
        "X-File-Name": encodeURIComponent(key),
      },
      body: new Blob([pdf as Uint8Array<ArrayBuffer>]),
    });
    if (!response.ok) throw new Error(`upload to order ${orderId} failed with status ${response.status}`);
  }

  const deadline = Date.now() + EVENT_TIMEOUT_MS;
  while (Date.now() < deadline && sockets.some((socket) => !socket.arrivals.has(key))) await sleep(5);

  const latenciesMs: number[] = [];
  let missing = 0;
  for (const socket of sockets) {
    const arrivedAt = socket.arrivals.get(key);
    if (arrivedAt === undefined) missing += 1;
    else latenciesMs.push(arrivedAt - sentAt);
    socket.arrivals.delete(key);
  }
  if (process.env.BENCH_VERBOSE) {
    const closed = sockets.filter(({ socket }) => socket.readyState !== WebSocket.OPEN).length;
    const sorted = [...latenciesMs].sort((a, b) => a - b);
    console.log(`  event ${key.slice(6, 14)} in ${orderId.slice(0, 8)}: first ${sorted[0]?.toFixed(1)} ms, last ${sorted.at(-1)?.toFixed(1)} ms, missing ${missing}, closed sockets ${closed}`);
  }
  return { latenciesMs, missing };
}

/** Checks whether the order room replies to `chat.send` with `chat.message`. */
async function chatAvailable(orderId: string, cookie: string): Promise<boolean> {
  const probe = await openSocket(orderId, cookie);
  try {
    const result = await measureEvent("chat", orderId, [probe], cookie, new Uint8Array(), probe).catch(() => null);
    return result !== null && result.missing === 0;
  } finally {
    closeSockets([probe]);
  }
}

// ---------------------------------------------------------------------------
// Report

function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1);
  return sorted[Math.max(0, index)];
}

function formatStats(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const format = (value: number) => value.toFixed(1).padStart(7);
  return `p50 ${format(percentile(sorted, 0.5))}  p95 ${format(percentile(sorted, 0.95))}  p99 ${format(percentile(sorted, 0.99))}  max ${format(sorted.at(-1) ?? Number.NaN)} ms`;
}

/**
 * Prints the send-to-arrival times and, for each event, the fan-out: how much
 * later than its first socket every other socket received it. Returns whether
 * the p99 of the send-to-arrival times is below the target with no event missing.
 */
function summarise(label: string, socketCount: number, events: number, results: EventResult[]): boolean {
  const latencies = results.flatMap((result) => result.latenciesMs);
  const fanOut = results.flatMap((result) => {
    const first = Math.min(...result.latenciesMs);
    return result.latenciesMs.map((latency) => latency - first);
  });
  const missing = results.reduce((sum, result) => sum + result.missing, 0);
  const p99 = percentile([...latencies].sort((a, b) => a - b), 0.99);
  const ok = p99 < TARGET_P99_MS && missing === 0;

  console.log(`\n${label}: ${socketCount} sockets, ${events} events, ${latencies.length} deliveries, ${missing} missing`);
  console.log(`  send to arrival  ${formatStats(latencies)}  ${ok ? "OK" : `ABOVE TARGET (p99 < ${TARGET_P99_MS} ms, none missing)`}`);
  console.log(`  fan-out          ${formatStats(fanOut)}`);
  return ok;
}

// ---------------------------------------------------------------------------
// Main

function requestedKind(): EventKind | null {
  const index = process.argv.indexOf("--event");
  if (index < 0) return null;
  const value = process.argv[index + 1];
  if (value !== "upload" && value !== "chat") throw new Error(`--event must be "upload" or "chat", not "${value}"`);
  return value;
}

async function runBenchmark(): Promise<boolean> {
  const forcedKind = requestedKind();

  await rm(STATE_DIR, { recursive: true, force: true });
  runStep("Applying D1 migrations to the bench state", "node_modules/.bin/wrangler", ["d1", "migrations", "apply", "DB", "--local", "--persist-to", STATE_DIR]);
  runStep("Seeding demo data", "node_modules/.bin/tsx", ["scripts/seed.ts"], { PORTAL_STATE_DIR: STATE_DIR, WRANGLER_LOG: "error" });
  const orderIds = await prepareOrders();
  console.log(`> ${orderIds.length} orders of the demo company`);

  portal = startPortal();
  try {
    await waitForPortal(portal);
    const cookies = await Promise.all(SOCKET_USERS.map((email) => logInToPortal(BASE_URL, email)));
    const customerCookie = cookies[0];
    const pdf = await renderDemoPdf(["Benchmark"]);

    const kind = forcedKind ?? ((await chatAvailable(orderIds[0], customerCookie)) ? "chat" : "upload");
    console.log(`> Measuring ${kind === "chat" ? "chat messages (chat.send to chat.message)" : "uploads (PUT to file.added, includes the upload's handling)"}`);

    let allOk = true;

    const oneRoom = await openSockets(orderIds[0], cookies, ONE_ROOM_SOCKETS);
    await settle(oneRoom, kind);
    const oneRoomResults: EventResult[] = [];
    for (let round = 0; round < ONE_ROOM_EVENTS; round++) {
      // Rotate the chat sender, so that no single connection runs into the room's rate limit.
      const sender = oneRoom[round % oneRoom.length];
      oneRoomResults.push(await measureEvent(kind, orderIds[0], oneRoom, customerCookie, pdf, sender));
      await sleep(100);
    }
    closeSockets(oneRoom);
    allOk = summarise("1 room", ONE_ROOM_SOCKETS, ONE_ROOM_EVENTS, oneRoomResults) && allOk;

    const rooms = orderIds.slice(0, MANY_ROOMS);
    const socketsByRoom: BenchSocket[][] = [];
    for (const orderId of rooms) socketsByRoom.push(await openSockets(orderId, cookies, SOCKETS_PER_ROOM));
    await settle(socketsByRoom.flat(), kind);
    // Round 0 is each room's first event, which also wakes the room and its storage. Then one round
    // with one room at a time and one with MANY_ROOMS_CONCURRENCY rooms at the same time.
    const rounds = [
      { label: `${rooms.length} rooms, first event per room`, concurrency: MANY_ROOMS_CONCURRENCY, counts: false },
      { label: `${rooms.length} rooms, one at a time`, concurrency: 1, counts: true },
      { label: `${rooms.length} rooms, ${MANY_ROOMS_CONCURRENCY} at a time`, concurrency: MANY_ROOMS_CONCURRENCY, counts: true },
    ];
    for (const [round, { label, concurrency, counts }] of rounds.entries()) {
      const roundResults: EventResult[] = [];
      for (let start = 0; start < rooms.length; start += concurrency) {
        const group = rooms.slice(start, start + concurrency).map((orderId, offset) => {
          const sockets = socketsByRoom[start + offset];
          return measureEvent(kind, orderId, sockets, customerCookie, pdf, sockets[round % sockets.length]);
        });
        roundResults.push(...(await Promise.all(group)));
      }
      const ok = summarise(label, rooms.length * SOCKETS_PER_ROOM, roundResults.length, roundResults);
      if (counts) allOk = ok && allOk;
    }
    for (const sockets of socketsByRoom) closeSockets(sockets);

    return allOk;
  } finally {
    await stopPortal();
  }
}

async function abort(reason: string): Promise<never> {
  console.error(`bench-rooms: ${reason}`);
  await stopPortal();
  process.exit(1);
}

const overallTimer = setTimeout(() => void abort(`timed out after ${TOTAL_TIMEOUT_MS / 60_000} minutes`), TOTAL_TIMEOUT_MS);
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void abort(`stopped by ${signal}`));

let exitCode = 1;
try {
  console.log(`Room latency benchmark on ${BASE_URL}, Node ${process.version}`);
  exitCode = (await runBenchmark()) ? 0 : 1;
} catch (error) {
  console.error(`bench-rooms: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  clearTimeout(overallTimer);
  await stopPortal();
}
// Closed sockets and the finished child may keep handles open for a while; the results are printed.
process.exit(exitCode);
