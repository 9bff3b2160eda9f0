import { formatDateTime } from "~/format";
import type { ShopSettings } from "~/shop-settings.server";

import { escapeHtml, htmlDocument, shopFooterHtml, shopFooterText } from "./layout.server";

export interface LoginLinkContent {
  shop: ShopSettings;
  recipientName: string;
  /** "first_login": the account has no password yet; "password_reset": the user forgot it. */
  purpose: "first_login" | "password_reset";
  /** The one-time link to the page that sets the password. */
  linkUrl: string;
  expiresAt: number;
}

/** Renders the German e-mail with a one-time link for the first login or a new password. */
export function renderLoginLinkEmail(content: LoginLinkContent): { subject: string; text: string; html: string } {
  const firstLogin = content.purpose === "first_login";
  const subject = firstLogin
    ? `Ihr Zugang zum Kundenportal von ${content.shop.name}`
    : `Neues Passwort für das Kundenportal von ${content.shop.name}`;
  const intro = firstLogin
    ? `für Sie ist ein Zugang zum Kundenportal von ${content.shop.name} eingerichtet. Über den folgenden Link vergeben Sie Ihr Passwort und melden sich an:`
    : "Sie haben ein neues Passwort für das Kundenportal angefordert. Über den folgenden Link vergeben Sie ein neues Passwort:";
  const linkLabel = firstLogin ? "Passwort vergeben" : "Neues Passwort vergeben";
  const validity =
    `Der Link gilt 60 Minuten, bis ${formatDateTime(content.expiresAt)} Uhr, und nur einmal. ` +
    "Danach können Sie auf der Anmeldeseite unter „Passwort vergessen“ einen neuen Link anfordern.";
  const sessionsNote = firstLogin ? null : "Mit dem neuen Passwort werden Sie auf allen Geräten abgemeldet.";
  const ignoreNote = firstLogin
    ? "Wenn Sie keinen Zugang erwartet haben, können Sie diese E-Mail ignorieren."
    : "Wenn Sie kein neues Passwort angefordert haben, können Sie diese E-Mail ignorieren. Ihr bisheriges Passwort bleibt dann gültig.";

  const text = [
    `Guten Tag ${content.recipientName},`,
    "",
    intro,
    "",
    content.linkUrl,
    "",
    validity,
    ...(sessionsNote ? [sessionsNote] : []),
    "",
    ignoreNote,
    "",
    shopFooterText(content.shop),
  ].join("\n");

  const html = htmlDocument(
    subject,
    [
      `<p>Guten Tag ${escapeHtml(content.recipientName)},</p>`,
      `<p>${escapeHtml(intro)}</p>`,
      `<p><a href="${escapeHtml(content.linkUrl)}">${escapeHtml(linkLabel)}</a></p>`,
      `<p style="color:#555;font-size:13px">Falls der Link nicht funktioniert, kopieren Sie diese Adresse in Ihren Browser:<br>${escapeHtml(content.linkUrl)}</p>`,
      `<p>${escapeHtml(validity)}${sessionsNote ? ` ${escapeHtml(sessionsNote)}` : ""}</p>`,
      `<p>${escapeHtml(ignoreNote)}</p>`,
      shopFooterHtml(content.shop),
    ].join("\n"),
  );

  return { subject, text, html };
}
