import { expect, test, type Page } from "@playwright/test";

import { newSignedInPage, openOrderFromOverview } from "./helpers";

// The customer reads every staff message of this order during the test, so the overview test still sees no unread badge.
const OFFER_NUMBER = "42793.03";
// An order of the other company, so that the customer's overview never shows its unread note.
const NOTE_OFFER_NUMBER = "42901.01";
const OFFLINE_NOTE = "Offline – Nachrichten werden gesendet, sobald die Verbindung zurück ist";

function chatPanel(page: Page) {
  return page.getByRole("region", { name: "Nachrichten" });
}

function chatMessages(page: Page, text: string) {
  return chatPanel(page).locator("li.chat-message").filter({ has: page.locator(".chat-body", { hasText: text }) });
}

async function sendChat(page: Page, text: string) {
  await chatPanel(page).getByLabel("Nachricht", { exact: true }).fill(text);
  await chatPanel(page).getByRole("button", { name: "Senden" }).click();
}

test("customer and staff chat, also across going offline", async ({ browser }) => {
  const customer = await newSignedInPage(browser, "kunde@example.com");
  const staff = await newSignedInPage(browser, "auftragsmanager@example.com");
  await openOrderFromOverview(customer, OFFER_NUMBER);
  await openOrderFromOverview(staff, OFFER_NUMBER);

  // Presence: each side sees the other.
  await expect(chatPanel(customer).locator(".chat-presence")).toHaveText("Frau Sabine Keller (Auftragsmanagerin) ist gerade im Auftrag");
  await expect(chatPanel(staff).locator(".chat-presence")).toHaveText("Frau Jana Beispiel (Kundin) ist gerade im Auftrag");

  // Counter and live delivery.
  await chatPanel(customer).getByLabel("Nachricht", { exact: true }).fill("Hallo");
  await expect(chatPanel(customer).locator(".chat-counter")).toHaveText("5 / 5.000 Zeichen");
  await chatPanel(customer).getByRole("button", { name: "Senden" }).click();
  const greeting = chatMessages(staff, "Hallo");
  await expect(greeting).toHaveCount(1);
  await expect(greeting.locator(".chat-author")).toHaveText("Frau Jana Beispiel");
  await expect(greeting.locator(".chat-role")).toHaveText("(Kundin)");
  await expect(greeting.locator("time")).toHaveText(/^\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}$/);

  // Markup stays text; only https URLs become links.
  await sendChat(staff, "<b>fett</b> siehe https://example.com/proof?id=1.\nZweite Zeile");
  const markup = chatMessages(customer, "<b>fett</b>");
  await expect(markup).toHaveCount(1);
  await expect(markup.locator(".chat-body b")).toHaveCount(0);
  await expect(markup.locator(".chat-body a")).toHaveAttribute("href", "https://example.com/proof?id=1");
  await expect(markup.locator(".chat-body")).toHaveText("<b>fett</b> siehe https://example.com/proof?id=1.\nZweite Zeile");

  // The customer has read the staff message, so staff sees "gelesen" on it.
  await expect(chatMessages(staff, "<b>fett</b>").locator(".chat-read")).toHaveText("· gelesen");

  // Offline: the message waits in the browser and arrives exactly once after reconnecting.
  await customer.context().setOffline(true);
  await expect(chatPanel(customer).getByRole("status")).toHaveText(OFFLINE_NOTE);
  const offlineText = `Offline geschrieben ${crypto.randomUUID().slice(0, 8)}`;
  await sendChat(customer, offlineText);
  await expect(chatPanel(customer).locator(".chat-message-pending")).toHaveCount(1);
  await staff.waitForTimeout(1000);
  await expect(chatMessages(staff, offlineText)).toHaveCount(0);

  await customer.context().setOffline(false);
  await expect(chatMessages(staff, offlineText)).toHaveCount(1);
  await expect(chatPanel(customer).locator(".chat-message-pending")).toHaveCount(0);
  await expect(chatMessages(customer, offlineText)).toHaveCount(1);
  await expect(chatPanel(customer).getByRole("status")).toHaveCount(0);
  // Still exactly once a moment later, when any resend would have arrived.
  await staff.waitForTimeout(1500);
  await expect(chatMessages(staff, offlineText)).toHaveCount(1);

  // After a reload, the history shows each message once, in order.
  await staff.reload();
  await expect(chatMessages(staff, offlineText)).toHaveCount(1);
  const bodies = await chatPanel(staff).locator("li.chat-message .chat-body").allTextContents();
  expect(bodies.slice(-2)).toEqual(["<b>fett</b> siehe https://example.com/proof?id=1.\nZweite Zeile", offlineText]);

  await customer.context().close();
  await staff.context().close();
});

test("staff pins a message as a note", async ({ browser }) => {
  const staff = await newSignedInPage(browser, "auftragsmanager@example.com");
  await openOrderFromOverview(staff, NOTE_OFFER_NUMBER);
  const note = `Lieferung an Lager Nord ${crypto.randomUUID().slice(0, 8)}`;
  await sendChat(staff, note);
  const message = chatMessages(staff, note);
  await expect(message).toHaveCount(1);

  await message.getByRole("button", { name: "Als Notiz anheften" }).click();
  await expect(chatPanel(staff).locator(".chat-notes")).toContainText(note);
  await expect(message.locator(".chat-pinned")).toHaveText("· Notiz");
  await staff.context().close();
});
