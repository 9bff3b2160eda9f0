import { and, eq, ne } from "drizzle-orm";

import type { SessionUser } from "~/auth/session.server";
import type { Database } from "~/db/client.server";
import { users } from "~/db/schema";

import type { ImageType } from "./images";

export interface StoredImage {
  r2Key: string;
  contentType: string;
}

/** Stores an image under a new R2 key, so that no cache serves an older image in its place. */
export async function putImage(bucket: R2Bucket, prefix: string, bytes: Uint8Array, contentType: ImageType): Promise<StoredImage> {
  const r2Key = `${prefix}/${crypto.randomUUID()}`;
  await bucket.put(r2Key, bytes, { httpMetadata: { contentType } });
  return { r2Key, contentType };
}

/**
 * Sends a stored image with its ETag. A request whose If-None-Match names
 * the stored version gets 304 without a body. Returns null when the R2
 * object is missing.
 */
export async function respondWithImage(
  bucket: R2Bucket,
  image: StoredImage,
  request: Request,
  cacheControl: string,
): Promise<Response | null> {
  const ifNoneMatch = request.headers.get("If-None-Match");
  // Only If-None-Match is passed on, because R2 returns an object without body for other failed conditions too, which would wrongly become a 304.
  const object = await bucket.get(image.r2Key, ifNoneMatch ? { onlyIf: new Headers({ "If-None-Match": ifNoneMatch }) } : undefined);
  if (!object) return null;

  const headers = new Headers({
    "Content-Type": image.contentType,
    "Cache-Control": cacheControl,
    ETag: object.httpEtag,
    "X-Content-Type-Options": "nosniff",
  });
  if (!("body" in object)) return new Response(null, { status: 304, headers });

  headers.set("Content-Length", String(object.size));
  return new Response(object.body, { status: 200, headers });
}

/** Loads the photo of an active staff member; null for customers, unknown ids and staff without a photo. */
export async function findStaffPhoto(db: Database, userId: string): Promise<StoredImage | null> {
  const row = await db
    .select({ r2Key: users.photoR2Key, contentType: users.photoContentType })
    .from(users)
    .where(and(eq(users.id, userId), ne(users.role, "customer"), eq(users.active, true)))
    .get();
  if (!row?.r2Key || !row.contentType) return null;
  return { r2Key: row.r2Key, contentType: row.contentType };
}

/**
 * Replaces the staff member's photo, or removes it when `image` is null. The
 * new object is stored before the row points to it, and the old object is
 * deleted after.
 */
export async function setStaffPhoto(
  env: Pick<Env, "FILES">,
  db: Database,
  user: SessionUser,
  image: { bytes: Uint8Array; contentType: ImageType } | null,
): Promise<void> {
  const previous = await db.select({ r2Key: users.photoR2Key }).from(users).where(eq(users.id, user.id)).get();
  const stored = image ? await putImage(env.FILES, `staff/${user.id}/photo`, image.bytes, image.contentType) : null;

  await db
    .update(users)
    .set({ photoR2Key: stored?.r2Key ?? null, photoContentType: stored?.contentType ?? null })
    .where(eq(users.id, user.id));
  if (previous?.r2Key) await env.FILES.delete(previous.r2Key);

  console.info(stored ? "profile: staff photo stored" : "profile: staff photo removed", { userId: user.id, r2Key: stored?.r2Key ?? null });
}
