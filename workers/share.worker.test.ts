import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";

import { getDb } from "~/db/client.server";
import { files, orderEvents, orders, shareLinks } from "~/db/schema";
import { messages } from "~/messages";
import { MAX_FAILURES } from "~/share-links/guard.server";
import { createShareLink, listShareLinks, resolveShareLink, revokeShareLink, type NewShareLink } from "~/share-links/links.server";
import { shareLinkMessages } from "~/share-links/messages";
import { PRINT_FILE_TYPES } from "~/uploads/file-type";
import { MIN_PART_BYTES } from "~/uploads/limits";
import { demoOrder, demoUser, samplePdf, seedDemo } from "../tests/support/fixtures";

import { routeShareRequest } from "./share";

let data: Awaited<ReturnType<typeof seedDemo>>;
let customer: ReturnType<typeof demoUser>;
let orderId: string;

const db = () => getDb(env);
const SHOP_POLICY = { maxBytes: 5 * 1024 ** 3, acceptedTypes: PRINT_FILE_TYPES };
const DAY_MS = 24 * 60 * 60 * 1000;
const LINK: NewShareLink = { label: null, showLabel: false, expiresInDays: 14, maxBytes: null };

beforeAll(async () => {
  data = await seedDemo();
  customer = demoUser(data, "kunde@example.com");
  orderId = demoOrder(data, "42793.04").id;
});

async function newLink(input: Partial<NewShareLink> = {}, order = orderId) {
  const row = await db().select().from(orders).where(eq(orders.id, order)).get();
  const result = await createShareLink(db(), row!, customer, { ...LINK, ...input }, SHOP_POLICY);
  if (!result.ok) throw new Error(result.message);
  return result.value;
}

/** Sends a request through the share router as a client with the given IP address. */
async function share(path: string, init: RequestInit = {}, ip = "192.0.2.10"): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set("CF-Connecting-IP", ip);
  const response = await routeShareRequest(new Request(`http://portal.test${path}`, { ...init, headers }), env);
  if (!response) throw new Error(`not a share path: ${path}`);
  return response;
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new Uint8Array(bytes)));
  return [...digest].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** Uploads `bytes` through the link's API in one part and completes it. */
async function uploadThroughLink(token: string, bytes: Uint8Array, fileName: string, uploaderName?: string, ip?: string) {
  const base = `/hochladen/${token}/uploads`;
  const created = await share(
    base,
    { method: "POST", body: JSON.stringify({ fileName, size: bytes.byteLength, partSize: MIN_PART_BYTES, uploaderName }) },
    ip,
  );
  const upload = (await created.json()) as { ok: boolean; uploadId: string; message?: string };
  if (!upload.ok) return { created, upload };

  const part = await share(`${base}/${upload.uploadId}/parts/1`, { method: "PUT", body: new Uint8Array(bytes), headers: { "Content-Length": String(bytes.byteLength) } }, ip);
  expect(part.status).toBe(200);
  const completed = await share(`${base}/${upload.uploadId}/complete`, { method: "POST", body: JSON.stringify({ sha256: await sha256Hex(bytes) }) }, ip);
  return { created, upload, completed, body: (await completed.json()) as { ok: boolean; fileId: string; runId: string | null } };
}

