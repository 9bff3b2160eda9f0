import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";

import { getDb } from "~/db/client.server";
import { files, multipartUploadParts, multipartUploads, preflightRuns } from "~/db/schema";
import { messages } from "~/messages";
import { demoOrder, demoUser, seedDemo, streamOf } from "../../tests/support/fixtures";

import { PRINT_FILE_TYPES } from "./file-type";
import { MAX_MULTIPART_UPLOAD_BYTES, MIN_PART_BYTES, MULTIPART_UPLOAD_EXPIRY_MS } from "./limits";
import {
  abortExpiredUploads,
  abortMultipartUpload,
  completeMultipartUpload,
  createMultipartUpload,
  getMultipartUpload,
  uploadPart,
  type UploadSummary,
} from "./multipart.server";

// Local R2 (miniflare) enforces R2's 5 MiB minimum for every part but the
// last, so these tests send real 5 MiB parts.

let data: Awaited<ReturnType<typeof seedDemo>>;
let customer: ReturnType<typeof demoUser>;

beforeAll(async () => {
  data = await seedDemo();
  customer = demoUser(data, "kunde@example.com");
});

const db = () => getDb(env);
const SHOP_POLICY = { maxBytes: MAX_MULTIPART_UPLOAD_BYTES, acceptedTypes: PRINT_FILE_TYPES };
const encode = (text: string) => new TextEncoder().encode(text);

/** File bytes of `size` that start with `head` and differ per `seed`, so that no two tests upload the same file. */
function fileBytes(head: string, size: number, seed = crypto.randomUUID()): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let index = 0; index < size; index++) bytes[index] = (index * 31 + 7) & 0xff;
  bytes.set(encode(`${head}\n% ${seed}\n`).subarray(0, size));
  return bytes;
}

async function sha256Of(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new Uint8Array(bytes)));
  return [...digest].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

async function create(orderId: string, fileName: string, size: number, sha256?: string) {
  return createMultipartUpload(env, db(), orderId, { userId: customer.id }, SHOP_POLICY, { fileName, size, partSize: MIN_PART_BYTES, sha256 });
}

async function createOk(orderId: string, fileName: string, size: number): Promise<UploadSummary> {
  const result = await create(orderId, fileName, size);
  if (!result.ok) throw new Error(`create failed: ${result.message}`);
  return result.body;
}

function partOf(bytes: Uint8Array, upload: UploadSummary, partNumber: number): Uint8Array {
  return bytes.subarray((partNumber - 1) * upload.partSize, Math.min(partNumber * upload.partSize, bytes.byteLength));
}

async function sendPart(orderId: string, upload: UploadSummary, bytes: Uint8Array, partNumber: number) {
  const part = partOf(bytes, upload, partNumber);
  return uploadPart(env, db(), {
    scope: { orderId },
    uploadId: upload.uploadId,
    partNumber,
    contentLength: part.byteLength,
    body: streamOf(part),
  });
}

async function uploadWhole(orderId: string, fileName: string, bytes: Uint8Array) {
  const upload = await createOk(orderId, fileName, bytes.byteLength);
  for (let partNumber = 1; partNumber <= upload.partCount; partNumber++) {
    const result = await sendPart(orderId, upload, bytes, partNumber);
    if (!result.ok) throw new Error(`part ${partNumber} failed: ${result.message}`);
  }
  const sha256 = await sha256Of(bytes);
  return { upload, sha256, result: await completeMultipartUpload(env, db(), { scope: { orderId }, uploadId: upload.uploadId, sha256 }) };
}

async function uploadRowsOf(orderId: string) {
  return db().select().from(multipartUploads).where(eq(multipartUploads.orderId, orderId));
}

async function storedKeysOf(orderId: string) {
  const listing = await env.FILES.list({ prefix: `orders/${orderId}/files/` });
  return listing.objects.map((object) => object.key);
}

