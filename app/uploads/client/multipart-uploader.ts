import { SHA256 } from "@oslojs/crypto/sha2";
import { encodeHexLowerCase } from "@oslojs/encoding";

import { MAX_PART_COUNT, MIN_PART_BYTES } from "../limits";

// Framework-free browser side of the multipart upload protocol: it creates
// the upload, sends the parts a few at a time with retries, reports progress,
// hashes the file and completes the upload. The resume state lives in
// localStorage, so that after a reload the same file can continue from the
// parts the server confirms.

/** Parts sent at the same time. */
export const PARALLEL_PARTS = 4;
/** Attempts per part before the upload fails. */
export const PART_ATTEMPTS = 4;
const RETRY_BASE_DELAY_MS = 500;
const STORAGE_PREFIX = "print-upload:";

export interface UploadProgress {
  loaded: number;
  total: number;
  /** Bytes per second, averaged since the upload (or its resumption) started. */
  bytesPerSecond: number;
  /** Estimated seconds until all bytes are sent; null while the speed is unknown. */
  remainingSeconds: number | null;
}

export interface ResumeState {
  /** The owner of the upload: an order id, or a share link's scope. */
  scope: string;
  uploadId: string;
  fileName: string;
  size: number;
  lastModified: number;
  partSize: number;
  createdAt: number;
}

export type UploadOutcome = { ok: true; fileId: string; message: string } | { ok: false; message: string };

export interface UploadOptions {
  /** URL of the upload collection, e.g. `/auftraege/<orderId>/uploads`. */
  baseUrl: string;
  /** Key part that keeps resume states of different orders or links apart. */
  scope: string;
  file: File;
  /** Extra JSON fields sent when the upload is created, e.g. the uploader's name on the share page. */
  createFields?: Record<string, string>;
  onProgress?: (progress: UploadProgress) => void;
  /** Fallback message when a response carries none. */
  failedMessage: string;
  storage?: Storage;
}

class UploadError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** Part size for a file: 5 MiB, or larger when the file would need more than 10,000 parts. */
export function choosePartSize(size: number): number {
  const mebibyte = 1024 * 1024;
  return Math.max(MIN_PART_BYTES, Math.ceil(size / MAX_PART_COUNT / mebibyte) * mebibyte);
}

/** Byte ranges of the parts, numbered from 1: every part but the last has `partSize` bytes. */
export function splitIntoParts(size: number, partSize: number): { partNumber: number; start: number; end: number }[] {
  const parts = [];
  for (let start = 0, partNumber = 1; start < size; start += partSize, partNumber++) {
    parts.push({ partNumber, start, end: Math.min(start + partSize, size) });
  }
  return parts;
}

export function resumeKey(scope: string, file: Pick<File, "name" | "size" | "lastModified">): string {
  return `${STORAGE_PREFIX}${scope}:${file.name}:${file.size}:${file.lastModified}`;
}

/** Returns the uploads of the scope that a reload interrupted, oldest first. */
export function findResumableUploads(scope: string, storage: Storage = localStorage): ResumeState[] {
  const states: ResumeState[] = [];
  for (let index = 0; index < storage.length; index++) {
    const key = storage.key(index);
    if (!key?.startsWith(`${STORAGE_PREFIX}${scope}:`)) continue;
    try {
      states.push(JSON.parse(storage.getItem(key) ?? "") as ResumeState);
    } catch {
      storage.removeItem(key);
    }
  }
  return states.sort((a, b) => a.createdAt - b.createdAt);
}

/** Drops the resume states of the files just chosen again, because their uploads now continue. */
export function withoutChosenFiles(states: ResumeState[], scope: string, files: File[]): ResumeState[] {
  const chosenKeys = new Set(files.map((file) => resumeKey(scope, file)));
  return states.filter((state) => !chosenKeys.has(resumeKey(scope, { name: state.fileName, size: state.size, lastModified: state.lastModified })));
}

/** Runs `task` for every item, at most `limit` at a time, in order. */
export async function runInParallel<T>(items: T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  const worker = async () => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) await task(next);
  };
  await Promise.all(Array.from({ length: Math.min(limit, queue.length) }, worker));
}

export function forgetResumableUpload(state: ResumeState, storage: Storage = localStorage) {
  storage.removeItem(resumeKey(state.scope, { name: state.fileName, size: state.size, lastModified: state.lastModified }));
}

async function requestJson(url: string, init: RequestInit, failedMessage: string): Promise<Record<string, unknown>> {
  const response = await fetch(url, { ...init, headers: { Accept: "application/json", ...init.headers } });
  let body: Record<string, unknown> = {};
  try {
    body = (await response.json()) as Record<string, unknown>;
  } catch {
    // A response without JSON keeps the generic message.
  }
  if (!response.ok) throw new UploadError(typeof body.message === "string" ? body.message : failedMessage, response.status);
  return body;
}

