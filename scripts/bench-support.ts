import { createHash, randomBytes } from "node:crypto";
import { open } from "node:fs/promises";

import { DEMO_PASSWORD } from "./demo-data";

// Helpers shared by the benchmarks and the browser test that restarts the
// portal: signing in over HTTP and writing large random test files.

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
