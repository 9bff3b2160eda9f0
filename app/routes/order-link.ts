import { data } from "react-router";

import { revokeShareLink } from "~/share-links/links.server";
import { shareLinkMessages } from "~/share-links/messages";
import { methodNotAllowed, requireUploadAccess } from "~/uploads/upload-route.server";

import type { Route } from "./+types/order-link";

// POST /auftraege/:orderId/links/:linkId/widerrufen revokes a share link.

export async function loader() {
  return methodNotAllowed();
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const { user, db, order } = await requireUploadAccess(context, params.orderId);
  if (request.method !== "POST") return methodNotAllowed();

  const result = await revokeShareLink(db, order.id, params.linkId, user);
  if (!result.ok) return data({ ok: false as const, message: result.message }, { status: result.status });
  return data({ ok: true as const, message: shareLinkMessages.revoked, linkId: result.value.id });
}
