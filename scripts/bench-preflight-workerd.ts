import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
const require = createRequire(import.meta.url);
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";

import { desc, eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import {
  concatTransformationMatrix,
  drawObject,
  PDFDocument,
  PDFName,
  popGraphicsState,
  pushGraphicsState,
  StandardFonts,
} from "pdf-lib";
import { getPlatformProxy } from "wrangler";

import * as schema from "../app/db/schema";

import { DEMO_PASSWORD } from "./demo-data";

// Measures a preflight run of the large benchmark PDF inside local workerd,
// through the real queue consumer. The script starts the portal
// (scripts/start.ts) on its own port with a fresh state folder, stores the PDF
// in that state's R2 bucket with a file row for one demo order (the upload
// route accepts at most 95 MiB), and then, in each round, signs in as prepress
// and sends the order page's "Erneut prüfen" form. It prints the time from the
// form's response to the stored verdict, and the run's own timestamps.
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
/** Interval between two D1 reads while a run is in progress, in milliseconds. */
const POLL_INTERVAL_MS = 50;
const READY_LINE = "The portal is running";

// The PDF generator below matches the one in scripts/bench-preflight.ts, so
// both benchmarks check the same kind of file (the pixels are random, so the
// bytes differ from run to run).
// NOTE: it is a copy; a change to the generator there must be made here too.

const PAGE_COUNT = 100;
const IMAGES_PER_PAGE = 3;
const TARGET_BYTES = 200 * 1024 * 1024;
/** Points per image pixel, i.e. effective resolutions of 300, 200, 144 and 100 ppi. */
const SCALES = [0.24, 0.36, 0.5, 0.72];

/** Returns the image sizes in pixels: widths of 300 to 700, pixel counts of half to one and a half times the mean. */
function imageSizes(): { width: number; height: number }[] {
  const count = PAGE_COUNT * IMAGES_PER_PAGE;
  const meanPixels = TARGET_BYTES / 3 / count;
  return Array.from({ length: count }, (_, index) => {
    const width = 300 + ((index * 97) % 401);
    const factor = 0.5 + (index % 100) / 99;
    return { width, height: Math.max(1, Math.round((meanPixels * factor) / width)) };
  });
}

function randomPixels(length: number): Uint8Array {
  const pixels = new Uint8Array(length);
  // getRandomValues fills at most 65,536 bytes per call.
  for (let offset = 0; offset < length; offset += 65536) {
    crypto.getRandomValues(pixels.subarray(offset, Math.min(offset + 65536, length)));
  }
  return pixels;
}

/** Builds the benchmark PDF: A4 pages with 3 mm bleed, three RGB images each, drawn at different scales. */
async function buildPdf(): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const sizes = imageSizes();

  for (let pageIndex = 0; pageIndex < PAGE_COUNT; pageIndex++) {
    const page = pdf.addPage([612.28, 858.9]);
    page.setTrimBox(8.5, 8.5, 595.28, 841.89);
    page.setBleedBox(0, 0, 612.28, 858.9);
    page.drawText(`Seite ${pageIndex + 1}`, { x: 40, y: 820, size: 12, font });

    for (let slot = 0; slot < IMAGES_PER_PAGE; slot++) {
      const imageIndex = pageIndex * IMAGES_PER_PAGE + slot;
      const { width, height } = sizes[imageIndex];
      const image = pdf.context.stream(randomPixels(width * height * 3), {
        Type: "XObject",
        Subtype: "Image",
        Width: width,
        Height: height,
        ColorSpace: "DeviceRGB",
        BitsPerComponent: 8,
      });
      const name = `Im${slot + 1}`;
      page.node.setXObject(PDFName.of(name), pdf.context.register(image));

      const scale = SCALES[imageIndex % SCALES.length];
      page.pushOperators(
        pushGraphicsState(),
        concatTransformationMatrix(width * scale, 0, 0, height * scale, 40 + slot * 20, 40 + slot * 260),
        drawObject(name),
        popGraphicsState(),
      );
    }
  }
  return pdf.save({ useObjectStreams: false });
}

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
      require("node:fs").appendFileSync("/tmp/portal-debug.log", chunk);
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
    console.error(`The portal (pid ${child.pid}) did not stop within 10 s after SIGTERM; sending SIGKILL.`);
    signalGroup(child.pid, "SIGKILL");
    await exited;
  }
  // tsx, vite and workerd may outlive start.ts for a moment; end whatever is left of the group.
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

async function logIn(): Promise<string> {
  const response = await fetch(`${BASE_URL}/anmelden`, {
    method: "POST",
    headers: { Origin: BASE_URL },
    body: new URLSearchParams({ email: STAFF_EMAIL, password: DEMO_PASSWORD }),
    redirect: "manual",
  });
  const cookie = response.headers
    .getSetCookie()
    .map((header) => header.split(";")[0])
    .find((pair) => pair.startsWith("portal_session=") && pair !== "portal_session=");
  if (!cookie) throw new Error(`login as ${STAFF_EMAIL} failed (status ${response.status})`);
  return cookie;
}

/**
 * Reads the last 16 bytes of the file through the portal's download route and
 * compares them with the PDF, to check that the running workerd sees the file
 * row and the R2 object that the platform proxy wrote.
 */
