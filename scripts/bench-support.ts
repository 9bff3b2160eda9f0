import { spawn, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { mkdir, open, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

import WebSocket from "ws";

import { DEMO_PASSWORD } from "./demo-data";

// Helpers shared by the benchmarks and the browser test that restarts the
// portal: signing in over HTTP, writing large random test files, starting
// the portal, reading workerd's CPU time and talking to its inspector.

/** Chunk size for writing test files. */
const WRITE_CHUNK_BYTES = 8 * 1024 * 1024;

/** Signs in a demo user through the login form and returns the session cookie as `name=value`. */
export async function logInToPortal(baseUrl: string, email: string): Promise<string> {
  const response = await fetch(`${baseUrl}/anmelden`, {
    method: "POST",
    headers: { Origin: baseUrl },
    body: new URLSearchParams({ email, password: DEMO_PASSWORD }),
    redirect: "manual",
  });
  const cookie = response.headers
    .getSetCookie()
    .map((header) => header.split(";")[0])
    .find((pair) => pair.startsWith("portal_session=") && pair !== "portal_session=");
  if (!cookie) throw new Error(`login as ${email} failed (status ${response.status})`);
  return cookie;
}

/**
 * Writes `size` bytes to `path`: the head, then random bytes, in chunks, so
 * that the file is never held in memory whole. Returns the file's SHA-256 in hex.
 */
export async function writeRandomFile(path: string, size: number, head: Uint8Array): Promise<string> {
  const hash = createHash("sha256");
  const handle = await open(path, "w");
  try {
    await handle.write(head);
    hash.update(head);
    for (let written = head.byteLength; written < size; ) {
      const chunk = randomBytes(Math.min(WRITE_CHUNK_BYTES, size - written));
      await handle.write(chunk);
      hash.update(chunk);
      written += chunk.byteLength;
    }
  } finally {
    await handle.close();
  }
  return hash.digest("hex");
}

// Portal process, workerd's CPU time and the Worker's inspector

/** A portal started by `startPortal`. */
export interface RunningPortal {
  /** Process id of `scripts/start.ts`, which is also the id of its process group. */
  pid: number;
  baseUrl: string;
  /** Stops the whole process group: SIGTERM, then SIGKILL after 10 seconds or for what is left. */
  stop(): Promise<void>;
}

export interface PortalOptions {
  /** Folder that contains scripts/start.ts, the working directory of the portal. */
  projectRoot: string;
  port: string;
  /** State folder relative to projectRoot. It is deleted first, so the portal starts with the demo data only. */
  stateDir: string;
  /** Output file of the portal, relative to projectRoot. */
  logFile: string;
  /** Port of workerd's inspector (PORTAL_INSPECTOR_PORT in vite.config.ts). Without it the inspector is off. */
  inspectorPort?: string;
  /** Maximum time to migrate, seed, build and serve, in milliseconds. */
  timeoutMs: number;
}

/**
 * Starts `scripts/start.ts` (migrate, seed, build `build/`, serve) in its own
 * process group, so that stopping it also ends vite and workerd below it, and
 * waits until /anmelden responds with 200.
 */
export async function startPortal(options: PortalOptions): Promise<RunningPortal> {
  const baseUrl = `http://127.0.0.1:${options.port}`;
  const logPath = join(options.projectRoot, options.logFile);
  await rm(join(options.projectRoot, options.stateDir), { recursive: true, force: true });
  await mkdir(dirname(logPath), { recursive: true });
  const log = await open(logPath, "w");
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: options.port, PORTAL_STATE_DIR: options.stateDir };
  if (options.inspectorPort) env.PORTAL_INSPECTOR_PORT = options.inspectorPort;
  const child = spawn(join(options.projectRoot, "node_modules/.bin/tsx"), ["scripts/start.ts"], {
    cwd: options.projectRoot,
    env,
    stdio: ["ignore", log.fd, log.fd],
    detached: true,
  });
  await log.close();
  if (child.pid === undefined) throw new Error(`starting scripts/start.ts failed; see ${options.logFile}`);
  const portal: RunningPortal = { pid: child.pid, baseUrl, stop: () => stopProcessGroup(child) };
  console.log(`Starting the portal on ${baseUrl} (pid ${child.pid}, state ${options.stateDir}, log ${options.logFile})`);

  const deadline = Date.now() + options.timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the portal exited before it responded (exit code ${child.exitCode ?? child.signalCode}); see ${options.logFile}`);
    }
    try {
      if ((await fetch(`${baseUrl}/anmelden`)).ok) return portal;
    } catch {
      // Not listening yet.
    }
    await sleep(500);
  }
  await portal.stop();
  throw new Error(`the portal did not respond at ${baseUrl}/anmelden within ${options.timeoutMs / 1000} s; see ${options.logFile}`);
}

async function stopProcessGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined) return;
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    console.log(`Stopping the portal (process group ${child.pid})`);
    signalGroup(child.pid, "SIGTERM");
    const stopped = await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)]);
    if (!stopped) console.error(`The portal (pid ${child.pid}) did not stop within 10 s after SIGTERM, so it gets SIGKILL.`);
  }
  // vite and workerd may outlive start.ts for a moment, so end whatever is left of the group.
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

/** Returns the pids of the processes named `name` below `rootPid`, read from /proc (Linux only). */
export function findDescendantPids(rootPid: number, name: string): number[] {
  const childrenByParent = new Map<number, { pid: number; name: string }[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // The process ended while the list was read.
    }
    // The name is in parentheses and may contain spaces. The parent pid is the second field after it.
    const nameEnd = stat.lastIndexOf(")");
    const parentPid = Number(stat.slice(nameEnd + 2).split(" ")[1]);
    const siblings = childrenByParent.get(parentPid) ?? [];
    siblings.push({ pid: Number(entry), name: stat.slice(stat.indexOf("(") + 1, nameEnd) });
    childrenByParent.set(parentPid, siblings);
  }

  const found: number[] = [];
  const pending = [rootPid];
  for (let pid = pending.pop(); pid !== undefined; pid = pending.pop()) {
    for (const child of childrenByParent.get(pid) ?? []) {
      if (child.name === name) found.push(child.pid);
      pending.push(child.pid);
    }
  }
  return found;
}

/**
 * Returns the CPU time the processes have used so far, in nanoseconds: the
 * sum over all their threads of the first field of /proc/<pid>/task/<tid>/schedstat.
 * Threads that ended before the call are not counted.
 */
export function readCpuNanoseconds(pids: number[]): number {
  let total = 0;
  for (const pid of pids) {
    let threads: string[];
    try {
      threads = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue; // The process has ended.
    }
    for (const thread of threads) {
      try {
        total += Number(readFileSync(`/proc/${pid}/task/${thread}/schedstat`, "utf8").split(" ")[0]);
      } catch {
        // The thread ended while it was read.
      }
    }
  }
  return total;
}

/**
 * A Chrome DevTools protocol session with one Worker through workerd's
 * inspector. The inspector accepts only a `localhost` Host header, so it is
 * set explicitly.
 */
export class InspectorSession {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (result: unknown) => void; reject: (error: Error) => void; method: string }>();

  private constructor(private readonly socket: WebSocket) {
    socket.on("message", (data) => {
      const reply = JSON.parse(String(data)) as { id?: number; result?: unknown; error?: { message: string } };
      const waiting = reply.id === undefined ? undefined : this.pending.get(reply.id);
      if (!waiting) return; // An event, such as Runtime.consoleAPICalled.
      this.pending.delete(reply.id!);
      if (reply.error) waiting.reject(new Error(`inspector command ${waiting.method} failed: ${reply.error.message}`));
      else waiting.resolve(reply.result);
    });
    socket.on("close", () => {
      for (const waiting of this.pending.values()) waiting.reject(new Error(`the inspector closed the connection during ${waiting.method}`));
      this.pending.clear();
    });
  }

  /** Connects to the Worker `workerName` (the `name` in wrangler.toml) at the inspector on 127.0.0.1:`port`. */
  static async connect(port: string, workerName: string): Promise<InspectorSession> {
    const url = `ws://127.0.0.1:${port}/${workerName}`;
    const socket = new WebSocket(url, { headers: { Host: `localhost:${port}` } });
    await new Promise<void>((resolve, reject) => {
      socket.once("open", () => resolve());
      socket.once("error", (error) => reject(new Error(`the Worker's inspector at ${url} is not reachable: ${error.message}`)));
    });
    return new InspectorSession(socket);
  }

  /** Sends one command and returns its result. Rejects with the inspector's error message, or when no reply comes within `timeoutMs`. */
  call<T>(method: string, params: object = {}, timeoutMs = 30_000): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`inspector command ${method} timed out after ${timeoutMs / 1000} s without a reply`));
      }, timeoutMs);
      this.pending.set(id, {
        method,
        resolve: (result) => {
          clearTimeout(timer);
          resolve(result as T);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }

  close(): void {
    this.socket.close();
  }
}
