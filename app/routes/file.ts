import { data } from "react-router";

import { requireUser } from "~/auth/guard.server";
import { cloudflareContext } from "~/cloudflare-context";
import { getDb } from "~/db/client.server";
import { requireFileAccess } from "~/files/access.server";
import { respondWithFile } from "~/files/download.server";
import { withErrorPage } from "~/http/resource-errors.server";
import { messages } from "~/messages";

import type { Route } from "./+types/file";

/** Sends a print file from R2, whole or one byte range. With `?download=1` it comes as an attachment. */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const user = requireUser(context, request);
  const { env } = context.get(cloudflareContext);

  return withErrorPage(request, async () => {
    const { file } = await requireFileAccess(getDb(env), user, params.fileId);

    const response = await respondWithFile(env.FILES, file, request);
    if (!response) {
      console.error("file: R2 object missing", { fileId: file.id, orderId: file.orderId });
      throw data({ message: messages.fileNotFound }, { status: 404 });
    }
    return response;
  });
}
