// Mutation fuzzing of the preflight engine over the PDF corpus in PDF_CORPUS_DIR:
// truncated files, flipped bytes, removed cross-reference data and duplicated
// ranges must each give a report with a verdict, without a throw and within
// the time bound. Without PDF_CORPUS_DIR the test is skipped. The mutations
// come from a fixed seed, so a failure repeats; PDF_FUZZ_SEED sets another seed.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";

import { bytesReader, preflight, type PreflightReport } from "~/preflight";

const corpusDir = process.env.PDF_CORPUS_DIR;
const SEED = Number(process.env.PDF_FUZZ_SEED ?? 20261204);
/** Mutated files checked in total, spread evenly over the corpus files. */
const TOTAL_RUNS = 1000;
/** Time bound of one engine run, in milliseconds. */
const RUN_LIMIT_MS = 5000;
/** Larger corpus files are left out, so the whole test stays within about a minute on 2 cores. */
const MAX_FILE_BYTES = 16 * 1024 * 1024;
const VERDICTS = ["ok", "warning", "error"];

type MutationKind = "truncate" | "flip-bytes" | "remove-xref" | "duplicate-range";
const MUTATION_KINDS: MutationKind[] = ["truncate", "flip-bytes", "remove-xref", "duplicate-range"];

/** Mulberry32: a small seeded PRNG with 32-bit state; returns floats in [0, 1). */
function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

function randomInt(random: () => number, maxExclusive: number): number {
  return Math.floor(random() * maxExclusive);
}

/** Returns the start offsets of every occurrence of the ASCII `keyword` in `bytes`. */
function findAll(bytes: Uint8Array, keyword: string): number[] {
  const pattern = new TextEncoder().encode(keyword);
  const offsets: number[] = [];
  for (let index = bytes.indexOf(pattern[0]); index >= 0; index = bytes.indexOf(pattern[0], index + 1)) {
    if (pattern.every((byte, offset) => bytes[index + offset] === byte)) offsets.push(index);
  }
  return offsets;
}

/**
 * Removes every cross-reference table (from "xref" to "trailer") and every
 * "startxref" with its offset, so the reader has to rebuild the table. Files
 * with cross-reference streams lose only their "startxref" lines.
 */
function removeXref(bytes: Uint8Array): Uint8Array {
  const cuts: [number, number][] = [];
  const trailers = findAll(bytes, "trailer");
  for (const start of findAll(bytes, "xref")) {
    const isStartXref = start >= 5 && new TextDecoder().decode(bytes.subarray(start - 5, start)) === "start";
    if (isStartXref) {
      let end = start + 4;
      while (end < bytes.length && /[\s\d]/.test(String.fromCharCode(bytes[end]))) end++;
      cuts.push([start - 5, end]);
      continue;
    }
    const trailer = trailers.find((offset) => offset > start);
    if (trailer !== undefined) cuts.push([start, trailer]);
  }

  const kept: Uint8Array[] = [];
  let position = 0;
  for (const [start, end] of cuts.sort((a, b) => a[0] - b[0])) {
    if (start < position) continue;
    kept.push(bytes.subarray(position, start));
    position = end;
  }
  kept.push(bytes.subarray(position));
  return concat(kept);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const result = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    result.set(part, offset);
    offset += part.length;
  }
  return result;
}

/** Applies one mutation of `kind` and returns the new bytes with a description for failure messages. */
function mutate(bytes: Uint8Array, kind: MutationKind, random: () => number): { bytes: Uint8Array; description: string } {
  switch (kind) {
    case "truncate": {
      const length = randomInt(random, bytes.length);
      return { bytes: bytes.slice(0, length), description: `truncated to ${length} bytes` };
    }
    case "flip-bytes": {
      const copy = bytes.slice();
      const count = 1 + randomInt(random, 16);
      const offsets: number[] = [];
      for (let flip = 0; flip < count; flip++) {
        const offset = randomInt(random, copy.length);
        copy[offset] ^= 1 + randomInt(random, 255);
        offsets.push(offset);
      }
      return { bytes: copy, description: `flipped bytes at ${offsets.join(", ")}` };
    }
    case "remove-xref": {
      return { bytes: removeXref(bytes), description: "removed xref tables and startxref" };
    }
    case "duplicate-range": {
      const start = randomInt(random, bytes.length);
      const length = 1 + randomInt(random, Math.min(65536, bytes.length - start));
      const insertAt = randomInt(random, bytes.length + 1);
      const range = bytes.subarray(start, start + length);
      const mutated = concat([bytes.subarray(0, insertAt), range, bytes.subarray(insertAt)]);
      return { bytes: mutated, description: `duplicated ${length} bytes from ${start} at ${insertAt}` };
    }
  }
}

/** Runs the engine with the time bound; returns the report, or a description of what went wrong. */
async function checkWithinLimit(bytes: Uint8Array): Promise<{ report?: PreflightReport; problem?: string; elapsedMs: number }> {
  const started = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), RUN_LIMIT_MS);
  });
  try {
    const outcome = await Promise.race([preflight(bytesReader(bytes)), timeout]);
    const elapsedMs = performance.now() - started;
    if (outcome === "timeout") return { problem: `no report within ${RUN_LIMIT_MS} ms`, elapsedMs };
    return { report: outcome, elapsedMs };
  } catch (error) {
    return { problem: `threw ${error instanceof Error ? error.stack : String(error)}`, elapsedMs: performance.now() - started };
  } finally {
    clearTimeout(timer);
  }
}

function listCorpusFiles(directory: string): string[] {
  return readdirSync(directory)
    .filter((name) => name.toLowerCase().endsWith(".pdf") && statSync(join(directory, name)).size <= MAX_FILE_BYTES)
    .sort();
}

const suiteName = corpusDir ? `preflight fuzzing of ${corpusDir}` : "preflight fuzzing (skipped: PDF_CORPUS_DIR is not set)";

describe.skipIf(!corpusDir)(suiteName, () => {
  const directory = corpusDir ?? "";
  const names = corpusDir ? listCorpusFiles(directory) : [];

  test("corpus folder has PDFs", () => {
    expect(names.length).toBeGreaterThan(0);
  });

  names.forEach((name, fileIndex) => {
    // The first files take the remainder, so the runs add up to TOTAL_RUNS.
    const runs = Math.floor(TOTAL_RUNS / names.length) + (fileIndex < TOTAL_RUNS % names.length ? 1 : 0);

    test(
      `${name} survives ${runs} mutations`,
      async () => {
        const original = new Uint8Array(readFileSync(join(directory, name)));
        const random = createRandom(SEED + fileIndex);
        const problems: string[] = [];

        for (let run = 0; run < runs; run++) {
          const kind = MUTATION_KINDS[run % MUTATION_KINDS.length];
          const mutation = mutate(original, kind, random);
          const result = await checkWithinLimit(mutation.bytes);
          const label = `run ${run} (${mutation.description})`;

          if (result.problem) problems.push(`${label}: ${result.problem}`);
          else if (!VERDICTS.includes(result.report?.verdict ?? "")) problems.push(`${label}: verdict ${result.report?.verdict}`);
          else if (result.elapsedMs >= RUN_LIMIT_MS) problems.push(`${label}: took ${result.elapsedMs.toFixed(0)} ms`);
        }

        expect(problems).toEqual([]);
      },
      // Every run may take the full bound before it counts as a failure.
      runs * RUN_LIMIT_MS + 10_000,
    );
  });
});
