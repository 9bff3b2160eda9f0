import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { appendFileSync } from "node:fs";
import { mkdir, mkdtemp, open, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

import { expect, test, type Page, type Response } from "@playwright/test";

import { choosePartSize } from "../../app/uploads/client/multipart-uploader";
import { writeRandomFile } from "../../scripts/bench-support";

import { logIn, openOrderFromOverview } from "./helpers";

// Kills a portal of its own in the middle of a 300 MB multipart upload,
// starts it again on the same state folder, and resumes the upload from the
// order page. The portal that playwright.config.ts starts on port 8788 keeps
// running, and this one serves the same build/ on PORT with STATE_DIR.

const PORT = 8796;
const BASE_URL = `http://127.0.0.1:${PORT}`;
const STATE_DIR = ".wrangler/e2e-restart-state";
const LOG_FILE = ".wrangler/e2e-restart-server.log";
const OFFER_NUMBER = "42793.04";
const PART_URL = /\/uploads\/[^/]+\/parts\/(\d+)$/;
const FILE_BYTES = 300 * 1000 * 1000;
/** Parts the server must have stored before it is killed. */
const PARTS_BEFORE_KILL = 4;
/** Maximum time of each start step: migrations, seed, and `vite preview` until it responds. */
const START_TIMEOUT_MS = 120_000;
/** The environment of scripts/start.ts for this portal's port and state folder. */
const portalEnv = {
  ...process.env,
  PORT: String(PORT),
  PORTAL_STATE_DIR: STATE_DIR,
  CI: "true",
  WRANGLER_SEND_METRICS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
};

test.use({ baseURL: BASE_URL });

/** Writes `size` bytes to `filePath`, a ZIP local file header and then random bytes, and returns the SHA-256 in hex. */
/** Runs one preparation step of scripts/start.ts, with its output appended to LOG_FILE. */
function runStep(command: string, args: string[], extraEnv: Record<string, string> = {}) {
  const result = spawnSync(command, args, {
    env: { ...portalEnv, ...extraEnv },
    stdio: ["ignore", "pipe", "pipe"],
    timeout: START_TIMEOUT_MS,
  });
  appendFileSync(LOG_FILE, Buffer.concat([result.stdout ?? Buffer.alloc(0), result.stderr ?? Buffer.alloc(0)]));
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(" ")} failed (exit code ${result.status ?? result.signal}); see ${LOG_FILE}`);
  }
}

/**
 * Starts the portal as scripts/start.ts does, but without its build step:
 * migrations, the seed (which skips a database that has data) and `vite
 * preview` of the build that the configured web server made. Rebuilding
 * build/ while the portal on port 8788 serves it makes that portal respond
 * to every asset request with 500, and the later specs fail. `vite preview` runs
 * in a process group of its own, so that killing the group ends workerd too.
 * Waits until /anmelden responds with 200.
 */
async function startPortal(): Promise<ChildProcess> {
  await mkdir(path.dirname(LOG_FILE), { recursive: true });
  runStep("node_modules/.bin/wrangler", ["d1", "migrations", "apply", "DB", "--local", "--persist-to", STATE_DIR]);
  runStep("node_modules/.bin/tsx", ["scripts/seed.ts"], { WRANGLER_LOG: "error" });

  const log = await open(LOG_FILE, "a");
  const child = spawn(
    "node_modules/.bin/vite",
    ["preview", "--host", "127.0.0.1", "--port", String(PORT), "--strictPort", "--bypass-lock"],
    { env: portalEnv, stdio: ["ignore", log.fd, log.fd], detached: true },
  );
  await log.close();

  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the portal on port ${PORT} exited before it responded (exit code ${child.exitCode ?? child.signalCode}); see ${LOG_FILE}`);
    }
    try {
      if ((await fetch(`${BASE_URL}/anmelden`)).ok) return child;
    } catch {
      // Not listening yet.
    }
    await sleep(500);
  }
  throw new Error(`the portal did not respond at ${BASE_URL}/anmelden within ${START_TIMEOUT_MS / 1000} s; see ${LOG_FILE}`);
}

/** Sends SIGTERM to the portal's process group and waits until it has exited. What is left after 10 s gets SIGKILL. */
async function stopPortal(child: ChildProcess): Promise<void> {
  if (child.pid === undefined) return;
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    signalGroup(child.pid, "SIGTERM");
    await Promise.race([exited, sleep(10_000)]);
  }
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

