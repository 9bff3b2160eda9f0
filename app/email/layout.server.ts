import * as v from "valibot";

import type { ShopSettings } from "~/shop-settings.server";

/** Base URL of links in e-mails when `PORTAL_URL` is not set: the local server of `npm start`. */
const DEFAULT_PORTAL_URL = "http://127.0.0.1:8787";

const portalUrlSchema = v.pipe(v.string(), v.url());

/** Returns the portal's base URL from `PORTAL_URL` without a trailing slash, or the local default. */
export function portalBaseUrl(env: { PORTAL_URL?: string }): string {
  const parsed = v.safeParse(portalUrlSchema, env.PORTAL_URL);
  if (!parsed.success) {
    if (env.PORTAL_URL) console.warn("email: PORTAL_URL is not a URL, using the local default", { default: DEFAULT_PORTAL_URL });
    return DEFAULT_PORTAL_URL;
  }
  return parsed.output.replace(/\/+$/, "");
}

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: string): string {
  return value
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

/** Returns the shop's name and contact as the plain-text signature of every e-mail. */
export function shopFooterText(shop: ShopSettings): string {
  return ["-- ", shop.name, `${shop.street}, ${shop.postalCode} ${shop.city}`, `Telefon ${shop.phone} · E-Mail ${shop.email}`].join("\n");
}

/** Returns the shop's name and contact as an HTML footer, every value escaped. */
export function shopFooterHtml(shop: ShopSettings): string {
  return [
    '<p style="margin-top:24px;padding-top:12px;border-top:1px solid #ccc;color:#555;font-size:13px">',
    `<strong>${escapeHtml(shop.name)}</strong><br>`,
    `${escapeHtml(shop.street)}, ${escapeHtml(shop.postalCode)} ${escapeHtml(shop.city)}<br>`,
    `Telefon ${escapeHtml(shop.phone)} · E-Mail <a href="mailto:${escapeHtml(shop.email)}">${escapeHtml(shop.email)}</a>`,
    "</p>",
  ].join("\n");
}

/** Wraps an e-mail's HTML content into a complete document. */
export function htmlDocument(title: string, content: string): string {
  return [
    "<!doctype html>",
    '<html lang="de">',
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title></head>`,
    '<body style="font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;color:#222;max-width:640px">',
    content,
    "</body>",
    "</html>",
  ].join("\n");
}
