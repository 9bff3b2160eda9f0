import * as v from "valibot";

import { messages } from "~/messages";
import { getUploadPolicy } from "~/shop-settings.server";
import { createMultipartUpload } from "~/uploads/multipart.server";
import { methodNotAllowed, parseJsonBody, requireUploadAccess, uploadResponse } from "~/uploads/upload-route.server";

import type { Route } from "./+types/order-uploads";

// POST /auftraege/:orderId/uploads starts a multipart upload. Body (JSON):
// { fileName, size, partSize, contentType?, sha256? }. The content type is
// the browser's guess and only logged: the first part's bytes decide the type.
const createUploadSchema = v.object({
  fileName: v.pipe(v.string(messages.uploadNameMissing), v.minLength(1, messages.uploadNameMissing)),
  size: v.pipe(v.number(messages.uploadLengthMissing), v.safeInteger(messages.uploadLengthMissing)),
  partSize: v.pipe(v.number(messages.uploadRequestInvalid), v.safeInteger(messages.uploadRequestInvalid)),
  contentType: v.optional(v.pipe(v.string(), v.maxLength(255))),
  sha256: v.optional(v.string(messages.uploadChecksumInvalid)),
});

export async function loader() {
  return methodNotAllowed();
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const { user, env, db, order } = await requireUploadAccess(context, params.orderId);
  if (request.method !== "POST") return methodNotAllowed();

  const parsed = await parseJsonBody(request, createUploadSchema);
  if ("response" in parsed) return parsed.response;

  const { fileName, size, partSize, sha256 } = parsed.output;
  const policy = await getUploadPolicy(db);
  const actor = { userId: user.id };
  return uploadResponse(await createMultipartUpload(env, db, order.id, actor, policy, { fileName, size, partSize, sha256 }));
}
