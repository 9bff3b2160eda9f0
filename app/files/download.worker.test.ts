import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";

import { getDb } from "~/db/client.server";
import { files, preflightRuns } from "~/db/schema";
import { messages } from "~/messages";
import { demoOrder, demoUser, samplePdf, seedDemo } from "../../tests/support/fixtures";

import { findAccessibleFile, requireFileAccess } from "./access.server";
import { respondWithFile } from "./download.server";
import { getLatestPreflightRun } from "./report.server";

let data: Awaited<ReturnType<typeof seedDemo>>;
let pdf: Uint8Array;
let fileId: string;
let storedFile: { r2Key: string; originalName: string };

beforeAll(async () => {
  data = await seedDemo();
  pdf = await samplePdf("Bereichsabfrage");
  const orderId = demoOrder(data, "42793.04").id;
  fileId = crypto.randomUUID();
  storedFile = { r2Key: `orders/${orderId}/files/${fileId}`, originalName: "Broschüre Außen.pdf" };

  await env.FILES.put(storedFile.r2Key, pdf, { httpMetadata: { contentType: "application/pdf" } });
  await getDb(env)
    .insert(files)
    .values({
      id: fileId,
      orderId,
      uploadId: crypto.randomUUID(),
      r2Key: storedFile.r2Key,
      originalName: storedFile.originalName,
      size: pdf.byteLength,
      sha256: "0".repeat(64),
      createdAt: Date.now(),
    });
});

function fileRequest(headers: Record<string, string> = {}, query = "") {
  return new Request(`http://127.0.0.1/dateien/${fileId}${query}`, { headers });
}

async function bodyOf(response: Response) {
  return new Uint8Array(await response.arrayBuffer());
}

describe("file access", () => {
  it("lets the own company's customer in", async () => {
    const found = await findAccessibleFile(getDb(env), demoUser(data, "kunde@example.com"), fileId);
    expect(found?.file.id).toBe(fileId);
  });

  it("lets staff in", async () => {
    for (const email of ["auftragsmanager@example.com", "druckvorstufe@example.com", "admin@example.com"]) {
      const found = await findAccessibleFile(getDb(env), demoUser(data, email), fileId);
      expect(found?.file.id, email).toBe(fileId);
    }
  });

  it("hides file from other company", async () => {
    const found = await findAccessibleFile(getDb(env), demoUser(data, "kunde2@example.com"), fileId);
    expect(found).toBeUndefined();
  });

  it("gives the same 404 for foreign and missing file", async () => {
    const otherCustomer = demoUser(data, "kunde2@example.com");
    const customer = demoUser(data, "kunde@example.com");

    for (const [user, id] of [
      [otherCustomer, fileId],
      [customer, crypto.randomUUID()],
    ] as const) {
      const error = await requireFileAccess(getDb(env), user, id).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ data: { message: messages.fileNotFound }, init: { status: 404 } });
    }
  });
});

