import { data } from "react-router";

import { findStaffPhoto, respondWithImage } from "~/admin/images.server";
import { requireUser } from "~/auth/guard.server";
import { cloudflareContext } from "~/cloudflare-context";
import { getDb } from "~/db/client.server";
import { messages } from "~/messages";

import type { Route } from "./+types/staff-photo";

const PHOTO_CACHE_CONTROL = "private, max-age=60";

/** Sends a staff member's photo to any signed-in user; customers see it beside their order manager's details. */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  requireUser(context, request);
  const { env } = context.get(cloudflareContext);

  const photo = await findStaffPhoto(getDb(env), params.userId);
  const response = photo ? await respondWithImage(env.FILES, photo, request, PHOTO_CACHE_CONTROL) : null;
  if (!response) throw data({ message: messages.pageNotFound }, { status: 404 });
  return response;
}
