import { randomBytes } from "node:crypto";
import { createReadStream, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import { constants, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";

import { PDFDocument, StandardFonts } from "pdf-lib";
import WebSocket from "ws";

import { choosePartSize, PARALLEL_PARTS, splitIntoParts } from "../app/uploads/client/multipart-uploader";

import { findDescendantPids, logInToPortal, startPortal, writeRandomFile, type RunningPortal } from "./bench-support";

// `npm run bench:upload`: compares the throughput of the multipart upload
// protocol with the single-request upload, and samples the Worker's memory
// during both. The script starts the portal (scripts/start.ts) on its own
// port with a fresh state folder, signs in as the demo customer and sends,
// all to 127.0.0.1:
//
//   1. a 90 MB PDF (90,000,000 bytes) with one `PUT /auftraege/<id>/dateien`,
//      three times, each time waiting for its preflight verdict so that the
//      check does not run during the next measurement;
//   2. a 200 MB and a 1 GB ZIP file (decimal sizes, no preflight) with the
//      multipart protocol as the order page sends it: create, parts of
//      `choosePartSize` bytes, `PARALLEL_PARTS` at a time, complete with the
//      file's SHA-256.
//
// Throughput is the file size divided by the time from the first request to
// the last response. Every 200 ms the script sums the resident set size
// (VmRSS) of the workerd processes below the portal's process, and reads the
// used heap of the Worker's V8 isolate through the inspector
// (`Runtime.getHeapUsage`). Locally the workerd process also runs miniflare's
// R2 and D1, so its RSS includes their memory; the isolate's heap is the
// Worker's alone. It prints the idle baseline and the peak of each upload.
// Target 1: the 1 GB multipart upload reaches at least 80 % of the single
// requests' median throughput. Target 2: after the 1 GB upload and a garbage
// collection, the Worker's heap is at most HEAP_GROWTH_TOLERANCE_BYTES above
// the heap after the 200 MB upload, so nothing the Worker keeps grows with
// file size. A missed target is printed; only errors end the script with a
// non-zero exit code.
// The test files live in a temporary folder and are deleted at the end.
//
// Usage: npm run bench:upload (BENCH_PORT sets the port, default 8795)

const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const PORT = process.env.BENCH_PORT ?? "8795";
const BASE_URL = `http://127.0.0.1:${PORT}`;
const STATE_DIR = ".wrangler/bench-upload-state";
const LOG_FILE = ".wrangler/bench-upload-server.log";
const CUSTOMER_EMAIL = "kunde@example.com";

const MB = 1_000_000;
const SINGLE_BYTES = 90 * MB;
/** Single-request uploads of the same PDF; their median throughput is the reference. */
const SINGLE_ROUNDS = 3;
const MULTIPART_SMALL_BYTES = 200 * MB;
const MULTIPART_LARGE_BYTES = 1_000 * MB;
const TARGET_RATIO = 0.8;
/**
 * Allowed rise of the Worker's heap peak from the 200 MB to the 1 GB upload.
 * Memory that does not depend on the file size varies only with garbage
 * collection timing. 8 MiB is a guess at that noise, not a measured bound.
 */
const HEAP_GROWTH_TOLERANCE_BYTES = 8 * 1024 * 1024;
/** Inspector port of the portal's workerd (PORTAL_INSPECTOR_PORT in vite.config.ts). */
const INSPECTOR_PORT = process.env.BENCH_INSPECTOR_PORT ?? "9395";

/** Maximum time for `scripts/start.ts` to migrate, seed, build and serve, in milliseconds. */
const START_TIMEOUT_MS = 300_000;
/** Maximum time of one upload request, in milliseconds. */
const REQUEST_TIMEOUT_MS = 300_000;
/** Maximum time from the 90 MB upload's response to its stored preflight verdict, in milliseconds. */
const VERDICT_TIMEOUT_MS = 120_000;
/** Upper bound of the whole benchmark. After it the portal is stopped and the run fails. */
const TOTAL_TIMEOUT_MS = 20 * 60_000;
const MEMORY_SAMPLE_INTERVAL_MS = 200;
/** Idle time after signing in whose samples make up the baseline. */
const BASELINE_MS = 2_000;

// Portal process

/** The running portal, stopped at the end, on failure, on Ctrl+C and on the overall timeout. */
let portal: RunningPortal | null = null;

async function stopPortal(): Promise<void> {
  const running = portal;
  portal = null;
  await running?.stop();
}

// Worker memory

/** Returns VmRSS of the process in bytes, or 0 when it has ended. */
function readRssBytes(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

interface MemorySample {
  at: number;
  rssBytes: number;
  processCount: number;
}

/** Samples the summed RSS of the portal's workerd processes every MEMORY_SAMPLE_INTERVAL_MS. */
class MemorySampler {
  readonly samples: MemorySample[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly rootPid: number) {}

  start() {
    this.sample();
    this.timer = setInterval(() => this.sample(), MEMORY_SAMPLE_INTERVAL_MS);
  }

  stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  sample() {
    const pids = findDescendantPids(this.rootPid, "workerd");
    const rssBytes = pids.reduce((sum, pid) => sum + readRssBytes(pid), 0);
    this.samples.push({ at: performance.now(), rssBytes, processCount: pids.length });
  }

  /** Samples taken between `from` and `to` (performance.now() values). */
  between(from: number, to: number): MemorySample[] {
    return this.samples.filter((sample) => sample.at >= from && sample.at <= to);
  }
}

interface HeapSample {
  at: number;
  usedBytes: number;
}

/**
 * Samples the used heap of the Worker's isolate every MEMORY_SAMPLE_INTERVAL_MS
 * through workerd's inspector. The inspector accepts only a `localhost` Host
 * header, so it is set explicitly.
 */
class HeapSampler {
  readonly samples: HeapSample[] = [];
  private timer: NodeJS.Timeout | null = null;
  private nextId = 1;
  private readonly sentAt = new Map<number, number>();

  private readonly waiting = new Map<number, (result: unknown) => void>();

  private constructor(private readonly socket: WebSocket) {
    socket.on("message", (data) => {
      const reply = JSON.parse(String(data)) as { id?: number; result?: { usedSize?: number } };
      if (reply.id !== undefined && this.waiting.has(reply.id)) {
        this.waiting.get(reply.id)!(reply.result);
        this.waiting.delete(reply.id);
        return;
      }
      const at = reply.id === undefined ? undefined : this.sentAt.get(reply.id);
      if (at === undefined || typeof reply.result?.usedSize !== "number") return;
      this.sentAt.delete(reply.id!);
      this.samples.push({ at, usedBytes: reply.result.usedSize });
    });
  }

  static async connect(): Promise<HeapSampler> {
    const url = `ws://127.0.0.1:${INSPECTOR_PORT}/print-portal`;
    const socket = new WebSocket(url, { headers: { Host: `localhost:${INSPECTOR_PORT}` } });
    await new Promise<void>((resolve, reject) => {
      socket.once("open", () => resolve());
      socket.once("error", (error) => reject(new Error(`the Worker's inspector at ${url} is not reachable: ${error.message}`)));
    });
    return new HeapSampler(socket);
  }

  start() {
    this.sample();
    this.timer = setInterval(() => this.sample(), MEMORY_SAMPLE_INTERVAL_MS);
  }

  stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.socket.close();
  }

  sample() {
    const id = this.nextId++;
    this.sentAt.set(id, performance.now());
    this.socket.send(JSON.stringify({ id, method: "Runtime.getHeapUsage" }));
  }

  /** Sends one inspector command and returns its result. */
  private call(method: string, params: object = {}): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }

  /**
   * Returns the heap still in use after a full garbage collection: what the
   * Worker keeps, not what it has dropped. workerd sends no reply to
   * `HeapProfiler.collectGarbage`, but a heap snapshot collects garbage first;
   * the snapshot's chunks are ignored.
   */
  async liveBytes(): Promise<number> {
    await this.call("HeapProfiler.takeHeapSnapshot", { reportProgress: false });
    const usage = (await this.call("Runtime.getHeapUsage")) as { usedSize: number };
    return usage.usedSize;
  }

  /** Waits for the replies to every sample sent so far. */
  async settle() {
    const deadline = Date.now() + 5_000;
    while (this.sentAt.size > 0 && Date.now() < deadline) await sleep(20);
  }

  peakBetween(from: number, to: number): number {
    return this.samples.filter((sample) => sample.at >= from && sample.at <= to).reduce((max, sample) => Math.max(max, sample.usedBytes), 0);
  }
}

function peakOf(samples: MemorySample[]): number {
  return samples.reduce((max, sample) => Math.max(max, sample.rssBytes), 0);
}

function medianOf(samples: MemorySample[]): number {
  const sorted = samples.map((sample) => sample.rssBytes).sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

// Test files

interface TestFile {
  path: string;
  size: number;
  sha256: string;
}

async function writeTestFile(path: string, size: number, head: Uint8Array): Promise<TestFile> {
  return { path, size, sha256: await writeRandomFile(path, size, head) };
}

/**
 * Builds a one-page PDF of exactly `size` bytes. An unreferenced stream of
 * random bytes makes up the size, so the preflight reads only the small page.
 */
async function buildPaddedPdf(size: number): Promise<Uint8Array> {
  const build = async (paddingBytes: number) => {
    const document = await PDFDocument.create();
    const page = document.addPage([595.28, 841.89]);
    page.drawText("Upload-Benchmark", { x: 60, y: 780, size: 24, font: await document.embedFont(StandardFonts.Helvetica) });
    if (paddingBytes > 0) document.context.register(document.context.stream(randomBytes(paddingBytes)));
    return document.save({ useObjectStreams: false });
  };

  // The stream's /Length and the cross-reference table grow with the padding,
  // so the first guess is corrected by the measured difference.
  const empty = await build(0);
  let paddingBytes = size - empty.byteLength - 200;
  for (let attempt = 0; attempt < 3; attempt++) {
    const pdf = await build(paddingBytes);
    if (pdf.byteLength === size) return pdf;
    paddingBytes += size - pdf.byteLength;
  }
  throw new Error(`could not build a PDF of exactly ${size} bytes`);
}

// Portal requests

const agent = new http.Agent({ keepAlive: true, maxSockets: PARALLEL_PARTS });

interface HttpResult {
  status: number;
  body: string;
}

/** Sends one request whose body is `bytes` or a byte range of a file, and returns the status and the body text. */
function sendRequest(
  method: string,
  path: string,
  headers: Record<string, string>,
  body: { bytes: Uint8Array } | { filePath: string; start: number; end: number } | null,
): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    let length = 0;
    if (body !== null) length = "bytes" in body ? body.bytes.byteLength : body.end - body.start;
    const request = http.request(
      {
        host: "127.0.0.1",
        port: Number(PORT),
        method,
        path,
        agent,
        // The portal rejects state-changing requests without its own Origin.
        headers: { ...headers, Origin: BASE_URL, "Content-Length": String(length) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
        response.on("error", reject);
      },
    );
    request.setTimeout(REQUEST_TIMEOUT_MS, () => request.destroy(new Error(`${method} ${path} timed out after ${REQUEST_TIMEOUT_MS / 1000} s`)));
    request.on("error", reject);

    if (body === null) request.end();
    else if ("bytes" in body) request.end(body.bytes);
    else {
      // createReadStream's `end` is inclusive.
      const file = createReadStream(body.filePath, { start: body.start, end: body.end - 1, highWaterMark: 1024 * 1024 });
      file.on("error", (error) => request.destroy(error));
      file.pipe(request);
    }
  });
}

