import * as v from "valibot";

import { getDb, type Database } from "~/db/client.server";
import { messages } from "~/messages";
import { renderSharePage } from "~/share-page/render";
import { MAX_UPLOADER_NAME_CHARS, type SharePageView } from "~/share-page/view";
import { blockedMinutes, clientKeyOf, recordFailure } from "~/share-links/guard.server";
import { linkUploadPolicy, resolveShareLink, type ShareLinkRow } from "~/share-links/links.server";
import { neutralUploadMessage, shareLinkMessages } from "~/share-links/messages";
import { getUploadPolicy } from "~/shop-settings.server";
import {
  abortMultipartUpload,
  completeMultipartUpload,
  createMultipartUpload,
  getMultipartUpload,
  uploadPart,
  type MultipartResult,
  type UploadScope,
} from "~/uploads/multipart.server";
import { CONTROL_CHARACTERS } from "~/uploads/file-name";
import { completeUploadSchema, createUploadSchema, readJsonBody } from "~/uploads/upload-schemas";

// The neutral upload page of a share link and its upload API, served before
// React Router so that no portal session is read and no cookie is set:
//
//   GET    /hochladen/<token>                                  the page
//   POST   /hochladen/<token>/uploads                          create an upload
//   GET    /hochladen/<token>/uploads/<uploadId>               its finished parts
//   DELETE /hochladen/<token>/uploads/<uploadId>               abort it
//   PUT    /hochladen/<token>/uploads/<uploadId>/parts/<n>     one part
//   POST   /hochladen/<token>/uploads/<uploadId>/complete      complete it
//
// The upload API is the order's multipart protocol, scoped to the link: a
// link can read, continue or abort only the uploads started through it. When SHARE_HOST names a separate host, that
// host serves these paths and nothing else.

export const SHARE_SCRIPT_URL = "/share/upload.js";

const SHARE_PATH = /^\/hochladen\/([^/]+)(?:\/uploads(?:\/([0-9a-f-]{36})(?:\/(parts\/(\d{1,5})|complete))?)?)?\/?$/;

const shareCreateSchema = v.object({
  ...createUploadSchema.entries,
  uploaderName: v.optional(
    v.pipe(
      v.string(),
      v.maxLength(MAX_UPLOADER_NAME_CHARS, shareLinkMessages.uploaderNameTooLong),
      v.check((name) => !CONTROL_CHARACTERS.test(name), shareLinkMessages.uploaderNameInvalid),
    ),
  ),
});

type ShareEnvironment = Pick<Env, "DB" | "FILES" | "PREFLIGHT_QUEUE" | "OrderRoom" | "StaffFeed"> & {
  SHARE_HOST?: string;
  FILE_RETENTION_DAYS?: string;
  FILE_STORAGE_REGION?: string;
};

const SECURITY_HEADERS = {
  "Content-Security-Policy":
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'",
  "Referrer-Policy": "no-referrer",
  "X-Content-Type-Options": "nosniff",
  "X-Robots-Tag": "noindex",
  "Cache-Control": "no-store",
};

function page(view: SharePageView, status: number): Response {
  return new Response(renderSharePage(view), {
    status,
    headers: { ...SECURITY_HEADERS, "Content-Type": "text/html; charset=utf-8" },
  });
}

function json(body: object, status: number, extra: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { ...SECURITY_HEADERS, ...extra } });
}

function multipartResponse<T extends object>(result: MultipartResult<T>, extra: object = {}): Response {
  if (!result.ok) return json({ ok: false, message: neutralUploadMessage(result.message) }, result.status);
  return json({ ok: true, ...result.body, ...extra }, result.status);
}

/** True when the request is for the share host configured by SHARE_HOST. */
function onShareHost(request: Request, env: ShareEnvironment): boolean {
  return Boolean(env.SHARE_HOST) && new URL(request.url).host === env.SHARE_HOST;
}

/**
 * Handles share-link requests and returns null for every other path, which
 * the portal then serves. On the separate share host, other paths get the
 * neutral invalid page.
 */
