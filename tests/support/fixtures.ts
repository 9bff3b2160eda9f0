import { env } from "cloudflare:workers";

import { createSession, generateSessionToken, SESSION_COOKIE } from "~/auth/session.server";
import { getDb } from "~/db/client.server";
import { users } from "~/db/schema";
import { seedDemoData, renderDemoPdf } from "../../scripts/seed-demo";

/** Seeds the demo data set into this test file's D1 and R2 and returns it. */
export async function seedDemo() {
  const data = await seedDemoData(env.DB, env.FILES, "not-a-valid-hash");
  if (!data) throw new Error("the test database already had data");
  return data;
}

/** Signs the user in and returns the Cookie header value of the new session. */
export async function sessionCookieFor(userId: string): Promise<string> {
  const token = generateSessionToken();
  await createSession(getDb(env), token, userId);
  return `${SESSION_COOKIE}=${token}`;
}

export function demoUser(data: Awaited<ReturnType<typeof seedDemo>>, email: string) {
  const user = data.users.find((candidate) => candidate.email === email);
  if (!user) throw new Error(`no demo user ${email}`);
  return {
    id: user.id!,
    role: user.role,
    companyId: user.companyId ?? null,
    salutation: user.salutation ?? null,
    name: user.name,
    email: user.email,
  };
}

export function demoOrder(data: Awaited<ReturnType<typeof seedDemo>>, offerNumber: string) {
  const order = data.orders.find((candidate) => candidate.offerNumber === offerNumber);
  if (!order) throw new Error(`no demo order ${offerNumber}`);
  return order as typeof order & { id: string };
}

/** Builds a small real PDF: one A4 page with Helvetica, not embedded. */
export function samplePdf(text = "Druckdaten"): Promise<Uint8Array> {
  return renderDemoPdf([text]);
}

export function streamOf(bytes: Uint8Array): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
}

/** Returns a fresh e-mail address, so that tests sharing a database do not collide. */
export function uniqueEmail(stem: string): string {
  return `${stem}-${crypto.randomUUID().slice(0, 8)}@example.com`;
}

/** Registers a customer contact of the company with the given password hash (null: no password yet) and returns its id. */
export async function addContact(companyId: string, email: string, passwordHash: string | null, active = true): Promise<string> {
  const id = crypto.randomUUID();
  await getDb(env)
    .insert(users)
    .values({ id, companyId, role: "customer", name: "Test Kontakt", email, passwordHash, active, createdAt: Date.now() });
  return id;
}
