import { formatNumber } from "~/format";
import type { ShopSettings } from "~/shop-settings.server";

import { escapeHtml, htmlDocument, shopFooterHtml, shopFooterText } from "./layout.server";

export interface OfferAcceptedContent {
  shop: ShopSettings;
  managerName: string;
  customerName: string;
  offerNumber: string;
  orderNumber: string;
  orderTitle: string;
  orderUrl: string;
}

/** Renders the German e-mail that tells the order manager a customer accepted an offer. */
export function renderOfferAcceptedEmail(content: OfferAcceptedContent): { subject: string; text: string; html: string } {
  const offer = formatNumber(content.offerNumber);
  const order = formatNumber(content.orderNumber);
  const subject = `Angebot ${offer} angenommen: Auftrag ${order}`;
  const summary = `${content.customerName} hat im Kundenportal das Angebot ${offer} „${content.orderTitle}“ angenommen. Der Auftrag hat die Auftragsnummer ${order} und steht jetzt auf „Bestellt“.`;

  const text = [
    `Guten Tag ${content.managerName},`,
    "",
    summary,
    "",
    `Zum Auftrag: ${content.orderUrl}`,
    "",
    shopFooterText(content.shop),
  ].join("\n");

  const html = htmlDocument(
    subject,
    [
      `<p>Guten Tag ${escapeHtml(content.managerName)},</p>`,
      `<p>${escapeHtml(summary)}</p>`,
      `<p><a href="${escapeHtml(content.orderUrl)}">Zum Auftrag ${escapeHtml(order)}</a></p>`,
      shopFooterHtml(content.shop),
    ].join("\n"),
  );

  return { subject, text, html };
}
