import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";

import { getDb } from "~/db/client.server";
import { sessions } from "~/db/schema";
import { demoUser, seedDemo } from "../../tests/support/fixtures";

import { createSession, generateSessionToken, invalidateSession, validateSessionToken } from "./session.server";

const DAY_MS = 24 * 60 * 60 * 1000;
let userId: string;

beforeAll(async () => {
  userId = demoUser(await seedDemo(), "kunde@example.com").id;
});

describe("sessions", () => {
  it("stores only the token's hash", async () => {
    const token = generateSessionToken();
    const session = await createSession(getDb(env), token, userId);

    expect(session.id).not.toContain(token);
    expect(session.id).toMatch(/^[0-9a-f]{64}$/);
  });

  it("validates a fresh session without renewing it", async () => {
    const token = generateSessionToken();
    await createSession(getDb(env), token, userId);

    const validated = await validateSessionToken(getDb(env), token);
    expect(validated?.user.email).toBe("kunde@example.com");
    expect(validated?.renewedExpiresAt).toBeNull();
  });

  it("renews a session in its second half", async () => {
    const token = generateSessionToken();
    const created = Date.now() - 20 * DAY_MS;
    await createSession(getDb(env), token, userId, created);

    const validated = await validateSessionToken(getDb(env), token);
    expect(validated?.renewedExpiresAt).toBeGreaterThan(Date.now() + 29 * DAY_MS);
  });

  it("rejects and deletes an expired session", async () => {
    const token = generateSessionToken();
    const session = await createSession(getDb(env), token, userId, Date.now() - 31 * DAY_MS);

    expect(await validateSessionToken(getDb(env), token)).toBeNull();
    expect(await getDb(env).select().from(sessions).where(eq(sessions.id, session.id)).get()).toBeUndefined();
  });

  it("rejects an unknown token", async () => {
    expect(await validateSessionToken(getDb(env), generateSessionToken())).toBeNull();
  });

  it("rejects a session after sign-out", async () => {
    const token = generateSessionToken();
    const session = await createSession(getDb(env), token, userId);
    await invalidateSession(getDb(env), session.id);

    expect(await validateSessionToken(getDb(env), token)).toBeNull();
  });
});
