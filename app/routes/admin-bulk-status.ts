import { data, redirect } from "react-router";

import { runBulkStatusChange } from "~/admin/offers-bulk.server";
import { requireStaff } from "~/auth/guard.server";
import { cloudflareContext } from "~/cloudflare-context";
import { getDb } from "~/db/client.server";
import { messages } from "~/messages";

import type { Route } from "./+types/admin-bulk-status";

/** Rejects a GET with 404, because the bulk form lives on the overview and only posts here. */
export function loader(_args: Route.LoaderArgs) {
  throw data({ message: messages.pageNotFound }, { status: 404 });
}

/** Changes the state of the orders ticked on the overview and returns to the same overview view with the result. */
export async function action({ request, context }: Route.ActionArgs) {
  const user = requireStaff(context, request);
  const { env } = context.get(cloudflareContext);

  const result = await runBulkStatusChange(env, getDb(env), user, await request.formData());
  if (!result.ok) throw data({ message: result.message }, { status: result.status });
  return redirect(result.location);
}