describe("multipart upload", () => {
  it("stores a PDF sent in two parts", async () => {
    const orderId = demoOrder(data, "42793.04").id;
    const bytes = fileBytes("%PDF-1.7", MIN_PART_BYTES + 1000);
    const upload = await createOk(orderId, "Katalog.pdf", bytes.byteLength);
    expect(upload.partCount).toBe(2);

    const second = await sendPart(orderId, upload, bytes, 2);
    expect(second).toEqual({ ok: true, status: 200, body: { partNumber: 2, size: 1000 } });
    const first = await sendPart(orderId, upload, bytes, 1);
    expect(first.ok).toBe(true);

    const listed = await getMultipartUpload(db(), { orderId }, upload.uploadId);
    expect(listed.ok).toBe(true);
    expect(listed.ok).toBe(true);
    expect(listed.ok && listed.body.parts).toEqual([
      { partNumber: 1, size: MIN_PART_BYTES },
      { partNumber: 2, size: 1000 },
    ]);

    const sha256 = await sha256Of(bytes);
    const result = await completeMultipartUpload(env, db(), { scope: { orderId }, uploadId: upload.uploadId, sha256 });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.status).toBe(201);
    expect(result.body.fileId).toBe(upload.fileId);

    const row = await db().select().from(files).where(eq(files.id, upload.fileId)).get();
    expect(row?.originalName).toBe("Katalog.pdf");
    expect(row?.size).toBe(bytes.byteLength);
    expect(row?.sha256).toBe(sha256);
    expect(row?.contentType).toBe("application/pdf");
    expect(row?.r2Key).toBe(`orders/${orderId}/files/${upload.fileId}`);

    const run = await db().select().from(preflightRuns).where(eq(preflightRuns.fileId, upload.fileId)).get();
    expect(run?.id).toBe(result.body.runId);

    const object = await env.FILES.get(row!.r2Key);
    expect(new Uint8Array(await object!.arrayBuffer())).toEqual(bytes);

    expect(await uploadRowsOf(orderId)).toHaveLength(0);
    const parts = await db().select().from(multipartUploadParts).where(eq(multipartUploadParts.uploadId, upload.uploadId));
    expect(parts).toHaveLength(0);

    const again = await completeMultipartUpload(env, db(), { scope: { orderId }, uploadId: upload.uploadId, sha256 });
    expect(again).toEqual({ ok: true, status: 200, body: { fileId: upload.fileId, runId: result.body.runId, duplicate: true } });
  });

  it("records a TIFF without a preflight run", async () => {
    const orderId = demoOrder(data, "42793.04").id;
    const bytes = new Uint8Array(4096);
    bytes.set([0x49, 0x49, 0x2a, 0x00]);
    bytes.set(encode(crypto.randomUUID()), 8);
    const { upload, result } = await uploadWhole(orderId, "Motiv.tif", bytes);
    expect(result.ok).toBe(true);

    const row = await db().select().from(files).where(eq(files.id, upload.fileId)).get();
    expect(row?.contentType).toBe("image/tiff");
    const runs = await db().select().from(preflightRuns).where(eq(preflightRuns.fileId, upload.fileId));
    expect(runs).toHaveLength(0);
  });

  it("keeps only the base name of a path", async () => {
    const orderId = demoOrder(data, "42793.04").id;
    const upload = await createOk(orderId, "../../x.pdf", 100);
    expect(upload.fileName).toBe("x.pdf");
    const windows = await createOk(orderId, "C:\\Daten\\Auftrag\\Umschlag.pdf", 100);
    expect(windows.fileName).toBe("Umschlag.pdf");
    await abortMultipartUpload(env, db(), { orderId }, upload.uploadId);
    await abortMultipartUpload(env, db(), { orderId }, windows.uploadId);
  });

  it("normalises the name to NFC", async () => {
    const orderId = demoOrder(data, "42793.04").id;
    const upload = await createOk(orderId, "Broschu\u0308re.pdf", 100);
    expect(upload.fileName).toBe("Broschüre.pdf");
    await abortMultipartUpload(env, db(), { orderId }, upload.uploadId);
  });

  it("replaces a part sent again", async () => {
    const orderId = demoOrder(data, "42793.04").id;
    const bytes = fileBytes("%PDF-1.4", 3000);
    const upload = await createOk(orderId, "Flyer.pdf", bytes.byteLength);
    expect((await sendPart(orderId, upload, bytes, 1)).ok).toBe(true);
    expect((await sendPart(orderId, upload, bytes, 1)).ok).toBe(true);
    const listed = await getMultipartUpload(db(), { orderId }, upload.uploadId);
    expect(listed.ok).toBe(true);
    expect(listed.ok && listed.body.parts).toEqual([{ partNumber: 1, size: 3000 }]);
    await abortMultipartUpload(env, db(), { orderId }, upload.uploadId);
  });
});

