import { formatNumber } from "~/format";
import type { ShopSettings } from "~/shop-settings.server";

import { escapeHtml, htmlDocument, shopFooterHtml, shopFooterText } from "./layout.server";

// E-mails about an order's state: the order manager learns that a customer
// accepted an offer or declared a job ready for print, and the customer gets
// a confirmation of the order.

export interface OrderEmailContent {
  shop: ShopSettings;
  recipientName: string;
  /** The customer contact who accepted or declared. */
  customerName: string;
  companyName: string;
  offerNumber: string;
  orderNumber: string;
  orderTitle: string;
  orderUrl: string;
}

interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/** Renders the German e-mail to the order manager about a customer accepting an offer. */
export function renderOfferAcceptedEmail(content: OrderEmailContent): RenderedEmail {
  const offer = formatNumber(content.offerNumber);
  const order = formatNumber(content.orderNumber);
  return renderEmail(
    content,
    `Angebot ${offer} angenommen: Auftrag ${order}`,
    `${content.customerName} (${content.companyName}) hat im Kundenportal das Angebot ${offer} „${content.orderTitle}“ angenommen. Der Auftrag hat die Auftragsnummer ${order} und steht jetzt auf „Bestellt“.`,
  );
}

/** Renders the German confirmation of the order for the customer contact who accepted the offer. */
export function renderOrderConfirmationEmail(content: OrderEmailContent): RenderedEmail {
  const offer = formatNumber(content.offerNumber);
  const order = formatNumber(content.orderNumber);
  return renderEmail(
    content,
    `Ihre Bestellung: Auftrag ${order}`,
    `vielen Dank für Ihren Auftrag. Sie haben im Kundenportal das Angebot ${offer} „${content.orderTitle}“ angenommen. Der Auftrag hat die Auftragsnummer ${order}. Die Auftragsbestätigung stellen wir Ihnen im Portal bereit. Dort laden Sie auch Ihre Druckdaten hoch.`,
  );
}

/** Renders the German e-mail to the order manager about a customer declaring a job ready for print. */
export function renderPrintReadyEmail(content: OrderEmailContent): RenderedEmail {
  const order = formatNumber(content.orderNumber);
  return renderEmail(
    content,
    `Auftrag ${order} druckfrei erklärt`,
    `${content.customerName} (${content.companyName}) hat den Auftrag ${order} „${content.orderTitle}“ im Kundenportal druckfrei erklärt. Er steht jetzt auf „Druckfrei“.`,
  );
}

function renderEmail(content: OrderEmailContent, subject: string, summary: string): RenderedEmail {
  const linkText = `Zum Auftrag ${formatNumber(content.orderNumber)}`;
  const text = [
    `Guten Tag ${content.recipientName},`,
    "",
    summary,
    "",
    `${linkText}: ${content.orderUrl}`,
    "",
    shopFooterText(content.shop),
  ].join("\n");

  const html = htmlDocument(
    subject,
    [
      `<p>Guten Tag ${escapeHtml(content.recipientName)},</p>`,
      `<p>${escapeHtml(summary)}</p>`,
      `<p><a href="${escapeHtml(content.orderUrl)}">${escapeHtml(linkText)}</a></p>`,
      shopFooterHtml(content.shop),
    ].join("\n"),
  );

  return { subject, text, html };
}
