import { data, type RouterContextProvider } from "react-router";
import type * as v from "valibot";

import { requireOrderAccess } from "~/auth/guard.server";
import { userContext } from "~/auth/user-context";
import { cloudflareContext } from "~/cloudflare-context";
import { getDb } from "~/db/client.server";
import { messages } from "~/messages";

import type { MultipartResult } from "./multipart.server";
import { readJsonBody } from "./upload-schemas";

/**
 * Returns the signed-in user, the bindings and the order for a resource
 * route of the order (uploads, share links). Throws 401 without a session,
 * and the same 404 as the order page for an order the user may not see.
 */
export async function requireUploadAccess(context: Readonly<RouterContextProvider>, orderId: string) {
  const user = context.get(userContext);
  if (!user) throw data({ ok: false, message: messages.notSignedIn }, { status: 401 });

  const { env } = context.get(cloudflareContext);
  const db = getDb(env);
  const order = await requireOrderAccess(db, user, orderId);
  return { user, env, db, order };
}

/** Returns the 409 response for a new upload into a withdrawn offer, or null when the order takes uploads. */
export function rejectUploadIntoWithdrawn(order: { id: string; status: string }) {
  if (order.status !== "withdrawn") return null;
  console.info("upload: rejected, order withdrawn", { orderId: order.id });
  return data({ ok: false as const, message: messages.uploadOrderWithdrawn }, { status: 409 });
}

/** Turns a multipart result into the JSON response: `{ ok: true, ...body }` or `{ ok: false, message }`. */
export function uploadResponse<T extends object>(result: MultipartResult<T>) {
  if (!result.ok) return data({ ok: false as const, message: result.message }, { status: result.status });
  return data({ ok: true as const, ...result.body }, { status: result.status });
}

export function methodNotAllowed() {
  return data({ ok: false as const, message: messages.uploadRequestInvalid }, { status: 405 });
}

/** Reads a JSON request body with the schema; a 400 response carries the German message of the first problem. */
export async function parseJsonBody<TSchema extends v.GenericSchema>(
  request: Request,
  schema: TSchema,
): Promise<{ output: v.InferOutput<TSchema> } | { response: ReturnType<typeof data> }> {
  const parsed = await readJsonBody(request, schema);
  if (!parsed.ok) return { response: data({ ok: false as const, message: parsed.message }, { status: 400 }) };
  return { output: parsed.output };
}
