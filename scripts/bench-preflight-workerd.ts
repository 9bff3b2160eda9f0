import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { constants, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";

import { asc, desc, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { getPlatformProxy } from "wrangler";

import * as schema from "../app/db/schema";
import { messages } from "../app/messages";

import { buildBenchmarkPdf, IMAGES_PER_PAGE, PAGE_COUNT } from "./bench-pdf";
import { logInToPortal } from "./bench-support";

// Measures a preflight run of the large benchmark PDF inside local workerd,
// through the real queue consumer. The script starts the portal
// (scripts/start.ts) on its own port with a fresh state folder. It writes the
// PDF into that state's R2 bucket and a file row for one demo order directly,
// because the upload route accepts at most 95 MiB. Then it signs in as
// prepress and sends the order page's "Erneut prüfen" form once per round.
// It prints the time from the form's response to the first report request
// that returns the verdict, and, after the portal has stopped, each run's
// timestamps as stored in D1.
// Usage: npm run bench:preflight:workerd (BENCH_PORT sets the port, default 8799)

const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const PORT = process.env.BENCH_PORT ?? "8799";
const BASE_URL = `http://127.0.0.1:${PORT}`;
const STAFF_EMAIL = "druckvorstufe@example.com";
const ROUNDS = 3;
/** Maximum time of one round, from the form post to the stored verdict, in milliseconds. */
const ROUND_TIMEOUT_MS = 120_000;
/** Maximum time for `scripts/start.ts` to migrate, seed, build and serve, in milliseconds. */
const START_TIMEOUT_MS = 300_000;
/** Interval between two report requests while a run is queued or running, in milliseconds. */
const POLL_INTERVAL_MS = 100;
const READY_LINE = "The portal is running";

// Portal process

interface Portal {
  child: ChildProcess;
  /** The last lines of the portal's output, for error messages. */
  outputTail: string[];
}

/**
 * Starts `scripts/start.ts` as a child process in its own process group, so
 * that stopping it also ends the build, vite and workerd below it. Resolves
 * once the portal prints READY_LINE.
 */
async function startPortal(stateDir: string): Promise<Portal> {
  const child = spawn(join(PROJECT_ROOT, "node_modules/.bin/tsx"), ["scripts/start.ts"], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, PORT, PORTAL_STATE_DIR: stateDir },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const portal: Portal = { child, outputTail: [] };
  console.log(`Starting the portal on ${BASE_URL} (pid ${child.pid}, state ${stateDir})`);

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`the portal did not print "${READY_LINE}" within ${START_TIMEOUT_MS / 1000} s${formatTail(portal)}`));
    }, START_TIMEOUT_MS);
    const onOutput = (chunk: Buffer) => {
      for (const line of chunk.toString("utf8").split("\n")) {
        if (line.trim() === "") continue;
        portal.outputTail.push(line);
        if (portal.outputTail.length > 40) portal.outputTail.shift();
        if (line.includes(READY_LINE)) {
          clearTimeout(timer);
          resolve();
        }
      }
    };
    child.stdout?.on("data", onOutput);
    child.stderr?.on("data", onOutput);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(new Error(`starting scripts/start.ts failed: ${error.message}`));
    });
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the portal exited before it was ready (exit code ${code ?? signal})${formatTail(portal)}`));
    });
  });
  return portal;
}

function formatTail(portal: Portal): string {
  return portal.outputTail.length === 0 ? "" : `; its last output:\n  ${portal.outputTail.join("\n  ")}`;
}

/**
 * Sends SIGTERM to the portal's process group (its id is the child's pid),
 * and SIGKILL when it has not exited after 10 seconds.
 */
async function stopPortal(portal: Portal): Promise<void> {
  const { child } = portal;
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;

  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  signalGroup(child.pid, "SIGTERM");
  const stopped = await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)]);
  if (!stopped) {
    console.error(`The portal (pid ${child.pid}) did not stop within 10 s after SIGTERM, so it gets SIGKILL.`);
    signalGroup(child.pid, "SIGKILL");
    await exited;
  }
  // tsx, vite and workerd may outlive start.ts for a moment, so end whatever is left of the group.
  signalGroup(child.pid, "SIGKILL");
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    // ESRCH: the group has no processes left.
    if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
  }
}

// Portal requests

/**
 * Reads the last 16 bytes of the file through the portal's download route and
 * compares them with the PDF, to check that the running workerd can read the
 * file row and the R2 object that the platform proxy wrote.
 */
async function checkPortalSeesFile(cookie: string, fileId: string, pdf: Uint8Array): Promise<void> {
  const first = pdf.byteLength - 16;
  const response = await fetch(`${BASE_URL}/dateien/${fileId}`, {
    headers: { Cookie: cookie, Range: `bytes=${first}-${pdf.byteLength - 1}` },
  });
  const body = new Uint8Array(await response.arrayBuffer());
  if (response.status !== 206 || Buffer.compare(body, pdf.subarray(first)) !== 0) {
    throw new Error(
      `the running portal does not see the file written through getPlatformProxy (GET /dateien/${fileId} ` +
        `returned status ${response.status}, ${body.byteLength} bytes); the two miniflare instances do not share the state folder`,
    );
  }
}

/** Sends the order page's "Erneut prüfen" form as a browser without JavaScript does. */
async function postRerun(cookie: string, orderId: string, fileId: string): Promise<void> {
  const response = await fetch(`${BASE_URL}/auftraege/${orderId}`, {
    method: "POST",
    headers: { Cookie: cookie, Origin: BASE_URL },
    body: new URLSearchParams({ intent: "rerun", fileId }),
    redirect: "manual",
  });
  const text = await response.text();
  if (response.status < 300 || response.status >= 400) {
    throw new Error(`"Erneut prüfen" for file ${fileId} failed: status ${response.status}, expected a redirect: ${text.slice(0, 200)}`);
  }
}

/** The part of the stored report (GET /dateien/:fileId/bericht.json) that the benchmark prints. */
interface StoredReport {
  verdict: string;
  pageCount: number | null;
  findings: unknown[];
}

/**
 * Polls the report route until the file's newest run is done. The route
 * returns 404 while that run is queued or running, and 404 with
 * `messages.reportFailed` once it has failed.
 */
async function waitForReport(cookie: string, fileId: string, deadline: number): Promise<StoredReport> {
  while (Date.now() < deadline) {
    const response = await fetch(`${BASE_URL}/dateien/${fileId}/bericht.json`, { headers: { Cookie: cookie } });
    const text = await response.text();
    if (response.status === 200) return JSON.parse(text) as StoredReport;
    if (response.status !== 404) throw new Error(`GET /dateien/${fileId}/bericht.json returned status ${response.status}: ${text.slice(0, 200)}`);
    if (text.includes(messages.reportFailed)) throw new Error(`the run of file ${fileId} failed; see the stored runs below`);
    await sleep(POLL_INTERVAL_MS);
  }
  throw new Error(`no stored verdict for file ${fileId} within ${ROUND_TIMEOUT_MS / 1000} s of the form post`);
}

// Measurement

interface RoundResult {
  /** From the form's response to the first report request that returns the verdict, in milliseconds. */
  responseToVerdictMs: number;
  report: StoredReport;
}

async function measureRound(cookie: string, orderId: string, fileId: string): Promise<RoundResult> {
  const deadline = Date.now() + ROUND_TIMEOUT_MS;
  await postRerun(cookie, orderId, fileId);
  const respondedAt = performance.now();
  const report = await waitForReport(cookie, fileId, deadline);
  return { responseToVerdictMs: performance.now() - respondedAt, report };
}

type PreflightRun = typeof schema.preflightRuns.$inferSelect;

/**
 * Reads the file's runs, oldest first. Call it only while the portal is
 * stopped, because two workerd processes that use the same D1 file at the
 * same time fail with SQLITE_BUSY.
 */
async function readRuns(stateDir: string, fileId: string): Promise<PreflightRun[]> {
  const proxy = await openStateProxy(stateDir);
  try {
    const db = drizzle(proxy.env.DB, { schema });
    return await db
      .select()
      .from(schema.preflightRuns)
      .where(eq(schema.preflightRuns.fileId, fileId))
      .orderBy(asc(schema.preflightRuns.createdAt))
      .all();
  } finally {
    await proxy.dispose();
  }
}

/**
 * Describes a run by its stored timestamps. The rerun action sets `createdAt`
 * just before it sends the queue message, the consumer sets `startedAt` when
 * its (last) attempt begins and `finishedAt` when it stores the verdict.
 * NOTE: workerd advances Date.now() only at I/O, so CPU time after the run's
 * last read or write is missing from these times.
 */
function describeRun(run: PreflightRun): string {
  const times =
    run.startedAt === null || run.finishedAt === null
      ? "not finished"
      : `queued to finished ${run.finishedAt - run.createdAt} ms (queue wait ${run.startedAt - run.createdAt} ms, ` +
        `check ${run.finishedAt - run.startedAt} ms)`;
  const error = run.error === null ? "" : `, last error: ${run.error.slice(0, 300)}`;
  return `${times}; state ${run.state}, verdict ${run.verdict ?? "-"}, ${run.pageCount ?? "?"} pages, attempts ${run.attempts}${error}`;
}

function summarize(label: string, values: number[]): string {
  const sorted = values.toSorted((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  return `${label}: median ${median.toFixed(0)} ms (min ${sorted[0].toFixed(0)} ms, max ${sorted.at(-1)?.toFixed(0)} ms)`;
}

function openStateProxy(stateDir: string) {
  // Hides wrangler's warnings that the Durable Objects cannot run in the proxy, as `npm start` does for its seed step.
  process.env.WRANGLER_LOG ??= "error";
  return getPlatformProxy<Env>({ configPath: join(PROJECT_ROOT, "wrangler.toml"), persist: { path: join(stateDir, "v3") } });
}

/**
 * Stores the PDF in R2 and records it as a file of the newest demo order,
 * through a second miniflare instance on the portal's state folder. The
 * portal gets no request meanwhile, and the proxy is closed before the first
 * one, because a D1 write while the other process holds the file fails with
 * SQLITE_BUSY.
 */
async function storeBenchmarkFile(stateDir: string, pdf: Uint8Array): Promise<{ orderId: string; orderTitle: string; fileId: string }> {
  const proxy = await openStateProxy(stateDir);
  try {
    const db = drizzle(proxy.env.DB, { schema });
    const order = await db.select().from(schema.orders).orderBy(desc(schema.orders.createdAt)).limit(1).get();
    const staff = await db.select().from(schema.users).where(eq(schema.users.email, STAFF_EMAIL)).get();
    if (!order || !staff) throw new Error(`the seeded state in ${stateDir} has no order or no user ${STAFF_EMAIL}`);

    const fileId = crypto.randomUUID();
    const r2Key = `orders/${order.id}/files/${fileId}`;
    await proxy.env.FILES.put(r2Key, pdf, { httpMetadata: { contentType: "application/pdf" } });
    await db.insert(schema.files).values({
      id: fileId,
      orderId: order.id,
      uploadId: crypto.randomUUID(),
      r2Key,
      originalName: "benchmark-200mb.pdf",
      size: pdf.byteLength,
      sha256: createHash("sha256").update(pdf).digest("hex"),
      uploadedBy: staff.id,
      createdAt: Date.now(),
    });
    return { orderId: order.id, orderTitle: order.title, fileId };
  } finally {
    await proxy.dispose();
  }
}

async function main(): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), "bench-preflight-workerd-"));
  const stateDir = join(folder, "state");
  let portal: Portal | undefined;

  const cleanUp = async () => {
    if (portal) await stopPortal(portal);
    portal = undefined;
    rmSync(folder, { recursive: true, force: true });
  };
  // The portal runs in its own process group, so Ctrl+C in the terminal does not reach it.
  const onSignal = (signal: NodeJS.Signals) => {
    console.error(`${signal} received; stopping the portal and deleting ${folder}.`);
    void cleanUp().finally(() => process.exit(128 + constants.signals[signal]));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);

  try {
    const buildStart = performance.now();
    const pdf = await buildBenchmarkPdf();
    console.log(
      `Built the PDF: ${(pdf.byteLength / 1024 / 1024).toFixed(1)} MiB, ${PAGE_COUNT} pages, ` +
        `${PAGE_COUNT * IMAGES_PER_PAGE} images, in ${((performance.now() - buildStart) / 1000).toFixed(1)} s`,
    );

    portal = await startPortal(stateDir);
    const { orderId, orderTitle, fileId } = await storeBenchmarkFile(stateDir, pdf);
    const cookie = await logInToPortal(BASE_URL, STAFF_EMAIL);
    await checkPortalSeesFile(cookie, fileId, pdf);
    console.log(`Stored file ${fileId} in order "${orderTitle}" (${orderId}), and the portal serves it.`);

    const results: RoundResult[] = [];
    let roundError: unknown;
    try {
      for (let round = 1; round <= ROUNDS; round++) {
        const result = await measureRound(cookie, orderId, fileId);
        results.push(result);
        const { report } = result;
        console.log(
          `Round ${round}: form response to stored verdict ${result.responseToVerdictMs.toFixed(0)} ms; ` +
            `verdict ${report.verdict}, ${report.pageCount ?? "?"} pages, ${report.findings.length} findings`,
        );
      }
    } catch (error) {
      roundError = error;
    }

    await stopPortal(portal);
    portal = undefined;
    console.log("Stored runs (workerd clock):");
    const runs = await readRuns(stateDir, fileId);
    runs.forEach((run, index) => console.log(`  run ${index + 1}: ${describeRun(run)}`));
    if (roundError !== undefined) throw roundError;

    console.log(summarize("Form response to stored verdict", results.map((result) => result.responseToVerdictMs)));
    const finished = runs.filter((run) => run.finishedAt !== null);
    console.log(summarize("Stored queued to finished", finished.map((run) => (run.finishedAt ?? 0) - run.createdAt)));
  } finally {
    await cleanUp();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

await main();
