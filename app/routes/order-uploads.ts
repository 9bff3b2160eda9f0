import { getUploadPolicy } from "~/shop-settings.server";
import { createMultipartUpload } from "~/uploads/multipart.server";
import { createUploadSchema } from "~/uploads/upload-schemas";
import {
  methodNotAllowed,
  parseJsonBody,
  rejectUploadIntoWithdrawn,
  requireUploadAccess,
  uploadResponse,
} from "~/uploads/upload-route.server";

import type { Route } from "./+types/order-uploads";

// POST /auftraege/:orderId/uploads starts a multipart upload. Body (JSON):
// { fileName, size, partSize, contentType?, sha256? }.

export async function loader() {
  return methodNotAllowed();
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const { user, env, db, order } = await requireUploadAccess(context, params.orderId);
  if (request.method !== "POST") return methodNotAllowed();
  const withdrawn = rejectUploadIntoWithdrawn(order);
  if (withdrawn) return withdrawn;

  const parsed = await parseJsonBody(request, createUploadSchema);
  if ("response" in parsed) return parsed.response;

  const { fileName, size, partSize, sha256 } = parsed.output;
  const policy = await getUploadPolicy(db);
  const actor = { userId: user.id };
  return uploadResponse(await createMultipartUpload(env, db, order.id, actor, policy, { fileName, size, partSize, sha256 }));
}