describe("multipart upload rejects", () => {
  const orderId = () => demoOrder(data, "42810.01").id;

  it("rejects an empty file", async () => {
    expect(await create(orderId(), "leer.pdf", 0)).toEqual({ ok: false, status: 400, message: messages.uploadEmpty });
  });

  it("rejects a file over the limit", async () => {
    const result = await create(orderId(), "riesig.pdf", MAX_MULTIPART_UPLOAD_BYTES + 1);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.status).toBe(413);
    expect(result.message).toContain("5 GB");
  });

  it("accepts a file at the limit", async () => {
    const result = await createMultipartUpload(env, db(), orderId(), { userId: customer.id }, SHOP_POLICY, {
      fileName: "gross.pdf",
      size: MAX_MULTIPART_UPLOAD_BYTES,
      partSize: 95 * 1024 * 1024,
    });
    expect(result.ok).toBe(true);
    if (result.ok) await abortMultipartUpload(env, db(), { orderId: orderId() }, result.body.uploadId);
  });

  it("rejects part sizes out of range", async () => {
    for (const partSize of [MIN_PART_BYTES - 1, 95 * 1024 * 1024 + 1]) {
      const result = await createMultipartUpload(env, db(), orderId(), { userId: customer.id }, SHOP_POLICY, { fileName: "a.pdf", size: 1000, partSize });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.status).toBe(400);
    }
  });

  it("rejects a 1,000-character name", async () => {
    const result = await create(orderId(), `${"a".repeat(996)}.pdf`, 100);
    expect(result).toEqual({ ok: false, status: 400, message: messages.uploadNameTooLong(255) });
  });

  it("rejects a name that is only a path", async () => {
    const result = await create(orderId(), "../", 100);
    expect(result).toEqual({ ok: false, status: 400, message: messages.uploadNameMissing });
  });

  it("rejects a ZIP named .pdf and aborts", async () => {
    const bytes = fileBytes("PK\u0003\u0004", 2000);
    const upload = await createOk(orderId(), "Druckdaten.pdf", bytes.byteLength);
    const result = await sendPart(orderId(), upload, bytes, 1);
    expect(result).toEqual({ ok: false, status: 400, message: messages.uploadPdfNameMismatch });
    expect((await getMultipartUpload(db(), { orderId: orderId() }, upload.uploadId)).ok).toBe(false);
  });

  it("rejects PostScript named .pdf and aborts", async () => {
    const bytes = fileBytes("%!PS-Adobe-3.0", 2000);
    const upload = await createOk(orderId(), "Druckdaten.pdf", bytes.byteLength);
    const result = await sendPart(orderId(), upload, bytes, 1);
    expect(result).toEqual({ ok: false, status: 400, message: messages.uploadPdfNameMismatch });
  });

  it("rejects an unknown type", async () => {
    const bytes = fileBytes("Nur Text", 2000);
    const upload = await createOk(orderId(), "notizen.txt", bytes.byteLength);
    const result = await sendPart(orderId(), upload, bytes, 1);
    expect(result).toEqual({ ok: false, status: 400, message: messages.uploadTypeRejected("PDF, TIFF, JPEG, PNG oder ZIP") });
  });

  it("accepts a ZIP named .zip", async () => {
    const bytes = fileBytes("PK\u0003\u0004", 2000);
    const upload = await createOk(orderId(), "Druckdaten.zip", bytes.byteLength);
    expect((await sendPart(orderId(), upload, bytes, 1)).ok).toBe(true);
    await abortMultipartUpload(env, db(), { orderId: orderId() }, upload.uploadId);
  });

  it("rejects a part of the wrong size", async () => {
    const bytes = fileBytes("%PDF-1.7", MIN_PART_BYTES + 10);
    const upload = await createOk(orderId(), "a.pdf", bytes.byteLength);
    const short = bytes.subarray(0, 1000);
    const result = await uploadPart(env, db(), {
      scope: { orderId: orderId() },
      uploadId: upload.uploadId,
      partNumber: 1,
      contentLength: short.byteLength,
      body: streamOf(short),
    });
    expect(result).toEqual({ ok: false, status: 400, message: messages.uploadPartWrongSize(1, MIN_PART_BYTES) });

    const lastTooLong = await uploadPart(env, db(), {
      scope: { orderId: orderId() },
      uploadId: upload.uploadId,
      partNumber: 2,
      contentLength: 11,
      body: streamOf(new Uint8Array(11)),
    });
    expect(lastTooLong).toEqual({ ok: false, status: 400, message: messages.uploadPartWrongSize(2, 10) });
    await abortMultipartUpload(env, db(), { orderId: orderId() }, upload.uploadId);
  });

  it("rejects a body shorter than its length", async () => {
    const bytes = fileBytes("%PDF-1.7", 3000);
    const upload = await createOk(orderId(), "a.pdf", bytes.byteLength);
    const result = await uploadPart(env, db(), {
      scope: { orderId: orderId() },
      uploadId: upload.uploadId,
      partNumber: 1,
      contentLength: 3000,
      body: streamOf(bytes.subarray(0, 2000)),
    });
    expect(result).toEqual({ ok: false, status: 400, message: messages.uploadIncomplete });
    const listed = await getMultipartUpload(db(), { orderId: orderId() }, upload.uploadId);
    expect(listed.ok).toBe(true);
    expect(listed.ok && listed.body.parts).toEqual([]);
    await abortMultipartUpload(env, db(), { orderId: orderId() }, upload.uploadId);
  });

  it("rejects a part number out of range", async () => {
    const bytes = fileBytes("%PDF-1.7", 3000);
    const upload = await createOk(orderId(), "a.pdf", bytes.byteLength);
    for (const partNumber of [0, 2, 10_001, Number.NaN]) {
      const result = await uploadPart(env, db(), {
        scope: { orderId: orderId() },
        uploadId: upload.uploadId,
        partNumber,
        contentLength: 3000,
        body: streamOf(bytes),
      });
      expect(result).toEqual({ ok: false, status: 400, message: messages.uploadPartNumberInvalid(1) });
    }
    await abortMultipartUpload(env, db(), { orderId: orderId() }, upload.uploadId);
  });

  it("rejects completion with a missing part", async () => {
    const bytes = fileBytes("%PDF-1.7", MIN_PART_BYTES + 10);
    const upload = await createOk(orderId(), "a.pdf", bytes.byteLength);
    expect((await sendPart(orderId(), upload, bytes, 1)).ok).toBe(true);

    const result = await completeMultipartUpload(env, db(), {
      scope: { orderId: orderId() },
      uploadId: upload.uploadId,
      sha256: await sha256Of(bytes),
    });
    expect(result).toEqual({ ok: false, status: 409, message: messages.uploadPartsMissing("2") });
    expect(await db().select().from(files).where(eq(files.uploadId, upload.uploadId))).toHaveLength(0);
    await abortMultipartUpload(env, db(), { orderId: orderId() }, upload.uploadId);
  });

  it("rejects completion without a valid hash", async () => {
    const bytes = fileBytes("%PDF-1.7", 3000);
    const upload = await createOk(orderId(), "a.pdf", bytes.byteLength);
    expect((await sendPart(orderId(), upload, bytes, 1)).ok).toBe(true);
    const result = await completeMultipartUpload(env, db(), { scope: { orderId: orderId() }, uploadId: upload.uploadId, sha256: "abc" });
    expect(result).toEqual({ ok: false, status: 400, message: messages.uploadChecksumInvalid });
    await abortMultipartUpload(env, db(), { orderId: orderId() }, upload.uploadId);
  });

  it("rejects an upload id of another order", async () => {
    const otherOrder = demoOrder(data, "42793.02").id;
    const bytes = fileBytes("%PDF-1.7", 3000);
    const upload = await createOk(orderId(), "a.pdf", bytes.byteLength);
    const notFound = { ok: false, status: 404, message: messages.uploadNotFound };

    expect(await sendPart(otherOrder, upload, bytes, 1)).toEqual(notFound);
    expect(await getMultipartUpload(db(), { orderId: otherOrder }, upload.uploadId)).toEqual(notFound);
    expect(
      await completeMultipartUpload(env, db(), { scope: { orderId: otherOrder }, uploadId: upload.uploadId, sha256: await sha256Of(bytes) }),
    ).toEqual(notFound);
    expect(await abortMultipartUpload(env, db(), { orderId: otherOrder }, upload.uploadId)).toEqual(notFound);

    expect((await getMultipartUpload(db(), { orderId: orderId() }, upload.uploadId)).ok).toBe(true);
    await abortMultipartUpload(env, db(), { orderId: orderId() }, upload.uploadId);
  });

  it("leaves no rows and no objects behind", async () => {
    expect(await uploadRowsOf(orderId())).toHaveLength(0);
    expect(await storedKeysOf(orderId())).toHaveLength(0);
    expect(await db().select().from(files).where(eq(files.orderId, orderId()))).toHaveLength(0);
  });
});

