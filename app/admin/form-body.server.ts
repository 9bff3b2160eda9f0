// Reading a form with an image upload while keeping the request body small.
//
// A Worker that responds before it has read the request body makes the local
// dev and preview server fail with "TypeError: fetch failed", so the browser
// gets a 500 in place of the response. Seen with miniflare 5.20261012 under
// `vite preview`, which forwards requests to workerd with undici. So the
// body is always read to its end, also when it is too large to keep.

/** Result of `readFormDataWithin`: the parsed form, or "too-large" once the whole body has been read and dropped. */
export type LimitedFormData = { ok: true; form: FormData } | { ok: false; reason: "too-large" };

/**
 * Reads a request's form data when its body has at most `maxBytes`. A larger
 * body is read to its end and dropped, so that the response is never sent
 * before the client has sent everything.
 */
export async function readFormDataWithin(request: Request, maxBytes: number): Promise<LimitedFormData> {
  if (!request.body) return { ok: true, form: await request.formData() };

  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received <= maxBytes) chunks.push(value);
    else chunks.length = 0;
  }
  if (received > maxBytes) return { ok: false, reason: "too-large" };

  const body = new Uint8Array(received);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  const contentType = request.headers.get("Content-Type") ?? "";
  return { ok: true, form: await new Response(body, { headers: { "Content-Type": contentType } }).formData() };
}
