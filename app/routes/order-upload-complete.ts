import { data } from "react-router";

import { messages } from "~/messages";
import { completeMultipartUpload } from "~/uploads/multipart.server";
import { completeUploadSchema } from "~/uploads/upload-schemas";
import { methodNotAllowed, parseJsonBody, requireUploadAccess, uploadResponse } from "~/uploads/upload-route.server";

import type { Route } from "./+types/order-upload-complete";

// POST /auftraege/:orderId/uploads/:uploadId/complete with { sha256 } (JSON).

export async function loader() {
  return methodNotAllowed();
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const { env, db, order } = await requireUploadAccess(context, params.orderId);
  if (request.method !== "POST") return methodNotAllowed();

  const parsed = await parseJsonBody(request, completeUploadSchema);
  if ("response" in parsed) return parsed.response;

  const result = await completeMultipartUpload(env, db, {
    scope: { orderId: order.id },
    uploadId: params.uploadId,
    sha256: parsed.output.sha256,
  });
  if (!result.ok) return uploadResponse(result);
  return data({ ok: true as const, ...result.body, message: messages.uploadSucceeded }, { status: result.status });
}
