import type { MiddlewareFunction } from "react-router";

import { cloudflareContext } from "~/cloudflare-context";
import { getDb } from "~/db/client.server";

import {
  readSessionToken,
  serializeBlankSessionCookie,
  serializeSessionCookie,
  SESSION_COOKIE,
  validateSessionToken,
} from "./session.server";
import { userContext } from "./user-context";

/**
 * Resolves the session cookie into the signed-in user, renews the cookie
 * when the session's expiry moved forward, and clears a cookie that no
 * longer names a valid session (expired, signed out elsewhere, or forged).
 */
export const sessionMiddleware: MiddlewareFunction<Response> = async ({ request, context }, next) => {
  const token = readSessionToken(request);
  if (!token) return next();

  const { env } = context.get(cloudflareContext);
  const session = await validateSessionToken(getDb(env), token);
  context.set(userContext, session?.user ?? null);

  const response = await next();

  // A login or logout sets the cookie itself; that one must win.
  const routeSetsCookie = response.headers.getSetCookie().some((cookie) => cookie.startsWith(`${SESSION_COOKIE}=`));
  if (routeSetsCookie) return response;

  if (!session) {
    response.headers.append("Set-Cookie", serializeBlankSessionCookie(request));
  } else if (session.renewedExpiresAt !== null) {
    response.headers.append("Set-Cookie", serializeSessionCookie(request, token, session.renewedExpiresAt));
  }
  return response;
};
