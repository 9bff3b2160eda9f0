import { redirect } from "react-router";

import { invalidateSession, readSessionToken, serializeBlankSessionCookie, validateSessionToken } from "~/auth/session.server";
import { cloudflareContext } from "~/cloudflare-context";
import { getDb } from "~/db/client.server";

import type { Route } from "./+types/logout";

export function loader() {
  return redirect("/");
}

export async function action({ request, context }: Route.ActionArgs) {
  const { env } = context.get(cloudflareContext);
  const db = getDb(env);

  const token = readSessionToken(request);
  const session = token ? await validateSessionToken(db, token) : null;
  if (session) {
    await invalidateSession(db, session.sessionId);
    console.info("logout: signed out", { userId: session.user.id });
  }

  return redirect("/anmelden", { headers: { "Set-Cookie": serializeBlankSessionCookie(request) } });
}
