// The portal's Content-Security-Policy. Scripts load only from the portal's
// own origin, and the inline scripts React Router writes for hydration carry
// a nonce that is new for every response.

/** Creates a nonce for one response: 16 random bytes in base64. */
export function createNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

/**
 * Builds the Content-Security-Policy header value for a response whose
 * inline scripts carry `nonce`. `development` is for Vite's dev server.
 *
 * - `style-src-attr 'unsafe-inline'` allows `style` attributes but no
 *   `<style>` elements. The server-rendered report page needs it for the
 *   aspect ratio of page pictures that are still loading.
 * - `img-src data: blob:` allows pictures that scripts create in the
 *   browser. pdf.js loads its worker from the portal's own origin, so
 *   `worker-src 'self'` is enough: pdf.js 6.5 wraps the worker in a blob URL
 *   only when the worker script comes from another origin.
 * - `connect-src 'self'` also covers WebSockets to the same host and port
 *   (`ws:` or `wss:`), as CSP Level 3 specifies.
 */
export function buildContentSecurityPolicy(nonce: string, { development = false } = {}): string {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(nonce)) throw new Error("CSP nonce must be base64");

  // Vite's dev server adds CSS as <style> elements without a nonce, so
  // development allows inline styles. Its scripts and its HMR socket pass the
  // policy as it is (checked in Chromium with `npm run dev`).
  const styleSources = development ? ["'self'", "'unsafe-inline'"] : ["'self'"];

  const directives: [string, ...string[]][] = [
    ["default-src", "'self'"],
    ["script-src", "'self'", `'nonce-${nonce}'`],
    ["style-src", ...styleSources],
    ["style-src-attr", "'unsafe-inline'"],
    ["img-src", "'self'", "data:", "blob:"],
    ["font-src", "'self'"],
    ["connect-src", "'self'"],
    ["worker-src", "'self'"],
    ["object-src", "'none'"],
    ["base-uri", "'self'"],
    ["form-action", "'self'"],
    ["frame-ancestors", "'none'"],
  ];
  return directives.map((directive) => directive.join(" ")).join("; ");
}