/** Waits until connections to the port fail, so that the page cannot reach a half-stopped portal. */
async function waitUntilUnreachable(): Promise<void> {
  await expect
    .poll(
      async () => {
        try {
          await fetch(`${BASE_URL}/anmelden`, { signal: AbortSignal.timeout(1_000) });
          return "reachable";
        } catch {
          return "unreachable";
        }
      },
      { message: `the portal on port ${PORT} has stopped`, timeout: 15_000 },
    )
    .toBe("unreachable");
}

function uploadItem(page: Page, fileName: string) {
  return page.locator(".upload-list > li").filter({ has: page.locator(".upload-name", { hasText: fileName }) });
}

let portal: ChildProcess | null = null;
let folder: string | null = null;

test.afterEach(async () => {
  if (portal) await stopPortal(portal);
  portal = null;
  if (folder) await rm(folder, { recursive: true, force: true });
  folder = null;
  await rm(STATE_DIR, { recursive: true, force: true });
});

test("upload resumes after a server restart", async ({ page }) => {
  test.setTimeout(240_000);

  await rm(STATE_DIR, { recursive: true, force: true });
  await rm(LOG_FILE, { force: true });
  folder = await mkdtemp(path.join(tmpdir(), "portal-e2e-restart-"));
  const fileName = `neustart-${crypto.randomUUID().slice(0, 8)}.zip`;
  const filePath = path.join(folder, fileName);
  const sha256 = await writeRandomFile(filePath, FILE_BYTES, new Uint8Array([0x50, 0x4b, 0x03, 0x04]));

  portal = await startPortal();
  await logIn(page);
  await openOrderFromOverview(page, OFFER_NUMBER);

  // Part numbers whose PUT the server responded to with 200 before it was killed.
  const storedBeforeKill = new Set<string>();
  const recordStoredPart = (response: Response) => {
    const match = PART_URL.exec(response.url());
    if (match && response.status() === 200) storedBeforeKill.add(match[1]);
  };
  page.on("response", recordStoredPart);
  await page.getByLabel(/Druckdaten hochladen/).setInputFiles(filePath);
  await expect
    .poll(() => storedBeforeKill.size, { message: "parts stored before the kill", timeout: 60_000, intervals: [50] })
    .toBeGreaterThanOrEqual(PARTS_BEFORE_KILL);

  await stopPortal(portal);
  portal = null;
  await waitUntilUnreachable();
  page.off("response", recordStoredPart);
  const partCount = Math.ceil(FILE_BYTES / choosePartSize(FILE_BYTES));
  expect(storedBeforeKill.size, "parts stored before the kill").toBeLessThan(partCount);

  // The uploader retries a lost part a few times, then gives up and keeps the resume state.
  await expect(uploadItem(page, fileName).getByRole("alert")).toHaveText("Das Hochladen ist fehlgeschlagen. Bitte versuchen Sie es erneut.", {
    timeout: 30_000,
  });

  portal = await startPortal();
  await page.reload();
  await expect(page.locator(".upload-resume")).toContainText(fileName);

  const sentAfterRestart: string[] = [];
  page.on("request", (request) => {
    const match = PART_URL.exec(request.url());
    if (match) sentAfterRestart.push(match[1]);
  });
  const completion = page.waitForResponse((response) => /\/uploads\/[^/]+\/complete$/.test(response.url()), { timeout: 180_000 });
  await page.getByLabel(/Druckdaten hochladen/).setInputFiles(filePath);

  await expect(uploadItem(page, fileName).locator(".upload-message")).toHaveText("Upload erfolgreich", { timeout: 180_000 });
  await expect(page.locator(".upload-resume")).toHaveCount(0);
  expect(sentAfterRestart.length, "parts sent after the restart").toBeGreaterThan(0);
  for (const partNumber of storedBeforeKill) {
    expect(sentAfterRestart, `part ${partNumber}, stored before the kill, is not sent again`).not.toContain(partNumber);
  }

  const completed = (await (await completion).json()) as { ok: boolean; fileId?: string };
  expect(completed.ok, "completion response").toBe(true);
  expect(completed.fileId, "file id in the completion response").toBeTruthy();

  const download = await page.request.get(`/dateien/${completed.fileId}`);
  expect(download.status(), "download status").toBe(200);
  const body = await download.body();
  expect(body.byteLength, "downloaded size").toBe(FILE_BYTES);
  expect(createHash("sha256").update(body).digest("hex"), "SHA-256 of the download").toBe(sha256);
});