/** Parses a JSON response of the upload routes and throws with its German message when it is not `ok`. */
function parseUploadResponse<T>(requestName: string, result: HttpResult): T {
  let json: { ok?: boolean; message?: string } & T;
  try {
    json = JSON.parse(result.body) as typeof json;
  } catch {
    throw new Error(`${requestName} returned status ${result.status} without JSON: ${result.body.slice(0, 200)}`);
  }
  if (result.status >= 400 || json.ok !== true) {
    throw new Error(`${requestName} failed with status ${result.status}: ${json.message ?? result.body.slice(0, 200)}`);
  }
  return json;
}

async function findOrderId(cookie: string): Promise<string> {
  const html = await (await fetch(`${BASE_URL}/`, { headers: { Cookie: cookie } })).text();
  const match = /\/auftraege\/([0-9a-f-]{36})/.exec(html);
  if (!match?.[1]) throw new Error(`no order of ${CUSTOMER_EMAIL} found in the overview`);
  return match[1];
}

/** Sends the PDF as one `PUT /auftraege/<id>/dateien` and returns the stored file's id. */
async function uploadSingle(cookie: string, orderId: string, pdf: Uint8Array): Promise<string> {
  const result = await sendRequest(
    "PUT",
    `/auftraege/${orderId}/dateien`,
    {
      Cookie: cookie,
      "Content-Type": "application/pdf",
      "X-Upload-Id": crypto.randomUUID(),
      "X-File-Name": encodeURIComponent("benchmark-90mb.pdf"),
    },
    { bytes: pdf },
  );
  return parseUploadResponse<{ fileId: string }>("PUT /dateien", result).fileId;
}

