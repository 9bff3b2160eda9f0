import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { openFileReader } from "../app/preflight/test-support/file-reader";
import { preflight } from "../app/preflight";

import { buildBenchmarkPdf, IMAGES_PER_PAGE, PAGE_COUNT } from "./bench-pdf";

// Measures the preflight engine on a large file in Node. The script builds a
// 100-page PDF of about 200 MB with 300 uncompressed images of random pixels.
// A child process checks it from a file-backed RangeReader, so the peak memory
// is the engine's and not the generator's. When poppler-utils is installed,
// the script also times `pdffonts` plus `pdfimages -list` on the same file.
// Usage: npm run bench:preflight

/** Interval of the memory sampler in the measuring process, in milliseconds. */
const SAMPLE_INTERVAL_MS = 5;

interface EngineMeasurement {
  wallMs: number;
  verdict: string;
  pageCount: number | null;
  findings: number;
  readCount: number;
  bytesRead: number;
  baselineRss: number;
  peakRss: number;
  baselineHeap: number;
  peakHeap: number;
  peakArrayBuffers: number;
}

/** Runs the engine once on `path` and prints the measurement as JSON; runs in the child process. */
async function measureEngine(path: string): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const baseline = process.memoryUsage();
  let peakRss = baseline.rss;
  let peakHeap = baseline.heapUsed;
  let peakArrayBuffers = baseline.arrayBuffers;
  const sample = () => {
    const usage = process.memoryUsage();
    peakRss = Math.max(peakRss, usage.rss);
    peakHeap = Math.max(peakHeap, usage.heapUsed);
    peakArrayBuffers = Math.max(peakArrayBuffers, usage.arrayBuffers);
  };
  const sampler = setInterval(sample, SAMPLE_INTERVAL_MS);

  const reader = openFileReader(path);
  const start = performance.now();
  const report = await preflight(reader);
  const wallMs = performance.now() - start;
  sample();
  clearInterval(sampler);
  reader.close();

  const measurement: EngineMeasurement = {
    wallMs,
    verdict: report.verdict,
    pageCount: report.pageCount,
    findings: report.findings.length,
    readCount: reader.readCount,
    bytesRead: reader.bytesRead,
    baselineRss: baseline.rss,
    peakRss,
    baselineHeap: baseline.heapUsed,
    peakHeap,
    peakArrayBuffers,
  };
  process.stdout.write(JSON.stringify(measurement));
}

function runEngineInChild(path: string): EngineMeasurement {
  const script = fileURLToPath(import.meta.url);
  const child = spawnSync(process.execPath, [...process.execArgv, "--expose-gc", script, "--measure", path], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  if (child.status !== 0) throw new Error(`measuring process failed with status ${child.status}`);
  return JSON.parse(child.stdout) as EngineMeasurement;
}

function commandExists(command: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" }).status === 0;
}

/** Times `pdffonts` and `pdfimages -list` on the file; null when poppler-utils is missing. */
function timePoppler(path: string): number | null {
  if (!commandExists("pdffonts") || !commandExists("pdfimages")) return null;

  const start = performance.now();
  for (const args of [["pdffonts", path], ["pdfimages", "-list", path]]) {
    const result = spawnSync(args[0], args.slice(1), { stdio: ["ignore", "ignore", "inherit"] });
    if (result.status !== 0) throw new Error(`${args[0]} failed with status ${result.status}`);
  }
  return performance.now() - start;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function printTable(rows: [string, string][]): void {
  const width = Math.max(...rows.map(([label]) => label.length));
  for (const [label, value] of rows) console.log(`${label.padEnd(width)}  ${value}`);
}

async function main(): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), "bench-preflight-"));
  const path = join(folder, "bench.pdf");
  try {
    const buildStart = performance.now();
    writeFileSync(path, await buildBenchmarkPdf());
    const buildMs = performance.now() - buildStart;
    const size = statSync(path).size;

    const engine = runEngineInChild(path);
    const popplerMs = timePoppler(path);

    printTable([
      ["file", `${megabytes(size)}, ${PAGE_COUNT} pages, ${PAGE_COUNT * IMAGES_PER_PAGE} images (built in ${(buildMs / 1000).toFixed(1)} s)`],
      ["engine wall time", `${engine.wallMs.toFixed(0)} ms`],
      ["engine verdict", `${engine.verdict}, ${engine.pageCount ?? "?"} pages, ${engine.findings} findings`],
      ["engine reads", `${engine.readCount} reads, ${megabytes(engine.bytesRead)}`],
      ["peak RSS", `${megabytes(engine.peakRss)} (baseline ${megabytes(engine.baselineRss)})`],
      ["peak heap used", `${megabytes(engine.peakHeap)} (baseline ${megabytes(engine.baselineHeap)})`],
      ["peak array buffers", megabytes(engine.peakArrayBuffers)],
      ["pdffonts + pdfimages -list", popplerMs === null ? "not installed (poppler-utils)" : `${popplerMs.toFixed(0)} ms`],
      ["engine / poppler", popplerMs === null ? "-" : `${(engine.wallMs / popplerMs).toFixed(2)}`],
    ]);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

const measureIndex = process.argv.indexOf("--measure");
if (measureIndex >= 0) await measureEngine(process.argv[measureIndex + 1]);
else await main();
