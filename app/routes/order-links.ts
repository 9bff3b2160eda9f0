import { data } from "react-router";

import { sharePagePath } from "~/share-page/view";
import { parseShareLinkForm, shareLinkBaseUrl } from "~/share-links/form.server";
import { createShareLink } from "~/share-links/links.server";
import { shareLinkMessages } from "~/share-links/messages";
import { getUploadPolicy } from "~/shop-settings.server";
import { methodNotAllowed, requireUploadAccess } from "~/uploads/upload-route.server";

import type { Route } from "./+types/order-links";

// POST /auftraege/:orderId/links creates a share link (form fields label,
// showLabel, expiresInDays, maxMegabytes) and returns its URL, the only time
// the URL is shown.

export async function loader() {
  return methodNotAllowed();
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const { user, env, db, order } = await requireUploadAccess(context, params.orderId);
  if (request.method !== "POST") return methodNotAllowed();

  const policy = await getUploadPolicy(db);
  const form = parseShareLinkForm(Object.fromEntries(await request.formData()));
  if (!form.ok) return data({ ok: false as const, message: form.message }, { status: 400 });

  const result = await createShareLink(db, order, user, form.value, policy);
  if (!result.ok) return data({ ok: false as const, message: result.message }, { status: result.status });

  const { link, token } = result.value;
  return data(
    {
      ok: true as const,
      message: shareLinkMessages.created,
      link: { id: link.id, label: link.label, expiresAt: link.expiresAt, url: `${shareLinkBaseUrl(request, env)}${sharePagePath(token)}` },
    },
    { status: 201 },
  );
}
