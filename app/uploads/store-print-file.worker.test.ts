import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";

import { getDb } from "~/db/client.server";
import { files, preflightRuns } from "~/db/schema";
import { messages } from "~/messages";
import { demoOrder, demoUser, samplePdf, seedDemo, streamOf } from "../../tests/support/fixtures";

import { MAX_SINGLE_UPLOAD_BYTES } from "./limits";
import { storePrintFile, type PrintFileUpload } from "./store-print-file.server";

let data: Awaited<ReturnType<typeof seedDemo>>;
let orderId: string;
let customer: PrintFileUpload["user"];

beforeAll(async () => {
  data = await seedDemo();
  orderId = demoOrder(data, "42793.04").id;
  customer = demoUser(data, "kunde@example.com");
});

function upload(bytes: Uint8Array, overrides: Partial<PrintFileUpload> = {}): PrintFileUpload {
  return {
    orderId,
    uploadId: crypto.randomUUID(),
    fileName: "Broschüre.pdf",
    size: bytes.byteLength,
    body: streamOf(bytes),
    user: customer,
    ...overrides,
  };
}

async function fileRowsOf(order: string) {
  return getDb(env).select().from(files).where(eq(files.orderId, order));
}

async function storedKeysOf(order: string) {
  const listing = await env.FILES.list({ prefix: `orders/${order}/files/` });
  return listing.objects.map((object) => object.key);
}

async function waitForRun(runId: string) {
  const db = getDb(env);
  for (let attempt = 0; attempt < 100; attempt++) {
    const run = await db.select().from(preflightRuns).where(eq(preflightRuns.id, runId)).get();
    if (run && (run.state === "done" || run.state === "failed")) return run;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`run ${runId} did not finish within 10 seconds`);
}

describe("storePrintFile", () => {
  it("stores a PDF and its preflight result", async () => {
    const pdf = await samplePdf();
    const result = await storePrintFile(env, getDb(env), upload(pdf));
    expect(result.ok).toBe(true);
    if (!result.ok) return;

    const row = await getDb(env).select().from(files).where(eq(files.id, result.fileId)).get();
    expect(row?.originalName).toBe("Broschüre.pdf");
    expect(row?.size).toBe(pdf.byteLength);
    expect(row?.r2Key).toBe(`orders/${orderId}/files/${result.fileId}`);

    const expectedHash = new Uint8Array(await crypto.subtle.digest("SHA-256", new Uint8Array(pdf)));
    expect(row?.sha256).toBe([...expectedHash].map((byte) => byte.toString(16).padStart(2, "0")).join(""));

    const object = await env.FILES.get(row!.r2Key);
    expect(new Uint8Array(await object!.arrayBuffer())).toEqual(pdf);

    // The real queue delivers the job to the worker's consumer.
    const run = await waitForRun(result.runId);
    expect(run.state).toBe("done");
    expect(run.verdict).toBe("error");
    expect(run.pageCount).toBe(1);
    expect(run.findings?.map((finding) => finding.check)).toContain("fonts.not-embedded");
  });

  it("stores one file for a repeated upload id", async () => {
    const order = demoOrder(data, "42793.02").id;
    const pdf = await samplePdf();
    const uploadId = crypto.randomUUID();

    const first = await storePrintFile(env, getDb(env), upload(pdf, { orderId: order, uploadId }));
    const second = await storePrintFile(env, getDb(env), upload(pdf, { orderId: order, uploadId }));

    expect(first.ok).toBe(true);
    expect(second.ok).toBe(true);
    if (!first.ok || !second.ok) return;
    expect(second.fileId).toBe(first.fileId);
    expect(second.runId).toBe(first.runId);
    expect(second.duplicate).toBe(true);
    expect(await fileRowsOf(order)).toHaveLength(1);
    expect(await storedKeysOf(order)).toHaveLength(1);
  });

  it("accepts bytes before the PDF header", async () => {
    const pdf = await samplePdf();
    const prefixed = new Uint8Array(200 + pdf.byteLength);
    prefixed.set(pdf, 200);

    const result = await storePrintFile(env, getDb(env), upload(prefixed));
    expect(result.ok).toBe(true);
  });

  describe("rejects and leaves nothing behind", () => {
    const order = () => demoOrder(data, "42810.01").id;

    it("rejects a file that is not a PDF", async () => {
      const text = new TextEncoder().encode("Dies ist kein PDF, nur Text mit der Endung .pdf\n".repeat(50));
      const result = await storePrintFile(env, getDb(env), upload(text, { orderId: order() }));
      expect(result).toEqual({ ok: false, status: 400, message: messages.uploadNotPdf });
    });

    it("rejects an empty file", async () => {
      const result = await storePrintFile(env, getDb(env), upload(new Uint8Array(0), { orderId: order() }));
      expect(result).toEqual({ ok: false, status: 400, message: messages.uploadEmpty });
    });

    it("rejects a file over the single-request limit", async () => {
      const pdf = await samplePdf();
      const result = await storePrintFile(
        env,
        getDb(env),
        upload(pdf, { orderId: order(), size: MAX_SINGLE_UPLOAD_BYTES + 1 }),
      );
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.status).toBe(413);
      expect(result.message).toContain("95 MB");
    });

    it("rejects a file over the shop's lower limit", async () => {
      const pdf = await samplePdf();
      const result = await storePrintFile(env, getDb(env), upload(pdf, { orderId: order(), maxBytes: pdf.byteLength - 1 }));

      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.status).toBe(413);
      expect(await fileRowsOf(order())).toHaveLength(0);
    });

    it("rejects a body shorter than announced", async () => {
      const pdf = await samplePdf();
      const result = await storePrintFile(
        env,
        getDb(env),
        upload(pdf, { orderId: order(), size: pdf.byteLength + 1000 }),
      );
      expect(result).toEqual({ ok: false, status: 400, message: messages.uploadIncomplete });
    });

    it("has no rows and no objects for the order", async () => {
      expect(await fileRowsOf(order())).toHaveLength(0);
      expect(await storedKeysOf(order())).toHaveLength(0);
    });
  });
});