describe("creating share links", () => {
  it("stores only the token's hash and records the creation in the order's history", async () => {
    const { link, token } = await newLink({ label: "  Agentur Nordlicht  ", showLabel: true });

    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const row = await db().select().from(shareLinks).where(eq(shareLinks.id, link.id)).get();
    expect(row?.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(token);
    expect(row?.label).toBe("Agentur Nordlicht");
    expect(row!.expiresAt - row!.createdAt).toBe(14 * DAY_MS);

    const events = await db().select().from(orderEvents).where(eq(orderEvents.orderId, orderId));
    expect(events.some((event) => event.kind === "share_link.created" && event.data.linkId === link.id)).toBe(true);
  });

  it("gives every link its own token", async () => {
    const tokens = new Set<string>();
    for (let index = 0; index < 5; index++) tokens.add((await newLink()).token);
    expect(tokens.size).toBe(5);
  });

  it("rejects a validity over 90 days, a size limit over the shop's and a label of 101 characters", async () => {
    const order = (await db().select().from(orders).where(eq(orders.id, orderId)).get())!;
    const before = await db().select().from(shareLinks).where(eq(shareLinks.orderId, orderId));

    const tooLong = await createShareLink(db(), order, customer, { ...LINK, expiresInDays: 91 }, SHOP_POLICY);
    expect(tooLong).toEqual({ ok: false, status: 400, message: shareLinkMessages.expiryInvalid(90) });
    const zero = await createShareLink(db(), order, customer, { ...LINK, expiresInDays: 0 }, SHOP_POLICY);
    expect(zero.ok).toBe(false);
    const tooLarge = await createShareLink(db(), order, customer, { ...LINK, maxBytes: SHOP_POLICY.maxBytes + 1 }, SHOP_POLICY);
    expect(tooLarge.ok).toBe(false);
    const label = await createShareLink(db(), order, customer, { ...LINK, label: "x".repeat(101) }, SHOP_POLICY);
    expect(label).toEqual({ ok: false, status: 400, message: shareLinkMessages.labelTooLong(100) });

    expect(await db().select().from(shareLinks).where(eq(shareLinks.orderId, orderId))).toHaveLength(before.length);
  });

  it("refuses a link for a withdrawn offer", async () => {
    const order = (await db().select().from(orders).where(eq(orders.id, orderId)).get())!;
    const result = await createShareLink(db(), { ...order, status: "withdrawn" }, customer, LINK, SHOP_POLICY);
    expect(result).toEqual({ ok: false, status: 409, message: shareLinkMessages.orderWithdrawn });
  });
});

describe("resolving share links", () => {
  it("finds an active link and nothing for expired, revoked or unknown tokens", async () => {
    const { link, token } = await newLink();
    expect((await resolveShareLink(db(), token))?.id).toBe(link.id);
    expect(await resolveShareLink(db(), token, link.expiresAt)).toBeNull();
    expect(await resolveShareLink(db(), `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`)).toBeNull();
    expect(await resolveShareLink(db(), "kurz")).toBeNull();

    expect((await revokeShareLink(db(), orderId, link.id, customer)).ok).toBe(true);
    expect(await resolveShareLink(db(), token)).toBeNull();
    expect(await revokeShareLink(db(), orderId, link.id, customer)).toEqual({
      ok: false,
      status: 409,
      message: shareLinkMessages.alreadyRevoked,
    });
  });

  it("does not revoke a link through another order", async () => {
    const { link } = await newLink();
    const otherOrder = demoOrder(data, "42793.05").id;
    expect(await revokeShareLink(db(), otherOrder, link.id, customer)).toEqual({ ok: false, status: 404, message: shareLinkMessages.notFound });
  });

  it("treats a link of a withdrawn order as invalid", async () => {
    const order = demoOrder(data, "42810.01").id;
    const { token } = await newLink({}, order);
    await db().update(orders).set({ status: "withdrawn" }).where(eq(orders.id, order));
    expect(await resolveShareLink(db(), token)).toBeNull();

    const response = await share(`/hochladen/${token}`, {}, "192.0.2.60");
    expect(response.status).toBe(404);
    expect(await response.text()).toContain("Link ungültig");
  });
});

describe("the share page and its upload API", () => {
  it("serves the neutral page without a cookie and with strict headers", async () => {
    const { token } = await newLink({ label: "Umschlag", showLabel: true });
    const response = await share(`/hochladen/${token}`);

    expect(response.status).toBe(200);
    expect(response.headers.get("Set-Cookie")).toBeNull();
    expect(response.headers.get("Content-Security-Policy")).toContain("script-src 'self'");
    expect(response.headers.get("Referrer-Policy")).toBe("no-referrer");
    const html = await response.text();
    expect(html).toContain("Umschlag");
    expect(html).not.toContain("Lindenblatt");
    expect(html).not.toContain("42793");
  });

  it("attributes an upload to the link", async () => {
    const { link, token } = await newLink({ label: "Agentur" });
    const pdf = await samplePdf(`Agentur ${crypto.randomUUID()}`);
    const result = await uploadThroughLink(token, pdf, "Umschlag.pdf", "  Jana Berg ");

    expect(result.body).toMatchObject({ ok: true });
    const row = await db().select().from(files).where(eq(files.id, result.body!.fileId)).get();
    expect(row).toMatchObject({ orderId, shareLinkId: link.id, uploaderName: "Jana Berg", uploadedBy: null, originalName: "Umschlag.pdf" });
    expect(result.body!.runId).not.toBeNull();

    const listed = await listShareLinks(db(), orderId);
    expect(listed.find((item) => item.id === link.id)?.uploads).toBe(1);
  });

  it("applies the link's size limit", async () => {
    const { token } = await newLink({ maxBytes: 1024 * 1024 });
    const response = await share(`/hochladen/${token}/uploads`, {
      method: "POST",
      body: JSON.stringify({ fileName: "gross.pdf", size: 1024 * 1024 + 1, partSize: MIN_PART_BYTES }),
    });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { message: string }).message).toContain("1 MB");
  });

  it("keeps each link's uploads apart and stops a revoked link mid-upload", async () => {
    const first = await newLink();
    const second = await newLink();
    const created = await share(`/hochladen/${first.token}/uploads`, {
      method: "POST",
      body: JSON.stringify({ fileName: "a.pdf", size: 1000, partSize: MIN_PART_BYTES }),
    });
    const { uploadId } = (await created.json()) as { uploadId: string };

    expect((await share(`/hochladen/${second.token}/uploads/${uploadId}`)).status).toBe(404);
    expect((await share(`/hochladen/${first.token}/uploads/${uploadId}`)).status).toBe(200);

    await revokeShareLink(db(), orderId, first.link.id, customer);
    const afterRevoke = await share(`/hochladen/${first.token}/uploads/${uploadId}`);
    expect(afterRevoke.status).toBe(404);
    expect(await afterRevoke.json()).toEqual({ ok: false, message: shareLinkMessages.invalid });
  });

  it("rejects a ZIP named .pdf and a too long uploader name", async () => {
    const { token } = await newLink();
    const zip = new Uint8Array(2000);
    zip.set([0x50, 0x4b, 0x03, 0x04]);
    const created = await share(`/hochladen/${token}/uploads`, {
      method: "POST",
      body: JSON.stringify({ fileName: "Druck.pdf", size: zip.byteLength, partSize: MIN_PART_BYTES }),
    });
    const { uploadId } = (await created.json()) as { uploadId: string };
    const part = await share(`/hochladen/${token}/uploads/${uploadId}/parts/1`, {
      method: "PUT",
      body: zip,
      headers: { "Content-Length": String(zip.byteLength) },
    });
    expect(part.status).toBe(400);
    expect(await part.json()).toEqual({ ok: false, message: messages.uploadPdfNameMismatch });
    expect((await share(`/hochladen/${token}/uploads/${uploadId}`)).status).toBe(404);

    const named = await share(`/hochladen/${token}/uploads`, {
      method: "POST",
      body: JSON.stringify({ fileName: "a.pdf", size: 1000, partSize: MIN_PART_BYTES, uploaderName: "n".repeat(101) }),
    });
    expect(named.status).toBe(400);
    expect(await named.json()).toEqual({ ok: false, message: shareLinkMessages.uploaderNameTooLong });

    const turned = await share(`/hochladen/${token}/uploads`, {
      method: "POST",
      body: JSON.stringify({ fileName: "a.pdf", size: 1000, partSize: MIN_PART_BYTES, uploaderName: "Jana\u202EgreB" }),
    });
    expect(turned.status).toBe(400);
    expect(await turned.json()).toEqual({ ok: false, message: shareLinkMessages.uploaderNameInvalid });
  });

  it("blocks a client after repeated invalid tokens, and only that client", async () => {
    const { token } = await newLink();
    const ip = "198.51.100.7";
    for (let attempt = 0; attempt < MAX_FAILURES; attempt++) {
      expect((await share(`/hochladen/${"A".repeat(43)}`, {}, ip)).status).toBe(404);
    }

    const blocked = await share(`/hochladen/${token}`, {}, ip);
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get("Retry-After")).toBe("900");
    expect(await blocked.text()).toContain("15 Minuten");

    expect((await share(`/hochladen/${token}`, {}, "198.51.100.8")).status).toBe(200);
  });

  it("serves only share pages on the share host", async () => {
    const { token } = await newLink();
    const shareHostEnv = { ...env, SHARE_HOST: "upload.example.test" };

    const portalPage = await routeShareRequest(new Request("https://upload.example.test/anmelden"), shareHostEnv);
    expect(portalPage?.status).toBe(404);
    expect(await portalPage?.text()).toContain("Link ungültig");

    const sharePage = await routeShareRequest(new Request(`https://upload.example.test/hochladen/${token}`), shareHostEnv);
    expect(sharePage?.status).toBe(200);
    expect(await sharePage?.text()).toContain("verschlüsselt übertragen");

    expect(await routeShareRequest(new Request("https://portal.example.test/anmelden"), shareHostEnv)).toBeNull();
  });

  it("leaves other paths to the portal", async () => {
    expect(await routeShareRequest(new Request("http://portal.test/anmelden"), env)).toBeNull();
    expect((await share("/hochladen/x/irgendwas")).status).toBe(404);
  });
});