export async function routeShareRequest(request: Request, env: ShareEnvironment): Promise<Response | null> {
  const url = new URL(request.url);
  if (!url.pathname.startsWith("/hochladen/")) return onShareHost(request, env) ? page({ kind: "invalid" }, 404) : null;
  const match = SHARE_PATH.exec(url.pathname);
  if (!match) return page({ kind: "invalid" }, 404);

  const [, token, uploadId, partOrComplete, partNumber] = match;
  const isApi = url.pathname.includes("/uploads");
  const db = getDb(env);
  const clientKey = clientKeyOf(request);

  const minutes = await blockedMinutes(db, clientKey);
  if (minutes !== null) {
    console.warn("share link: client blocked after failed lookups", { retryAfterMinutes: minutes });
    const retryAfter = { "Retry-After": String(minutes * 60) };
    if (isApi) return json({ ok: false, message: shareLinkMessages.rateLimited(minutes) }, 429, retryAfter);
    return new Response(renderSharePage({ kind: "rate-limited", retryAfterMinutes: minutes }), {
      status: 429,
      headers: { ...SECURITY_HEADERS, ...retryAfter, "Content-Type": "text/html; charset=utf-8" },
    });
  }

  const link = await resolveShareLink(db, token);
  if (!link) {
    await recordFailure(db, clientKey);
    console.info("share link: invalid token used", { path: isApi ? "api" : "page" });
    if (isApi) return json({ ok: false, message: shareLinkMessages.invalid }, 404);
    return page({ kind: "invalid" }, 404);
  }

  if (!isApi) {
    if (request.method !== "GET" && request.method !== "HEAD") return json({ ok: false, message: messages.uploadRequestInvalid }, 405);
    return page(await uploadView(env, db, link, token, url.protocol === "https:"), 200);
  }
  return handleUploadApi(request, env, db, link, { uploadId, partOrComplete, partNumber });
}

async function uploadView(
  env: ShareEnvironment,
  db: Database,
  link: ShareLinkRow,
  token: string,
  encryptedTransfer: boolean,
): Promise<SharePageView> {
  const policy = linkUploadPolicy(link, await getUploadPolicy(db));
  const retentionDays = Number(env.FILE_RETENTION_DAYS);
  return {
    kind: "upload",
    token,
    label: link.showLabel ? link.label : null,
    expiresAt: link.expiresAt,
    maxBytes: policy.maxBytes,
    acceptedTypes: [...policy.acceptedTypes],
    retentionDays: Number.isInteger(retentionDays) && retentionDays > 0 ? retentionDays : null,
    storageRegion: env.FILE_STORAGE_REGION || null,
    encryptedTransfer,
    scriptUrl: SHARE_SCRIPT_URL,
  };
}

async function handleUploadApi(
  request: Request,
  env: ShareEnvironment,
  db: Database,
  link: ShareLinkRow,
  path: { uploadId?: string; partOrComplete?: string; partNumber?: string },
): Promise<Response> {
  const scope: UploadScope = { orderId: link.orderId, shareLinkId: link.id };
  const method = request.method;

  if (!path.uploadId) {
    if (method !== "POST") return json({ ok: false, message: messages.uploadRequestInvalid }, 405);
    const parsed = await readJsonBody(request, shareCreateSchema);
    if (!parsed.ok) return json({ ok: false, message: parsed.message }, 400);

    const { fileName, size, partSize, sha256, uploaderName } = parsed.output;
    const actor = { userId: link.createdBy, shareLinkId: link.id, uploaderName: uploaderName?.normalize("NFC").trim() || null };
    const policy = linkUploadPolicy(link, await getUploadPolicy(db));
    return multipartResponse(await createMultipartUpload(env, db, link.orderId, actor, policy, { fileName, size, partSize, sha256 }));
  }

  if (!path.partOrComplete) {
    if (method === "GET") return multipartResponse(await getMultipartUpload(db, scope, path.uploadId));
    if (method === "DELETE") return multipartResponse(await abortMultipartUpload(env, db, scope, path.uploadId));
    return json({ ok: false, message: messages.uploadRequestInvalid }, 405);
  }

  if (path.partOrComplete === "complete") {
    if (method !== "POST") return json({ ok: false, message: messages.uploadRequestInvalid }, 405);
    const parsed = await readJsonBody(request, completeUploadSchema);
    if (!parsed.ok) return json({ ok: false, message: parsed.message }, 400);
    const result = await completeMultipartUpload(env, db, { scope, uploadId: path.uploadId, sha256: parsed.output.sha256 });
    return multipartResponse(result, result.ok ? { message: messages.uploadSucceeded } : {});
  }

  if (method !== "PUT") return json({ ok: false, message: messages.uploadRequestInvalid }, 405);
  const lengthHeader = request.headers.get("Content-Length");
  const contentLength = lengthHeader !== null && /^\d+$/.test(lengthHeader) ? Number(lengthHeader) : null;
  if (contentLength === null) return json({ ok: false, message: messages.uploadLengthMissing }, 400);

  const body = request.body ?? new ReadableStream<Uint8Array>({ start: (controller) => controller.close() });
  const partNumber = Number(path.partNumber);
  return multipartResponse(await uploadPart(env, db, { scope, uploadId: path.uploadId, partNumber, contentLength, body }));
}