/** Sends one part with XMLHttpRequest, because fetch reports no upload progress. */
function sendPart(url: string, blob: Blob, onLoaded: (loaded: number) => void, failedMessage: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open("PUT", url);
    request.setRequestHeader("Content-Type", "application/octet-stream");
    request.upload.onprogress = (event) => onLoaded(event.loaded);
    request.onload = () => {
      if (request.status >= 200 && request.status < 300) {
        resolve();
        return;
      }
      let message = failedMessage;
      try {
        const body = JSON.parse(request.responseText) as { message?: unknown };
        if (typeof body.message === "string") message = body.message;
      } catch {
        // Not JSON: the generic message stays.
      }
      reject(new UploadError(message, request.status));
    };
    request.onerror = () => reject(new UploadError(failedMessage, 0));
    request.send(blob);
  });
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Retries network errors and 5xx responses with exponential backoff. A 4xx response fails at once. */
async function withRetry<T>(attempt: () => Promise<T>): Promise<T> {
  for (let index = 1; ; index++) {
    try {
      return await attempt();
    } catch (error) {
      const retryable = !(error instanceof UploadError) || error.status === 0 || error.status >= 500;
      if (!retryable || index >= PART_ATTEMPTS) throw error;
      await wait(RETRY_BASE_DELAY_MS * 2 ** (index - 1));
    }
  }
}

/**
 * Hashes the file with SHA-256, reading it part by part in order.
 * NOTE: this reads every part a second time, next to the reads for sending.
 */
async function hashFile(file: File, partSize: number): Promise<string> {
  const hash = new SHA256();
  for (const part of splitIntoParts(file.size, partSize)) {
    hash.update(new Uint8Array(await file.slice(part.start, part.end).arrayBuffer()));
  }
  return encodeHexLowerCase(hash.digest());
}

/**
 * Uploads the file to `baseUrl`, resuming an upload of the same file (same
 * name, size and modification time) that the server still has.
 */
export async function uploadFile(options: UploadOptions): Promise<UploadOutcome> {
  const { baseUrl: base, scope, file, failedMessage } = options;
  const storage = options.storage ?? localStorage;
  const key = resumeKey(scope, file);

  try {
    let state: ResumeState | null = null;
    let finished = new Set<number>();
    const stored = storage.getItem(key);
    if (stored) {
      state = JSON.parse(stored) as ResumeState;
      try {
        const upload = await requestJson(`${base}/${state.uploadId}`, { method: "GET" }, failedMessage);
        const parts = (upload.parts as { partNumber: number }[] | undefined) ?? [];
        finished = new Set(parts.map((part) => part.partNumber));
      } catch {
        // The server has no such upload any more (completed, aborted or expired), so start over.
        storage.removeItem(key);
        state = null;
      }
    }

    if (!state) {
      const partSize = choosePartSize(file.size);
      const created = await requestJson(
        base,
        {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({
            ...options.createFields,
            fileName: file.name,
            size: file.size,
            partSize,
            contentType: file.type || undefined,
          }),
        },
        failedMessage,
      );
      state = {
        scope,
        uploadId: String(created.uploadId),
        fileName: file.name,
        size: file.size,
        lastModified: file.lastModified,
        partSize,
        createdAt: Date.now(),
      };
      storage.setItem(key, JSON.stringify(state));
    }

    const parts = splitIntoParts(file.size, state.partSize);
    const loadedByPart = new Map<number, number>();
    for (const part of parts) if (finished.has(part.partNumber)) loadedByPart.set(part.partNumber, part.end - part.start);
    const startLoaded = [...loadedByPart.values()].reduce((sum, value) => sum + value, 0);
    const startedAt = performance.now();
    const report = () => {
      const loaded = [...loadedByPart.values()].reduce((sum, value) => sum + value, 0);
      const seconds = (performance.now() - startedAt) / 1000;
      const bytesPerSecond = seconds > 0 ? (loaded - startLoaded) / seconds : 0;
      const remainingSeconds = bytesPerSecond > 0 ? (file.size - loaded) / bytesPerSecond : null;
      options.onProgress?.({ loaded, total: file.size, bytesPerSecond, remainingSeconds });
    };
    report();

    const pending = parts.filter((part) => !finished.has(part.partNumber));
    const uploadId = state.uploadId;
    const worker = async () => {
      for (let part = pending.shift(); part; part = pending.shift()) {
        const current = part;
        await withRetry(() => {
          loadedByPart.set(current.partNumber, 0);
          return sendPart(
            `${base}/${uploadId}/parts/${current.partNumber}`,
            file.slice(current.start, current.end),
            (loaded) => {
              loadedByPart.set(current.partNumber, loaded);
              report();
            },
            failedMessage,
          );
        });
        loadedByPart.set(current.partNumber, current.end - current.start);
        report();
      }
    };
    const [sha256] = await Promise.all([
      hashFile(file, state.partSize),
      ...Array.from({ length: Math.min(PARALLEL_PARTS, pending.length) }, worker),
    ]);

    const completed = await withRetry(() =>
      requestJson(
        `${base}/${uploadId}/complete`,
        { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ sha256 }) },
        failedMessage,
      ),
    );
    storage.removeItem(key);
    return { ok: true, fileId: String(completed.fileId), message: String(completed.message ?? "") };
  } catch (error) {
    // A rejected upload (4xx) cannot continue. After a network failure the state stays for a resume.
    if (error instanceof UploadError && error.status >= 400 && error.status < 500) storage.removeItem(key);
    return { ok: false, message: error instanceof UploadError ? error.message : failedMessage };
  }
}
