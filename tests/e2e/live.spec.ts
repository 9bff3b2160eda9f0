import { expect, test, type Page } from "@playwright/test";

import {
  CUSTOMER_EMAIL,
  logIn,
  newSignedInPage,
  openOrderFromOverview,
  trackWebSockets,
  uniqueFileName,
  waitForOpenSocket,
} from "./helpers";
import { buildPrintPdf } from "./print-pdf";

// An order that no other browser test touches, so its row appears only through this test's customer.
const OFFER_NUMBER = "42810.01";
const ORDER_NUMBER = "241002";
const MANAGER_EMAIL = "auftragsmanager@example.com";

function liveRow(page: Page, orderNumber: string) {
  return page.locator("table.live-orders tbody tr").filter({ has: page.getByRole("link", { name: `#${orderNumber}`, exact: true }) });
}

test("live page shows upload without reload", async ({ page, browser }) => {
  await trackWebSockets(page);
  await logIn(page, MANAGER_EMAIL);
  await page.getByRole("link", { name: "Live", exact: true }).click();
  await expect(page).toHaveURL("/live");
  await expect(page.getByRole("heading", { level: 1, name: "Live" })).toBeVisible();
  await expect(page.getByLabel("meine Aufträge")).toBeChecked();
  await waitForOpenSocket(page, "staff-feed");
  await expect(liveRow(page, ORDER_NUMBER)).toHaveCount(0);

  let liveLoads = 0;
  page.on("load", () => liveLoads++);

  const customer = await newSignedInPage(browser, CUSTOMER_EMAIL);
  await openOrderFromOverview(customer, OFFER_NUMBER);
  const fileName = uniqueFileName("flyer-live");
  await customer.getByLabel(/Druckdaten hochladen/).setInputFiles({
    name: fileName,
    mimeType: "application/pdf",
    buffer: await buildPrintPdf(fileName),
  });
  await expect(customer.locator(".upload-list > li").filter({ hasText: fileName }).locator(".upload-message")).toHaveText(
    "Upload erfolgreich",
  );

  const row = liveRow(page, ORDER_NUMBER);
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("Flyer Sommerfest A5");
  await expect(row).toContainText("Beispiel Verlag GmbH");
  await expect(row).toContainText("Sabine Keller");
  await expect(row.locator('[data-column="uploads"]')).toHaveText("0");
  // The check of the new file runs and ends with a verdict, not a failure.
  await expect(row.locator('[data-column="checks-running"]')).toHaveText("0", { timeout: 30_000 });
  await expect(row.locator('[data-column="checks-failed"]')).toHaveText("0");
  await expect(row.locator('[data-column="last-activity"]')).toHaveText(/^\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}$/);

  // The order room reports the customer's open page and chat messages to the feed.
  await expect(row.locator('[data-column="present"]')).toHaveText("Jana Beispiel");
  const chat = customer.getByRole("region", { name: "Nachrichten" });
  await chat.getByLabel("Nachricht", { exact: true }).fill("Ist die Datei so in Ordnung?");
  await chat.getByRole("button", { name: "Senden" }).click();
  await expect(row.locator('[data-column="unread"]')).toHaveText("1");

  // Closing the customer's page empties the order's presence.
  await customer.context().close();
  await expect(row.locator('[data-column="present"]')).toHaveText("");
  expect(liveLoads, "loads of the live page").toBe(0);
});

test("live page is for staff only", async ({ page }) => {
  await logIn(page, CUSTOMER_EMAIL);
  await expect(page.getByRole("link", { name: "Live", exact: true })).toHaveCount(0);

  const response = await page.goto("/live");
  expect(response?.status()).toBe(403);
  await expect(page.getByText("Die Live-Ansicht ist nur für das Team der Druckerei.")).toBeVisible();
});