describe("respondWithFile", () => {
  it("sends whole file inline", async () => {
    const response = await respondWithFile(env.FILES, storedFile, fileRequest());
    expect(response?.status).toBe(200);
    expect(response?.headers.get("Content-Type")).toBe("application/pdf");
    expect(response?.headers.get("Content-Length")).toBe(String(pdf.byteLength));
    expect(response?.headers.get("Accept-Ranges")).toBe("bytes");
    expect(response?.headers.get("Cache-Control")).toBe("private");
    expect(response?.headers.get("Content-Disposition")).toBe(
      `inline; filename="Broschure Au_en.pdf"; filename*=UTF-8''Brosch%C3%BCre%20Au%C3%9Fen.pdf`,
    );
    expect(await bodyOf(response!)).toEqual(pdf);
  });

  it("sends attachment with download=1", async () => {
    const response = await respondWithFile(env.FILES, storedFile, fileRequest({}, "?download=1"));
    expect(response?.headers.get("Content-Disposition")).toMatch(/^attachment; /);
    await response?.body?.cancel();
  });

  it("sends one range with 206", async () => {
    const response = await respondWithFile(env.FILES, storedFile, fileRequest({ Range: "bytes=10-109" }));
    expect(response?.status).toBe(206);
    expect(response?.headers.get("Content-Range")).toBe(`bytes 10-109/${pdf.byteLength}`);
    expect(response?.headers.get("Content-Length")).toBe("100");
    expect(response?.headers.get("Accept-Ranges")).toBe("bytes");
    expect(await bodyOf(response!)).toEqual(pdf.slice(10, 110));
  });

  it("sends open and suffix ranges", async () => {
    const size = pdf.byteLength;
    const open = await respondWithFile(env.FILES, storedFile, fileRequest({ Range: `bytes=${size - 20}-` }));
    expect(open?.status).toBe(206);
    expect(open?.headers.get("Content-Range")).toBe(`bytes ${size - 20}-${size - 1}/${size}`);
    expect(await bodyOf(open!)).toEqual(pdf.slice(size - 20));

    const suffix = await respondWithFile(env.FILES, storedFile, fileRequest({ Range: "bytes=-30" }));
    expect(suffix?.status).toBe(206);
    expect(suffix?.headers.get("Content-Range")).toBe(`bytes ${size - 30}-${size - 1}/${size}`);
    expect(await bodyOf(suffix!)).toEqual(pdf.slice(size - 30));
  });

  it("clips range end to file size", async () => {
    const size = pdf.byteLength;
    const response = await respondWithFile(env.FILES, storedFile, fileRequest({ Range: `bytes=5-${size + 1000}` }));
    expect(response?.status).toBe(206);
    expect(response?.headers.get("Content-Range")).toBe(`bytes 5-${size - 1}/${size}`);
    expect(response?.headers.get("Content-Length")).toBe(String(size - 5));
    expect(await bodyOf(response!)).toEqual(pdf.slice(5));
  });

  it("rejects range beyond end with 416", async () => {
    const response = await respondWithFile(env.FILES, storedFile, fileRequest({ Range: `bytes=${pdf.byteLength}-` }));
    expect(response?.status).toBe(416);
    expect(response?.headers.get("Content-Range")).toBe(`bytes */${pdf.byteLength}`);
    expect(await response?.text()).toBe(messages.fileRangeInvalid);
  });

  it("sends whole file for several ranges", async () => {
    const response = await respondWithFile(env.FILES, storedFile, fileRequest({ Range: "bytes=0-9,20-29" }));
    expect(response?.status).toBe(200);
    expect(await bodyOf(response!)).toEqual(pdf);
  });

  it("honours If-Range", async () => {
    const head = await env.FILES.head(storedFile.r2Key);
    const matching = await respondWithFile(env.FILES, storedFile, fileRequest({ Range: "bytes=0-9", "If-Range": head!.httpEtag }));
    expect(matching?.status).toBe(206);
    await matching?.body?.cancel();

    const stale = await respondWithFile(env.FILES, storedFile, fileRequest({ Range: "bytes=0-9", "If-Range": '"older-version"' }));
    expect(stale?.status).toBe(200);
    expect(await bodyOf(stale!)).toEqual(pdf);
  });

  it("returns null for missing object", async () => {
    const missing = { r2Key: "orders/none/files/none", originalName: "fehlt.pdf" };
    expect(await respondWithFile(env.FILES, missing, fileRequest())).toBeNull();
    expect(await respondWithFile(env.FILES, missing, fileRequest({ Range: "bytes=0-9" }))).toBeNull();
  });
});

describe("getLatestPreflightRun", () => {
  it("returns newest run with empty pages", async () => {
    const db = getDb(env);
    const base = { fileId, state: "done" as const, verdict: "ok" as const, pageCount: 1, findings: [], engineVersion: "0.1.0" };
    await db.insert(preflightRuns).values({ ...base, id: crypto.randomUUID(), createdAt: 1_000 });
    const newest = crypto.randomUUID();
    await db.insert(preflightRuns).values({ ...base, id: newest, verdict: "warning", createdAt: 2_000 });

    const run = await getLatestPreflightRun(db, fileId);
    expect(run?.id).toBe(newest);
    expect(run?.verdict).toBe("warning");
    expect(run?.pages).toEqual([]);
  });

  it("returns undefined without run", async () => {
    expect(await getLatestPreflightRun(getDb(env), crypto.randomUUID())).toBeUndefined();
  });
});