/**
 * Uploads the file with the multipart protocol as the order page does: parts
 * of `choosePartSize` bytes, PARALLEL_PARTS requests at a time, then the
 * completion with the SHA-256. Returns the stored file's id.
 */
async function uploadMultipart(cookie: string, orderId: string, file: TestFile, fileName: string): Promise<string> {
  const base = `/auftraege/${orderId}/uploads`;
  const jsonHeaders = { Cookie: cookie, "Content-Type": "application/json", Accept: "application/json" };
  const partSize = choosePartSize(file.size);
  const createBody = new TextEncoder().encode(JSON.stringify({ fileName, size: file.size, partSize }));
  const created = parseUploadResponse<{ uploadId: string; partCount: number }>(
    "creating the upload",
    await sendRequest("POST", base, jsonHeaders, { bytes: createBody }),
  );

  const pending = splitIntoParts(file.size, partSize);
  const sendParts = async () => {
    for (let part = pending.shift(); part; part = pending.shift()) {
      const result = await sendRequest(
        "PUT",
        `${base}/${created.uploadId}/parts/${part.partNumber}`,
        { Cookie: cookie, "Content-Type": "application/octet-stream", Accept: "application/json" },
        { filePath: file.path, start: part.start, end: part.end },
      );
      parseUploadResponse(`part ${part.partNumber} of ${created.partCount}`, result);
    }
  };
  await Promise.all(Array.from({ length: PARALLEL_PARTS }, sendParts));

  const completeBody = new TextEncoder().encode(JSON.stringify({ sha256: file.sha256 }));
  const completed = parseUploadResponse<{ fileId: string }>(
    "completing the upload",
    await sendRequest("POST", `${base}/${created.uploadId}/complete`, jsonHeaders, { bytes: completeBody }),
  );
  return completed.fileId;
}

