import { sha256 } from "@oslojs/crypto/sha2";
import { encodeHexLowerCase } from "@oslojs/encoding";

import type { RateLimitRule } from "../../party/rate-limiter";

const MINUTE_MS = 60 * 1000;

/**
 * The rate limits of the login and the link form. Login limits count failed
 * attempts, link limits count every request. Each bucket is separate, so a
 * user locked out of the login can still request a link.
 */
export const RATE_LIMITS = {
  loginEmail: { limit: 5, windowMs: 15 * MINUTE_MS },
  loginClient: { limit: 20, windowMs: 15 * MINUTE_MS },
  linkEmail: { limit: 3, windowMs: 60 * MINUTE_MS },
  linkClient: { limit: 10, windowMs: 60 * MINUTE_MS },
  accessRequestClient: { limit: 5, windowMs: 60 * MINUTE_MS },
} satisfies Record<string, RateLimitRule>;

export type RateLimitBucket = keyof typeof RATE_LIMITS;

/** One rate-limited counter: a bucket and the hashed subject it counts (an e-mail address or a client). */
export interface RateLimitKey {
  bucket: RateLimitBucket;
  subjectHash: string;
}

function sha256Hex(text: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(text)));
}

/**
 * Returns the SHA-256 of the client's IP address from `CF-Connecting-IP`,
 * which Cloudflare sets on every request. Without that header (a local
 * server) all clients share the key of "local".
 */
export function clientHashOf(request: Request): string {
  return sha256Hex(`client-ip:${request.headers.get("CF-Connecting-IP") ?? "local"}`);
}

/** Returns the SHA-256 of a normalised e-mail address, so that no address appears in an object name. */
export function emailHashOf(normalizedEmail: string): string {
  return sha256Hex(`email:${normalizedEmail}`);
}

/** Shortens a client hash for logs: enough to tell clients apart, too short to look up an address. */
export function logClientTag(clientHash: string): string {
  return clientHash.slice(0, 12);
}

/** Converts a waiting time to whole minutes for messages, at least 1. */
export function waitingMinutes(retryAfterMs: number): number {
  return Math.max(1, Math.ceil(retryAfterMs / MINUTE_MS));
}

function limiterFor(env: Pick<Env, "RateLimiter">, key: RateLimitKey) {
  return env.RateLimiter.getByName(`${key.bucket}:${key.subjectHash}`);
}

/** Returns the longest waiting time of the limited keys in milliseconds, or null when none is limited. */
function longestWait(statuses: { limited: boolean; retryAfterMs: number }[]): number | null {
  const waits = statuses.filter((status) => status.limited).map((status) => status.retryAfterMs);
  return waits.length > 0 ? Math.max(...waits) : null;
}

/** Returns the waiting time in milliseconds when any of the keys is limited, or null; counts nothing. */
export async function limitedFor(env: Pick<Env, "RateLimiter">, keys: RateLimitKey[], now = Date.now()): Promise<number | null> {
  const statuses = await Promise.all(keys.map((key) => limiterFor(env, key).status(RATE_LIMITS[key.bucket], now)));
  return longestWait(statuses);
}

/** Counts a failure on every key; returns the waiting time when one of them is limited now, or null. */
export async function recordFailure(env: Pick<Env, "RateLimiter">, keys: RateLimitKey[], now = Date.now()): Promise<number | null> {
  const statuses = await Promise.all(keys.map((key) => limiterFor(env, key).record(RATE_LIMITS[key.bucket], now)));
  return longestWait(statuses);
}

/**
 * Counts a request on every key that is not limited yet. Returns the waiting
 * time when one of them was limited already (the request must be rejected), or null.
 */
export async function consumeRequest(env: Pick<Env, "RateLimiter">, keys: RateLimitKey[], now = Date.now()): Promise<number | null> {
  const statuses = await Promise.all(keys.map((key) => limiterFor(env, key).consume(RATE_LIMITS[key.bucket], now)));
  return longestWait(statuses);
}

/** Forgets the hits of one key. */
export async function resetLimit(env: Pick<Env, "RateLimiter">, key: RateLimitKey): Promise<void> {
  await limiterFor(env, key).reset();
}
