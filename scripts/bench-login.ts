import { writeFile } from "node:fs/promises";
import { availableParallelism, constants, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import initializeArgon2 from "@phi-ag/argon2/node";

import { PASSWORD_HASH_OPTIONS } from "../app/auth/password-options";
import { RATE_LIMITS } from "../app/auth/rate-limit.server";

import { findDescendantPids, InspectorSession, readCpuNanoseconds, startPortal, type RunningPortal } from "./bench-support";
import { DEMO_LOGINS, DEMO_PASSWORD } from "./demo-data";

// `npm run bench:login`: measures the CPU cost of one login in workerd, above
// all the argon2id verification of the password (m=19456 KiB, t=2, p=1,
// app/auth/password-options.ts). Inside workerd, Date.now() and
// performance.now() do not advance while a request computes, so the Worker
// cannot time itself. The script therefore starts the portal
// (scripts/start.ts, which rebuilds build/) on its own port with a fresh
// state folder and workerd's inspector. It records a V8 CPU profile of the
// Worker's isolate (inspector domain `Profiler`) while it sends these
// requests one after the other, all to 127.0.0.1:
//
//   1. GET /anmelden, the page without a login, as the baseline;
//   2. POST /anmelden with a demo address and the demo password (302 and a session);
//   3. POST /anmelden with a demo address and a wrong password (400).
//
// Failed logins count against the rate limits: 5 per address and 20 per
// client within 15 minutes (RATE_LIMITS). Locally every request comes from
// the same client, so the script sends at most `loginClient.limit - 1`
// failures, spread over the demo addresses, each of which stays below
// `loginEmail.limit`. The state folder is new on each run, so no earlier
// failure counts.
//
// For each kind it prints the wall time per request seen by the script
// (median, p95), the Worker's CPU time per request from the profile, the
// part of it in the argon2 verification, and the CPU time of all workerd
// threads per request from /proc, which also contains miniflare's local D1,
// R2 and Durable Object storage. At the end it times the same verification
// in Node with the same WebAssembly module (@phi-ag/argon2/argon2.wasm).
// The profiles are written to .wrangler/bench-login-<kind>.cpuprofile and
// open in Chrome DevTools ("Performance", "Load profile").
//
// Usage: npm run bench:login (BENCH_PORT sets the port, default 8797;
// BENCH_INSPECTOR_PORT the inspector's port, default 9397)

const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const PORT = process.env.BENCH_PORT ?? "8797";
const INSPECTOR_PORT = process.env.BENCH_INSPECTOR_PORT ?? "9397";
const STATE_DIR = ".wrangler/bench-login-state";
const LOG_FILE = ".wrangler/bench-login-server.log";
/** The Worker's name in wrangler.toml, which is the inspector's path. */
const WORKER_NAME = "print-portal";

/** Measured requests of each kind. Failed logins are fewer, see `failedLoginCount`. */
const ROUNDS = 24;
/** Requests of each kind before the measurement, so that the WebAssembly instance exists and V8 has compiled the code. */
const WARM_UP_ROUNDS = 2;
/** Requested interval of the V8 sampler in microseconds. workerd's sampler reaches about 170 µs, see `summarizeProfile`. */
const SAMPLING_INTERVAL_US = 100;
const WRONG_PASSWORD = "Falsches-Passwort-2024";

/** Maximum time for `scripts/start.ts` to migrate, seed, build and serve, in milliseconds. */
const START_TIMEOUT_MS = 300_000;
/** Upper bound of the whole benchmark. After it the portal is stopped and the run fails. */
const TOTAL_TIMEOUT_MS = 15 * 60_000;

// Requests

type RequestKind = "page" | "login" | "failedLogin";

const REQUEST_LABELS: Record<RequestKind, string> = {
  page: "GET /anmelden (baseline)",
  login: "login, right password",
  failedLogin: "login, wrong password",
};

/** Sends one request of the kind and checks its status, so that a rate-limited or broken login is not measured as one. */
async function sendRequest(baseUrl: string, kind: RequestKind, email: string): Promise<void> {
  if (kind === "page") {
    const response = await fetch(`${baseUrl}/anmelden`);
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`GET /anmelden returned status ${response.status}`);
    return;
  }

  const password = kind === "login" ? DEMO_PASSWORD : WRONG_PASSWORD;
  const response = await fetch(`${baseUrl}/anmelden`, {
    method: "POST",
    headers: { Origin: baseUrl },
    body: new URLSearchParams({ email, password }),
    redirect: "manual",
  });
  await response.arrayBuffer();
  const expected = kind === "login" ? 302 : 400;
  if (response.status !== expected) {
    throw new Error(`POST /anmelden as ${email} (${kind}) returned status ${response.status}, expected ${expected}`);
  }
}

