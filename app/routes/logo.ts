import { data } from "react-router";

import { respondWithImage } from "~/admin/images.server";
import { cloudflareContext } from "~/cloudflare-context";
import { getDb } from "~/db/client.server";
import { messages } from "~/messages";
import { getShopLogo } from "~/shop-settings.server";

import type { Route } from "./+types/logo";

// Public, because the header shows the logo on the login page too. Pages
// link it with the key as a version parameter, so a short cache time is
// enough to pick up a new logo.
const LOGO_CACHE_CONTROL = "public, max-age=300";

export async function loader({ request, context }: Route.LoaderArgs) {
  const { env } = context.get(cloudflareContext);

  const logo = await getShopLogo(getDb(env));
  const response = logo ? await respondWithImage(env.FILES, logo, request, LOGO_CACHE_CONTROL) : null;
  if (!response) throw data({ message: messages.pageNotFound }, { status: 404 });
  return response;
}