/** Polls the report route until the file's preflight run has a verdict (404 while it is queued or running). */
async function waitForVerdict(cookie: string, fileId: string): Promise<string> {
  const deadline = Date.now() + VERDICT_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const response = await fetch(`${BASE_URL}/dateien/${fileId}/bericht.json`, { headers: { Cookie: cookie } });
    const text = await response.text();
    if (response.status === 200) return (JSON.parse(text) as { verdict: string }).verdict;
    if (response.status !== 404) throw new Error(`GET /dateien/${fileId}/bericht.json returned status ${response.status}: ${text.slice(0, 200)}`);
    await sleep(250);
  }
  throw new Error(`no preflight verdict for file ${fileId} within ${VERDICT_TIMEOUT_MS / 1000} s`);
}

// Measurement

interface RunResult {
  label: string;
  fileId: string;
  size: number;
  seconds: number;
  /** RSS of the last sample before the upload started. */
  startRssBytes: number;
  peakRssBytes: number;
  /** The Worker isolate's used heap: before the upload, its peak during it, and after a garbage collection at its end. */
  startHeapBytes: number;
  peakHeapBytes: number;
  liveHeapBytes: number;
  samples: number;
}

async function measure(
  label: string,
  size: number,
  sampler: MemorySampler,
  heap: HeapSampler,
  upload: () => Promise<string>,
): Promise<RunResult> {
  console.log(`> ${label}, ${formatMb(size)}`);
  sampler.sample();
  heap.sample();
  await heap.settle();
  const startRssBytes = sampler.samples.at(-1)?.rssBytes ?? 0;
  const startHeapBytes = heap.samples.at(-1)?.usedBytes ?? 0;
  const started = performance.now();
  const fileId = await upload();
  const finished = performance.now();

  // One more sample, so that a short run has at least one sample from its end.
  sampler.sample();
  heap.sample();
  await heap.settle();
  const samples = sampler.between(started, performance.now());
  return {
    label,
    fileId,
    size,
    seconds: (finished - started) / 1000,
    startRssBytes,
    peakRssBytes: peakOf(samples),
    startHeapBytes,
    peakHeapBytes: heap.peakBetween(started, performance.now()),
    liveHeapBytes: await heap.liveBytes(),
    samples: samples.length,
  };
}