/**
 * Returns how many failed logins fit below the rate limits: fewer than the
 * client's limit in total, and fewer than the address limit per demo address.
 */
function failedLoginCount(): number {
  const count = Math.min(ROUNDS, RATE_LIMITS.loginClient.limit - 1);
  const perAddress = Math.ceil(count / DEMO_LOGINS.length);
  if (perAddress >= RATE_LIMITS.loginEmail.limit) {
    throw new Error(`${count} failed logins over ${DEMO_LOGINS.length} addresses would reach the limit of ${RATE_LIMITS.loginEmail.limit} per address`);
  }
  return count;
}

// Profile

interface CallFrame {
  functionName: string;
  url: string;
}

/** A V8 CPU profile as `Profiler.stop` returns it (the .cpuprofile format). */
interface CpuProfile {
  nodes: { id: number; callFrame: CallFrame; children?: number[] }[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

type SampleKind = "idle" | "argon2" | "other";

/**
 * Classifies each profile node by its stack. The Worker's profile contains one
 * WebAssembly module, argon2 (frames with URL `wasm://wasm/<hash>` and names
 * `wasm-function[<index>]`, because the module has no name section), entered
 * through `js-to-wasm` from the package's JavaScript method `tryVerify`. The
 * server build keeps function names. So a sample is "argon2" when its stack
 * contains a `wasm://` frame or a `tryVerify` frame (which also covers the
 * package's JavaScript that copies the password into WebAssembly memory).
 * "(idle)" is the isolate waiting for I/O. Everything else, "(program)" and
 * "(garbage collector)" included, is "other".
 */
function classifyNodes(profile: CpuProfile): Map<number, { kind: SampleKind; wasmLeaf: boolean }> {
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const nodeById = new Map(profile.nodes.map((node) => [node.id, node]));

  const classes = new Map<number, { kind: SampleKind; wasmLeaf: boolean }>();
  for (const node of profile.nodes) {
    if (node.callFrame.functionName === "(idle)") {
      classes.set(node.id, { kind: "idle", wasmLeaf: false });
      continue;
    }
    let inArgon2 = false;
    for (let id: number | undefined = node.id; id !== undefined && !inArgon2; id = parentOf.get(id)) {
      const frame = nodeById.get(id)!.callFrame;
      inArgon2 = frame.url.startsWith("wasm://") || frame.functionName === "tryVerify";
    }
    classes.set(node.id, { kind: inArgon2 ? "argon2" : "other", wasmLeaf: node.callFrame.url.startsWith("wasm://") });
  }
  return classes;
}

interface ProfileSummary {
  sampleCount: number;
  /** Samples of the isolate while it ran code, "(program)" and "(garbage collector)" included. */
  busySamples: number;
  /** Samples within the argon2 verification. */
  argon2Samples: number;
  /** Part of argon2Samples with a WebAssembly function on top of the stack. */
  wasmSamples: number;
  /** Median time between two samples in microseconds. */
  medianIntervalUs: number;
}

/**
 * Counts the profile's samples by kind. CPU time is estimated as the number
 * of samples times the median interval, not as the sum of the intervals
 * (Chrome DevTools' view). On Linux, V8's sampler signals the isolate's
 * thread (SIGPROF) and records the sample on that thread, so a sample is
 * only taken while the thread runs. The intervals are wall time and include
 * time the operating system gave the CPU to other processes. On a busy
 * machine they contain gaps of several milliseconds, and their sum then
 * overstates the CPU time by a factor of two or more. The estimate assumes
 * that the sampler keeps its median interval while the thread runs. On a
 * 2-core machine with a load average of 5 to 12, the estimate of the argon2
 * part was 1 to 25 % above `process.cpuUsage()` of the same verification in
 * Node, in four runs.
 */
function summarizeProfile(profile: CpuProfile): ProfileSummary {
  const classes = classifyNodes(profile);
  const summary: ProfileSummary = { sampleCount: profile.samples.length, busySamples: 0, argon2Samples: 0, wasmSamples: 0, medianIntervalUs: 0 };
  for (const nodeId of profile.samples) {
    const sample = classes.get(nodeId)!;
    if (sample.kind === "idle") continue;
    summary.busySamples++;
    if (sample.kind === "argon2") summary.argon2Samples++;
    if (sample.wasmLeaf) summary.wasmSamples++;
  }

  // timeDeltas[0] is the time from the profile's start to the first sample.
  summary.medianIntervalUs = median(profile.timeDeltas.slice(1));
  return summary;
}

// Measurement

interface Measurement {
  kind: RequestKind;
  wallMs: number[];
  /** CPU time of all workerd threads during each request, in milliseconds. */
  workerdCpuMs: number[];
  profile: ProfileSummary;
}

/**
 * Sends `count` requests of the kind one after the other while the Worker's
 * isolate is profiled, and writes the profile to .wrangler/bench-login-<kind>.cpuprofile.
 */
async function measure(portal: RunningPortal, inspector: InspectorSession, kind: RequestKind, count: number): Promise<Measurement> {
  console.log(`> ${REQUEST_LABELS[kind]}: ${count} requests`);
  const workerdPids = findDescendantPids(portal.pid, "workerd");
  if (workerdPids.length === 0) throw new Error(`no workerd process found below the portal's pid ${portal.pid}`);

  await inspector.call("Profiler.setSamplingInterval", { interval: SAMPLING_INTERVAL_US });
  await inspector.call("Profiler.start");
  const wallMs: number[] = [];
  const workerdCpuMs: number[] = [];
  for (let round = 0; round < count; round++) {
    const email = DEMO_LOGINS[round % DEMO_LOGINS.length].email;
    const cpuBefore = readCpuNanoseconds(workerdPids);
    const started = performance.now();
    await sendRequest(portal.baseUrl, kind, email);
    wallMs.push(performance.now() - started);
    workerdCpuMs.push((readCpuNanoseconds(workerdPids) - cpuBefore) / 1e6);
  }
  const { profile } = await inspector.call<{ profile: CpuProfile }>("Profiler.stop", {}, 120_000);

  const profilePath = join(PROJECT_ROOT, `.wrangler/bench-login-${kind}.cpuprofile`);
  await writeFile(profilePath, JSON.stringify(profile));
  return { kind, wallMs, workerdCpuMs, profile: summarizeProfile(profile) };
}

interface NodeTiming {
  wallMs: number[];
  cpuMs: number[];
}

/** Times `verify` of the demo password against its argon2id hash in this Node process, with the WebAssembly module the Worker uses. */
async function timeNodeVerification(count: number): Promise<NodeTiming> {
  const argon2 = await initializeArgon2();
  const { encoded } = argon2.hash(DEMO_PASSWORD, PASSWORD_HASH_OPTIONS);
  const timing: NodeTiming = { wallMs: [], cpuMs: [] };
  for (let round = -WARM_UP_ROUNDS; round < count; round++) {
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const result = argon2.tryVerify(encoded, DEMO_PASSWORD, PASSWORD_HASH_OPTIONS.type);
    const wallMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    if (!result.success) throw new Error("argon2 verification of the demo password failed in Node");
    if (round < 0) continue;
    timing.wallMs.push(wallMs);
    timing.cpuMs.push((cpu.user + cpu.system) / 1000);
  }
  return timing;
}

// Output

function median(values: number[]): number {
  return percentile(values, 0.5);
}

/** Nearest-rank percentile. */
function percentile(values: number[], fraction: number): number {
  if (values.length === 0) return 0;
  const sorted = values.toSorted((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(fraction * sorted.length) - 1)];
}

const ms = (value: number) => `${value.toFixed(1)} ms`;

function printTable(header: string[], rows: string[][]) {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join("  ");
  console.log(line(header));
  console.log(widths.map((width) => "-".repeat(width)).join("  "));
  for (const row of rows) console.log(line(row));
}

function printResults(measurements: Measurement[], node: NodeTiming) {
  console.log(
    `\nWall: time per request seen by this script. Worker CPU: the Worker isolate's non-idle samples times the median ` +
      `sampling interval, per request (requested interval ${SAMPLING_INTERVAL_US} µs). argon2: the part inside tryVerify and its ` +
      `WebAssembly. workerd CPU: all workerd threads from /proc, with miniflare's local D1, R2 and Durable Object storage.`,
  );
  printTable(
    ["Request", "n", "Wall median", "Wall p95", "Worker CPU", "argon2", "of it WASM", "workerd CPU median", "workerd CPU p95", "Samples", "Interval"],
    measurements.map(({ kind, wallMs, workerdCpuMs, profile }) => {
      const perRequestMs = (samples: number) => ms((samples * profile.medianIntervalUs) / 1000 / wallMs.length);
      return [
        REQUEST_LABELS[kind],
        String(wallMs.length),
        ms(median(wallMs)),
        ms(percentile(wallMs, 0.95)),
        perRequestMs(profile.busySamples),
        perRequestMs(profile.argon2Samples),
        perRequestMs(profile.wasmSamples),
        ms(median(workerdCpuMs)),
        ms(percentile(workerdCpuMs, 0.95)),
        String(profile.sampleCount),
        `${profile.medianIntervalUs.toFixed(0)} µs`,
      ];
    }),
  );

  console.log(`\nThe same argon2id verification in Node ${process.version} (this process, same WebAssembly module):`);
  printTable(
    ["Verification", "n", "Wall median", "Wall p95", "CPU median", "CPU p95"],
    [
      [
        "tryVerify, right password",
        String(node.wallMs.length),
        ms(median(node.wallMs)),
        ms(percentile(node.wallMs, 0.95)),
        ms(median(node.cpuMs)),
        ms(percentile(node.cpuMs, 0.95)),
      ],
    ],
  );
  const loadAverage = loadavg()[0];
  console.log(`\nLoad average (1 min) at the end: ${loadAverage.toFixed(1)} on ${availableParallelism()} CPUs. Wall times grow with it; CPU times should not.`);
}

async function main(): Promise<number> {
  let portal: RunningPortal | null = null;
  let inspector: InspectorSession | null = null;
  const cleanUp = async () => {
    inspector?.close();
    inspector = null;
    await portal?.stop();
    portal = null;
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

  try {
    const failedCount = failedLoginCount();
    portal = await startPortal({
      projectRoot: PROJECT_ROOT,
      port: PORT,
      stateDir: STATE_DIR,
      logFile: LOG_FILE,
      inspectorPort: INSPECTOR_PORT,
      timeoutMs: START_TIMEOUT_MS,
    });
    inspector = await InspectorSession.connect(INSPECTOR_PORT, WORKER_NAME);
    await inspector.call("Profiler.enable");

    // Successful warm-up logins reset the failure count of their address and count nothing against the client.
    for (let round = 0; round < WARM_UP_ROUNDS; round++) {
      await sendRequest(portal.baseUrl, "page", DEMO_LOGINS[0].email);
      await sendRequest(portal.baseUrl, "login", DEMO_LOGINS[round % DEMO_LOGINS.length].email);
    }
    console.log(`Failed logins: ${failedCount} over ${DEMO_LOGINS.length} demo addresses (limits: ${RATE_LIMITS.loginClient.limit} per client, ${RATE_LIMITS.loginEmail.limit} per address)`);

    const measurements = [
      await measure(portal, inspector, "page", ROUNDS),
      await measure(portal, inspector, "login", ROUNDS),
      await measure(portal, inspector, "failedLogin", failedCount),
    ];
    await cleanUp();

    // After the portal has stopped, so that workerd does not compete for the CPU.
    const node = await timeNodeVerification(ROUNDS);
    printResults(measurements, node);
    console.log(`\nProfiles: .wrangler/bench-login-{page,login,failedLogin}.cpuprofile`);
    return 0;
  } finally {
    clearTimeout(timeout);
    await cleanUp();
  }
}

process.exitCode = await main();
