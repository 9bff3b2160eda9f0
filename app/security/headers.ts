import { buildContentSecurityPolicy } from "./csp";

/**
 * Returns the response with the portal's security headers. A header the
 * response already has wins, so the share page keeps its own stricter policy
 * and a route can set `Referrer-Policy: no-referrer`. The caller must not
 * pass the 101 response of a WebSocket upgrade, because a copy loses its socket.
 */
export function withSecurityHeaders(response: Response, nonce: string, { development = false } = {}): Response {
  // A copy, because responses from fetch() or a Durable Object have immutable headers.
  const secured = new Response(response.body, response);
  const defaults: Record<string, string> = {
    "Content-Security-Policy": buildContentSecurityPolicy(nonce, { development }),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    // For browsers without CSP frame-ancestors.
    "X-Frame-Options": "DENY",
  };

  for (const [name, value] of Object.entries(defaults)) {
    if (!secured.headers.has(name)) secured.headers.set(name, value);
  }
  return secured;
}
