import { data } from "react-router";

import { messages } from "~/messages";
import { uploadPart } from "~/uploads/multipart.server";
import { methodNotAllowed, requireUploadAccess, uploadResponse } from "~/uploads/upload-route.server";

import type { Route } from "./+types/order-upload-part";

// PUT /auftraege/:orderId/uploads/:uploadId/parts/:partNumber carries one part
// as the raw request body, streamed to R2.

export async function loader() {
  return methodNotAllowed();
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const { env, db, order } = await requireUploadAccess(context, params.orderId);
  if (request.method !== "PUT") return methodNotAllowed();

  const partNumber = /^\d{1,5}$/.test(params.partNumber) ? Number(params.partNumber) : Number.NaN;
  const lengthHeader = request.headers.get("Content-Length");
  const contentLength = lengthHeader !== null && /^\d+$/.test(lengthHeader) ? Number(lengthHeader) : null;
  if (contentLength === null) return data({ ok: false as const, message: messages.uploadLengthMissing }, { status: 400 });

  const body = request.body ?? new ReadableStream<Uint8Array>({ start: (controller) => controller.close() });
  return uploadResponse(
    await uploadPart(env, db, { scope: { orderId: order.id }, uploadId: params.uploadId, partNumber, contentLength, body }),
  );
}
