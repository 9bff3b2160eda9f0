import { abortMultipartUpload, getMultipartUpload } from "~/uploads/multipart.server";
import { methodNotAllowed, requireUploadAccess, uploadResponse } from "~/uploads/upload-route.server";

import type { Route } from "./+types/order-upload";

// GET /auftraege/:orderId/uploads/:uploadId returns the upload with its
// finished parts, for resuming; DELETE aborts it.

export async function loader({ params, context }: Route.LoaderArgs) {
  const { db, order } = await requireUploadAccess(context, params.orderId);
  return uploadResponse(await getMultipartUpload(db, { orderId: order.id }, params.uploadId));
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const { env, db, order } = await requireUploadAccess(context, params.orderId);
  if (request.method !== "DELETE") return methodNotAllowed();
  return uploadResponse(await abortMultipartUpload(env, db, { orderId: order.id }, params.uploadId));
}