describe("identical files", () => {
  it("reports a file already in the order", async () => {
    const orderId = demoOrder(data, "42793.02").id;
    const bytes = fileBytes("%PDF-1.7", 5000);
    const first = await uploadWhole(orderId, "Plakat.pdf", bytes);
    expect(first.result.ok).toBe(true);

    const second = await uploadWhole(orderId, "Plakat Kopie.pdf", bytes);
    expect(second.result).toEqual({ ok: false, status: 409, message: messages.uploadDuplicate });
    expect(await uploadRowsOf(orderId)).toHaveLength(0);

    const announced = await create(orderId, "Plakat.pdf", bytes.byteLength, first.sha256);
    expect(announced).toEqual({ ok: false, status: 409, message: messages.uploadDuplicate });
    expect(await db().select().from(files).where(eq(files.orderId, orderId))).toHaveLength(1);
  });
});

describe("abortExpiredUploads", () => {
  it("aborts uploads older than 24 hours", async () => {
    const orderId = demoOrder(data, "42793.04").id;
    const bytes = fileBytes("%PDF-1.7", MIN_PART_BYTES + 10);
    const upload = await createOk(orderId, "alt.pdf", bytes.byteLength);
    expect((await sendPart(orderId, upload, bytes, 1)).ok).toBe(true);

    expect(await abortExpiredUploads(env, db(), Date.now())).toBe(0);
    expect((await getMultipartUpload(db(), { orderId }, upload.uploadId)).ok).toBe(true);

    const aborted = await abortExpiredUploads(env, db(), Date.now() + MULTIPART_UPLOAD_EXPIRY_MS + 1);
    expect(aborted).toBeGreaterThanOrEqual(1);
    expect(await getMultipartUpload(db(), { orderId }, upload.uploadId)).toEqual({ ok: false, status: 404, message: messages.uploadNotFound });
    const parts = await db().select().from(multipartUploadParts).where(eq(multipartUploadParts.uploadId, upload.uploadId));
    expect(parts).toHaveLength(0);
  });
});
