import * as v from "valibot";

import { messages } from "~/messages";

// Request bodies of the multipart upload protocol, shared by the order's
// upload routes and the share-link routes.

/**
 * Creating an upload. The content type is the browser's guess and only
 * logged: the first part's bytes decide the type.
 */
export const createUploadSchema = v.object({
  fileName: v.pipe(v.string(messages.uploadNameMissing), v.minLength(1, messages.uploadNameMissing)),
  size: v.pipe(v.number(messages.uploadLengthMissing), v.safeInteger(messages.uploadLengthMissing)),
  partSize: v.pipe(v.number(messages.uploadRequestInvalid), v.safeInteger(messages.uploadRequestInvalid)),
  contentType: v.optional(v.pipe(v.string(), v.maxLength(255))),
  sha256: v.optional(v.string(messages.uploadChecksumInvalid)),
});

export const completeUploadSchema = v.object({
  sha256: v.string(messages.uploadChecksumInvalid),
});

export type JsonBodyResult<T> = { ok: true; output: T } | { ok: false; message: string };

/** Reads a JSON request body and parses it with the schema; a failure carries the German message of the first problem. */
export async function readJsonBody<TSchema extends v.GenericSchema>(
  request: Request,
  schema: TSchema,
): Promise<JsonBodyResult<v.InferOutput<TSchema>>> {
  let json: unknown;
  try {
    json = await request.json();
  } catch {
    return { ok: false, message: messages.uploadRequestInvalid };
  }

  const parsed = v.safeParse(schema, json);
  if (!parsed.success) return { ok: false, message: parsed.issues[0].message };
  return { ok: true, output: parsed.output };
}
