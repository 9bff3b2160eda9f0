// Cross-site request forgery protection: a request that changes state must
// come from a page of the portal itself. Browsers send the Origin header on
// every POST, PUT, PATCH and DELETE, for form submissions and fetch() alike.

const STATE_CHANGING_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export const foreignOriginMessage =
  "Die Anfrage wurde abgelehnt, weil sie nicht von einer Seite des Kundenportals kommt. Bitte laden Sie die Seite neu und versuchen Sie es noch einmal.";

export type OriginCheck = { ok: true } | { ok: false; reason: "missing" | "foreign" | "null" };

/**
 * Checks the Origin header of a request. Safe methods always pass. A
 * state-changing request passes only when its Origin equals the origin of
 * the request URL. `Origin: null` fails like a foreign one: browsers send it
 * from sandboxed frames, after a redirect from another site, and from a page
 * served with `Referrer-Policy: no-referrer`. A page that must hide its URL
 * (a password link) therefore needs `Referrer-Policy: same-origin`, which
 * keeps the URL inside the portal and the Origin header intact.
 *
 * A WebSocket handshake is a GET, but a socket to an order room posts chat
 * messages, so a handshake with another Origin fails too. One without Origin
 * passes, because browsers always send it and the session check still applies.
 */
export function checkRequestOrigin(request: Request): OriginCheck {
  const origin = request.headers.get("Origin");
  const ownOrigin = new URL(request.url).origin;

  if (isWebSocketHandshake(request)) {
    return origin === null || origin === ownOrigin ? { ok: true } : { ok: false, reason: "foreign" };
  }
  if (!STATE_CHANGING_METHODS.has(request.method.toUpperCase())) return { ok: true };

  if (origin === null) return { ok: false, reason: "missing" };
  if (origin === "null") return { ok: false, reason: "null" };
  return origin === ownOrigin ? { ok: true } : { ok: false, reason: "foreign" };
}

/**
 * Returns the 403 response for a request that fails the Origin check and
 * logs it, or null when the request passes. Pages get the message as text,
 * scripts as `{ ok: false, message }` like the portal's other JSON errors.
 */
export function rejectCrossOriginRequest(request: Request): Response | null {
  const check = checkRequestOrigin(request);
  if (check.ok) return null;

  console.warn("security: request rejected, origin check failed", {
    method: request.method,
    path: redactTokens(new URL(request.url).pathname),
    reason: check.reason,
    origin: request.headers.get("Origin"),
    secFetchSite: request.headers.get("Sec-Fetch-Site"),
  });

  const headers = { "Cache-Control": "no-store" };
  if ((request.headers.get("Accept") ?? "").includes("text/html")) {
    return new Response(foreignOriginMessage, { status: 403, headers: { ...headers, "Content-Type": "text/plain; charset=utf-8" } });
  }
  return Response.json({ ok: false, message: foreignOriginMessage }, { status: 403, headers });
}

/** Replaces the token of a password or share link in a path, so that logs never contain one. */
function redactTokens(pathname: string): string {
  return pathname.replace(/^\/(passwort|hochladen)\/[^/]+/, "/$1/<token>");
}

function isWebSocketHandshake(request: Request): boolean {
  return request.method === "GET" && request.headers.get("Upgrade")?.toLowerCase() === "websocket";
}