async function checkPortalSeesFile(cookie: string, fileId: string, pdf: Uint8Array): Promise<void> {
  const first = pdf.byteLength - 16;
  const response = await fetch(`${BASE_URL}/dateien/${fileId}`, {
    headers: { Cookie: cookie, Range: `bytes=${first}-${pdf.byteLength - 1}` },
  });
  const body = new Uint8Array(await response.arrayBuffer());
  const expected = pdf.subarray(first);
  if (response.status !== 206 || Buffer.compare(body, expected) !== 0) {
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
  await response.arrayBuffer();
  if (response.status < 300 || response.status >= 400) {
    throw new Error(`"Erneut prüfen" for file ${fileId} failed: status ${response.status}, expected a redirect`);
  }
}

// Measurement

type Database = ReturnType<typeof drizzle<typeof schema>>;
type PreflightRun = typeof schema.preflightRuns.$inferSelect;

interface RoundResult {
  /** From the form's response to the first D1 read that shows the run done, measured in this script. */
  responseToVerdictMs: number;
  run: PreflightRun;
}

async function newestRun(db: Database, fileId: string): Promise<PreflightRun | undefined> {
  return db
    .select()
    .from(schema.preflightRuns)
    .where(eq(schema.preflightRuns.fileId, fileId))
    .orderBy(desc(schema.preflightRuns.createdAt))
    .limit(1)
    .get();
}

async function measureRound(db: Database, cookie: string, orderId: string, fileId: string, previousRunIds: Set<string>): Promise<RoundResult> {
  const deadline = Date.now() + ROUND_TIMEOUT_MS;
  await postRerun(cookie, orderId, fileId);
  const respondedAt = performance.now();

  while (Date.now() < deadline) {
    const run = await newestRun(db, fileId);
    if (run && !previousRunIds.has(run.id)) {
      if (run.state === "done") return { responseToVerdictMs: performance.now() - respondedAt, run };
      if (run.state === "failed") throw new Error(`run ${run.id} failed: ${run.error ?? "no reason stored"}`);
      // The consumer puts a failed attempt back to "queued" with the reason; a retry would distort the time.
      if (run.error !== null) throw new Error(`run ${run.id} failed its attempt ${run.attempts} and waits for a retry: ${run.error}`);
    }
    await sleep(POLL_INTERVAL_MS);
  }
  throw new Error(`no stored verdict for file ${fileId} within ${ROUND_TIMEOUT_MS / 1000} s of the form post`);
}

function summarize(label: string, values: number[]): string {
  const sorted = values.toSorted((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  return `${label}: median ${median.toFixed(0)} ms (min ${sorted[0].toFixed(0)} ms, max ${sorted.at(-1)?.toFixed(0)} ms)`;
}

async function main(): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), "bench-preflight-workerd-"));
  const stateDir = join(folder, "state");
  let portal: Portal | undefined;
  let proxy: Awaited<ReturnType<typeof getPlatformProxy<Env>>> | undefined;

  const cleanUp = async () => {
    await proxy?.dispose();
    proxy = undefined;
    if (portal) await stopPortal(portal);
    portal = undefined;
    rmSync(folder, { recursive: true, force: true });
  };
  // The portal runs in its own process group, so Ctrl+C does not reach it.
  const onSignal = (signal: NodeJS.Signals) => {
    console.error(`${signal} received; stopping the portal.`);
    void cleanUp().finally(() => process.exit(130));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);

  try {
    const buildStart = performance.now();
    const pdf = await buildPdf();
    const sha256 = createHash("sha256").update(pdf).digest("hex");
    console.log(
      `Built the PDF: ${(pdf.byteLength / 1024 / 1024).toFixed(1)} MiB, ${PAGE_COUNT} pages, ` +
        `${PAGE_COUNT * IMAGES_PER_PAGE} images, in ${((performance.now() - buildStart) / 1000).toFixed(1)} s`,
    );

    portal = await startPortal(stateDir);

    proxy = await getPlatformProxy<Env>({
      configPath: join(PROJECT_ROOT, "wrangler.toml"),
      persist: { path: join(stateDir, "v3") },
    });
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
      sha256,
      uploadedBy: staff.id,
      createdAt: Date.now(),
    });

    const cookie = await logIn();
    await checkPortalSeesFile(cookie, fileId, pdf);
    console.log(`Stored file ${fileId} in order "${order.title}" (${order.id}); the portal serves it.`);

    const results: RoundResult[] = [];
    const previousRunIds = new Set<string>();
    for (let round = 1; round <= ROUNDS; round++) {
      const result = await measureRound(db, cookie, order.id, fileId, previousRunIds);
      previousRunIds.add(result.run.id);
      results.push(result);

      const { run } = result;
      const queueWaitMs = (run.startedAt ?? run.createdAt) - run.createdAt;
      const checkMs = (run.finishedAt ?? run.createdAt) - (run.startedAt ?? run.createdAt);
      console.log(
        `Round ${round}: response to verdict ${result.responseToVerdictMs.toFixed(0)} ms; stored: ` +
          `queued to finished ${(run.finishedAt ?? run.createdAt) - run.createdAt} ms ` +
          `(queue wait ${queueWaitMs} ms, check ${checkMs} ms); ` +
          `verdict ${run.verdict}, ${run.pageCount ?? "?"} pages, ${run.findings?.length ?? 0} findings, attempt ${run.attempts}`,
      );
    }

    console.log(summarize("Response to verdict", results.map((result) => result.responseToVerdictMs)));
    console.log(
      summarize(
        "Stored queued to finished",
        results.map(({ run }) => (run.finishedAt ?? run.createdAt) - run.createdAt),
      ),
    );
  } finally {
    await cleanUp();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}

await main();
