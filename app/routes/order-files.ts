import { data } from "react-router";
import * as v from "valibot";

import { requireOrderAccess } from "~/auth/guard.server";
import { userContext } from "~/auth/user-context";
import { cloudflareContext } from "~/cloudflare-context";
import { getDb } from "~/db/client.server";
import { messages } from "~/messages";
import { getUploadPolicy } from "~/shop-settings.server";
import { storePrintFile } from "~/uploads/store-print-file.server";
import { rejectUploadIntoWithdrawn } from "~/uploads/upload-route.server";

import type { Route } from "./+types/order-files";

// One print file per request, sent as the raw request body (not as a form)
// so that the Worker can stream it to R2. The browser names the file in a
// percent-encoded header and sends one upload id per chosen file, which
// makes a repeated request harmless.
const uploadHeadersSchema = v.object({
  uploadId: v.pipe(v.string(messages.uploadIdInvalid), v.uuid(messages.uploadIdInvalid)),
  fileName: v.pipe(
    v.string(messages.uploadNameMissing),
    v.transform((name) => decodeFileName(name)),
    v.string(messages.uploadNameMissing),
    v.trim(),
    v.minLength(1, messages.uploadNameMissing),
    v.maxLength(255, messages.uploadNameMissing),
  ),
  size: v.pipe(
    v.string(messages.uploadLengthMissing),
    v.regex(/^\d+$/, messages.uploadLengthMissing),
    v.transform(Number),
    v.safeInteger(messages.uploadLengthMissing),
  ),
});

function decodeFileName(encoded: string): string | null {
  try {
    return decodeURIComponent(encoded).normalize("NFC");
  } catch {
    return null;
  }
}

export function loader() {
  throw data({ message: "Dateien werden auf der Auftragsseite hochgeladen." }, { status: 405 });
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const user = context.get(userContext);
  if (!user) return data({ ok: false, message: messages.notSignedIn }, { status: 401 });
  if (request.method !== "PUT") return data({ ok: false, message: messages.uploadFailed }, { status: 405 });

  const { env } = context.get(cloudflareContext);
  const db = getDb(env);
  const order = await requireOrderAccess(db, user, params.orderId);
  const withdrawn = rejectUploadIntoWithdrawn(order);
  if (withdrawn) return withdrawn;

  const parsed = v.safeParse(uploadHeadersSchema, {
    uploadId: request.headers.get("X-Upload-Id") ?? undefined,
    fileName: request.headers.get("X-File-Name") ?? undefined,
    size: request.headers.get("Content-Length") ?? undefined,
  });
  if (!parsed.success) return data({ ok: false, message: parsed.issues[0].message }, { status: 400 });

  const { uploadId, fileName, size } = parsed.output;
  const body = request.body ?? new ReadableStream<Uint8Array>({ start: (controller) => controller.close() });
  const { maxBytes } = await getUploadPolicy(db);
  const result = await storePrintFile(env, db, { orderId: order.id, uploadId, fileName, size, body, user, maxBytes });

  if (!result.ok) return data({ ok: false, message: result.message }, { status: result.status });
  return data(
    { ok: true, fileId: result.fileId, duplicate: result.duplicate, message: messages.uploadSucceeded },
    { status: result.duplicate ? 200 : 201 },
  );
}
