import { escapeHtml, htmlDocument, shopFooterHtml, shopFooterText } from "~/email/layout.server";
import type { ShopSettings } from "~/shop-settings.server";

interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

export interface AccessRequestDetails {
  name: string;
  companyName: string;
  email: string;
  phone: string | null;
  message: string | null;
}

function paragraphsHtml(lines: string[]): string {
  return lines.map((line) => `<p>${escapeHtml(line).replaceAll("\n", "<br>")}</p>`).join("\n");
}

/** Renders the German e-mail that notifies the shop of a new access request. */
export function renderAccessRequestReceivedEmail(shop: ShopSettings, request: AccessRequestDetails, reviewUrl: string): RenderedEmail {
  const subject = `Neue Zugangsanfrage: ${request.name}, ${request.companyName}`;
  const intro = "Über „Jetzt anfragen“ im Kundenportal ist eine Anfrage für einen Zugang eingegangen:";
  const fields: [string, string][] = [
    ["Name", request.name],
    ["Firma", request.companyName],
    ["E-Mail", request.email],
    ["Telefon", request.phone ?? "–"],
    ["Nachricht", request.message ?? "–"],
  ];
  const action = "Annehmen oder ablehnen können Sie die Anfrage in der Verwaltung unter „Anfragen“.";

  const text = [
    "Guten Tag,",
    "",
    intro,
    "",
    ...fields.map(([label, value]) => `${label}: ${value}`),
    "",
    action,
    reviewUrl,
    "",
    shopFooterText(shop),
  ].join("\n");

  const html = htmlDocument(
    subject,
    [
      "<p>Guten Tag,</p>",
      `<p>${escapeHtml(intro)}</p>`,
      "<table>",
      ...fields.map(
        ([label, value]) =>
          `<tr><th style="text-align:left;vertical-align:top;padding-right:12px">${escapeHtml(label)}</th><td>${escapeHtml(value).replaceAll("\n", "<br>")}</td></tr>`,
      ),
      "</table>",
      `<p>${escapeHtml(action)}</p>`,
      `<p><a href="${escapeHtml(reviewUrl)}">Zu den Anfragen</a></p>`,
      shopFooterHtml(shop),
    ].join("\n"),
  );

  return { subject, text, html };
}

/**
 * Renders the German confirmation for the person who sent an access request.
 * When the address already has an account, the e-mail (and only the e-mail,
 * never the page) mentions it and links to "Passwort vergessen".
 */
export function renderAccessRequestConfirmationEmail(
  shop: ShopSettings,
  request: AccessRequestDetails,
  options: { hasAccount: boolean; passwordForgotUrl: string },
): RenderedEmail {
  const subject = `Ihre Anfrage beim Kundenportal von ${shop.name}`;
  const lines = [
    `Guten Tag ${request.name},`,
    `Ihre Anfrage ist bei uns eingegangen. Vielen Dank! Wir prüfen sie und melden uns per E-Mail bei Ihnen. Sobald Ihr Zugang eingerichtet ist, erhalten Sie einen Link, mit dem Sie Ihr Passwort vergeben.`,
    `Ihre Angaben: ${request.name}, ${request.companyName}, ${request.email}${request.phone ? `, Telefon ${request.phone}` : ""}`,
  ];
  const accountNote = options.hasAccount
    ? "Für diese E-Mail-Adresse gibt es bereits einen Zugang. Wenn Sie Ihr Passwort nicht mehr wissen oder noch keines vergeben haben, fordern Sie auf der Anmeldeseite unter „Passwort vergessen“ einen Link an:"
    : null;
  const ignoreNote = "Wenn Sie keine Anfrage gestellt haben, können Sie diese E-Mail ignorieren.";

  const text = [
    lines.join("\n\n"),
    "",
    ...(accountNote ? [accountNote, options.passwordForgotUrl, ""] : []),
    ignoreNote,
    "",
    shopFooterText(shop),
  ].join("\n");

  const html = htmlDocument(
    subject,
    [
      paragraphsHtml(lines),
      accountNote
        ? `<p>${escapeHtml(accountNote)}<br><a href="${escapeHtml(options.passwordForgotUrl)}">Passwort vergessen</a></p>`
        : "",
      `<p>${escapeHtml(ignoreNote)}</p>`,
      shopFooterHtml(shop),
    ].join("\n"),
  );

  return { subject, text, html };
}

/** Renders the short German e-mail that informs the requester that the shop declined the request. */
export function renderAccessRequestDeclinedEmail(shop: ShopSettings, request: AccessRequestDetails): RenderedEmail {
  const subject = `Ihre Anfrage beim Kundenportal von ${shop.name}`;
  const lines = [
    `Guten Tag ${request.name},`,
    `vielen Dank für Ihr Interesse an unserem Kundenportal. Leider können wir Ihnen für ${request.companyName} keinen Zugang einrichten.`,
    `Bei Fragen erreichen Sie uns telefonisch unter ${shop.phone} oder per E-Mail an ${shop.email}.`,
    "Freundliche Grüße",
  ];

  const text = [lines.join("\n\n"), "", shopFooterText(shop)].join("\n");
  const html = htmlDocument(subject, [paragraphsHtml(lines), shopFooterHtml(shop)].join("\n"));
  return { subject, text, html };
}