const formatMb = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;
const throughputOf = (run: RunResult) => run.size / MB / run.seconds;

function printTable(baselineBytes: number, runs: RunResult[]) {
  const header = ["Upload", "Size", "Time", "Throughput", "Heap at start", "Heap peak", "Heap after GC", "RSS at start", "RSS peak", "RSS peak - baseline", "Samples"];
  const rows = runs.map((run) => [
    run.label,
    formatMb(run.size),
    `${run.seconds.toFixed(2)} s`,
    `${throughputOf(run).toFixed(1)} MB/s`,
    formatMb(run.startHeapBytes),
    formatMb(run.peakHeapBytes),
    formatMb(run.liveHeapBytes),
    formatMb(run.startRssBytes),
    formatMb(run.peakRssBytes),
    formatMb(run.peakRssBytes - baselineBytes),
    String(run.samples),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join("  ");

  console.log(
    `\nHeap: used heap of the Worker's isolate. RSS: workerd's resident memory, with miniflare's R2 and D1 (sum of VmRSS). ` +
      `Both sampled every ${MEMORY_SAMPLE_INTERVAL_MS} ms. RSS baseline, idle median of ${BASELINE_MS / 1000} s: ${formatMb(baselineBytes)}`,
  );
  console.log(line(header));
  console.log(widths.map((width) => "-".repeat(width)).join("  "));
  for (const row of rows) console.log(line(row));
}

async function main(): Promise<number> {
  const folder = await mkdtemp(join(tmpdir(), "bench-upload-"));
  const cleanUp = async () => {
    await stopPortal();
    await rm(folder, { recursive: true, force: true });
    // The state contains about 1.5 GB of uploaded objects and is of no use after the run.
    await rm(join(PROJECT_ROOT, STATE_DIR), { recursive: true, force: true });
  };
  const timeout = setTimeout(() => {
    console.error(`The benchmark did not finish within ${TOTAL_TIMEOUT_MS / 60_000} minutes.`);
    void cleanUp().finally(() => process.exit(1));
  }, TOTAL_TIMEOUT_MS);
  const onSignal = (signal: NodeJS.Signals) => {
    void cleanUp().finally(() => process.exit(128 + constants.signals[signal]));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);

  let sampler: MemorySampler | null = null;
  let heap: HeapSampler | null = null;
  try {
    console.log(`Writing the test files to ${folder}`);
    const pdf = await buildPaddedPdf(SINGLE_BYTES);
    const zipHead = new Uint8Array([0x50, 0x4b, 0x03, 0x04]);
    const small = await writeTestFile(join(folder, "benchmark-200mb.zip"), MULTIPART_SMALL_BYTES, zipHead);
    const large = await writeTestFile(join(folder, "benchmark-1gb.zip"), MULTIPART_LARGE_BYTES, zipHead);

    portal = await startPortal({
      projectRoot: PROJECT_ROOT,
      port: PORT,
      stateDir: STATE_DIR,
      logFile: LOG_FILE,
      inspectorPort: INSPECTOR_PORT,
      timeoutMs: START_TIMEOUT_MS,
    });
    const child = portal;
    const cookie = await logInToPortal(BASE_URL, CUSTOMER_EMAIL);
    const orderId = await findOrderId(cookie);
    sampler = new MemorySampler(child.pid);
    sampler.start();
    heap = await HeapSampler.connect();
    heap.start();
    const baselineStart = performance.now();
    await sleep(BASELINE_MS);
    const baselineSamples = sampler.between(baselineStart, performance.now());
    const baselineBytes = medianOf(baselineSamples);
    const processCount = baselineSamples.at(-1)?.processCount ?? 0;
    if (processCount === 0) throw new Error(`no workerd process found below the portal's pid ${child.pid}`);
    const partMebibytes = choosePartSize(large.size) / 1024 / 1024;
    console.log(`Order ${orderId}, ${processCount} workerd process(es), part size ${partMebibytes} MiB, ${PARALLEL_PARTS} parts at a time`);

    const singleRuns: RunResult[] = [];
    for (let round = 1; round <= SINGLE_ROUNDS; round++) {
      const single = await measure(`single PUT, PDF #${round}`, SINGLE_BYTES, sampler, heap, () => uploadSingle(cookie, orderId, pdf));
      const verdict = await waitForVerdict(cookie, single.fileId);
      console.log(`  preflight verdict: ${verdict}`);
      singleRuns.push(single);
    }
    const singleMedian = singleRuns.toSorted((a, b) => throughputOf(a) - throughputOf(b))[Math.floor(SINGLE_ROUNDS / 2)];
    const multipartSmall = await measure("multipart, ZIP", small.size, sampler, heap, () =>
      uploadMultipart(cookie, orderId, small, "benchmark-200mb.zip"),
    );
    const multipartLarge = await measure("multipart, ZIP", large.size, sampler, heap, () =>
      uploadMultipart(cookie, orderId, large, "benchmark-1gb.zip"),
    );
    sampler.stop();
    heap.stop();

    printTable(baselineBytes, [...singleRuns, multipartSmall, multipartLarge]);

    const ratio = throughputOf(multipartLarge) / throughputOf(singleMedian);
    console.log(
      `\nThroughput multipart 1 GB / single 90 MB (median of ${SINGLE_ROUNDS}, ${throughputOf(singleMedian).toFixed(1)} MB/s): ${(ratio * 100).toFixed(0)} % (target >= ${TARGET_RATIO * 100} %): ` +
        (ratio >= TARGET_RATIO ? "target met" : "target missed"),
    );
    const growth = multipartLarge.liveHeapBytes - multipartSmall.liveHeapBytes;
    console.log(
      `Worker heap after GC, 1 GB minus 200 MB upload: ${formatMb(growth)} (target <= ${formatMb(HEAP_GROWTH_TOLERANCE_BYTES)}): ` +
        (growth <= HEAP_GROWTH_TOLERANCE_BYTES ? "target met" : "target missed"),
    );
    console.log(`Worker heap peak (garbage included), 1 GB minus 200 MB: ${formatMb(multipartLarge.peakHeapBytes - multipartSmall.peakHeapBytes)}`);
    console.log(`workerd RSS peak 1 GB minus 200 MB, for comparison: ${formatMb(multipartLarge.peakRssBytes - multipartSmall.peakRssBytes)}`);
    return 0;
  } finally {
    sampler?.stop();
    heap?.stop();
    clearTimeout(timeout);
    agent.destroy();
    await cleanUp();
  }
}

process.exitCode = await main();
