import { eq } from "drizzle-orm";
import { data, redirect } from "react-router";

import { findAccessibleOrder, requireUser } from "~/auth/guard.server";
import { cloudflareContext } from "~/cloudflare-context";
import { contentDisposition } from "~/content-disposition";
import { getDb } from "~/db/client.server";
import { documents } from "~/db/schema";
import { withErrorPage } from "~/http/resource-errors.server";
import { messages } from "~/messages";

import type { Route } from "./+types/document";

/**
 * Opens a document of an order in the browser: from R2, or by redirect when
 * the shop linked it. `?download=1` makes the browser save the file under
 * its original name instead of showing it.
 */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const user = requireUser(context, request);
  const { env } = context.get(cloudflareContext);
  const db = getDb(env);

  return withErrorPage(request, async () => {
    const document = await db.select().from(documents).where(eq(documents.id, params.documentId)).get();
    const order = document ? await findAccessibleOrder(db, user, document.orderId) : undefined;
    if (!document || !order) throw data({ message: messages.documentNotFound }, { status: 404 });

    if (!document.r2Key) {
      if (document.url) return redirect(document.url);
      throw data({ message: messages.documentNotFound }, { status: 404 });
    }

    const download = new URL(request.url).searchParams.get("download") === "1";
    const object = await env.FILES.get(document.r2Key);
    if (!object) {
      console.error("document: R2 object missing", { documentId: document.id, orderId: document.orderId });
      throw data({ message: messages.documentNotFound }, { status: 404 });
    }

    return new Response(object.body, {
      headers: {
        "Content-Type": object.httpMetadata?.contentType ?? "application/pdf",
        "Content-Length": String(object.size),
        "Content-Disposition": contentDisposition(download ? "attachment" : "inline", document.fileName),
        "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff",
      },
    });
  });
}
