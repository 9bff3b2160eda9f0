import { formatDateTime, formatNumber } from "~/format";
import type { ShopSettings } from "~/shop-settings.server";

import { escapeHtml, htmlDocument, shopFooterHtml, shopFooterText } from "./layout.server";

/** Most messages one digest lists in full; the e-mail counts the rest. */
export const DIGEST_MESSAGE_LIMIT = 20;

export interface DigestMessage {
  authorName: string;
  body: string;
  createdAt: number;
}

export interface ChatDigestContent {
  shop: ShopSettings;
  recipientName: string;
  /** The order number, or the offer number while the order is an offer. */
  orderNumber: string;
  orderTitle: string;
  orderUrl: string;
  profileUrl: string;
  messages: DigestMessage[];
}

/** Renders the German e-mail that lists a recipient's new chat messages of one order. */
export function renderChatDigestEmail(content: ChatDigestContent): { subject: string; text: string; html: string } {
  const number = formatNumber(content.orderNumber);
  const subject = `Neue Nachrichten zu Auftrag ${number}`;
  const listed = content.messages.slice(0, DIGEST_MESSAGE_LIMIT);
  const more = content.messages.length - listed.length;
  const count = content.messages.length === 1 ? "eine neue Nachricht" : `${content.messages.length} neue Nachrichten`;
  const intro = `im Kundenportal gibt es ${count} zum Auftrag ${number} „${content.orderTitle}“:`;
  const moreLine = more > 0 ? `… und ${more} weitere Nachrichten im Portal.` : null;
  const settingsLine =
    "Sie erhalten diese E-Mail, weil E-Mails zu neuen Nachrichten für Sie eingeschaltet sind. " +
    "Abschalten können Sie sie auf der Auftragsseite für diesen Auftrag oder in Ihrem Profil für alle Aufträge:";

  const text = [
    `Guten Tag ${content.recipientName},`,
    "",
    intro,
    "",
    ...listed.flatMap((message) => [`${message.authorName}, ${formatDateTime(message.createdAt)}:`, message.body, ""]),
    ...(moreLine ? [moreLine, ""] : []),
    `Zum Auftrag: ${content.orderUrl}`,
    "",
    settingsLine,
    `${content.orderUrl}#benachrichtigungen`,
    content.profileUrl,
    "",
    shopFooterText(content.shop),
  ].join("\n");

  const messageHtml = listed.map(
    (message) =>
      '<div style="margin:0 0 16px;padding:8px 12px;border-left:3px solid #2b6cb0;background:#f5f7fa">' +
      `<div style="color:#555;font-size:13px">${escapeHtml(message.authorName)}, ${escapeHtml(formatDateTime(message.createdAt))}</div>` +
      `<div style="white-space:pre-wrap">${escapeHtml(message.body)}</div>` +
      "</div>",
  );
  const html = htmlDocument(
    subject,
    [
      `<p>Guten Tag ${escapeHtml(content.recipientName)},</p>`,
      `<p>${escapeHtml(intro)}</p>`,
      ...messageHtml,
      ...(moreLine ? [`<p>${escapeHtml(moreLine)}</p>`] : []),
      `<p><a href="${escapeHtml(content.orderUrl)}">Zum Auftrag ${escapeHtml(number)}</a></p>`,
      `<p style="color:#555;font-size:13px">${escapeHtml(settingsLine)}<br>`,
      `<a href="${escapeHtml(content.orderUrl)}#benachrichtigungen">Einstellung für diesen Auftrag</a> · `,
      `<a href="${escapeHtml(content.profileUrl)}">Einstellung für alle Aufträge</a></p>`,
      shopFooterHtml(content.shop),
    ].join("\n"),
  );

  return { subject, text, html };
}
