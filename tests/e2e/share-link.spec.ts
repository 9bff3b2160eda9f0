import { expect, test, type Page } from "@playwright/test";

import { logIn, openOrderFromOverview, trackWebSockets, uniqueFileName, waitForOpenSocket } from "./helpers";
import { buildPrintPdf } from "./print-pdf";

// A customer creates a share link, an agency uploads through it in a fresh
// browser (no portal session), and the file appears live on the customer's page.

const OFFER_NUMBER = "42793.03";

function linkRow(page: Page, label: string) {
  return page.locator(".share-link-list > li").filter({ hasText: label });
}

async function createLink(page: Page, label: string, options: { showLabel?: boolean; maxMegabytes?: string } = {}) {
  await page.getByRole("button", { name: "Neuen Link erstellen" }).click();
  await page.getByLabel("Bezeichnung (optional)").fill(label);
  if (options.showLabel) await page.getByLabel("Bezeichnung auf der Upload-Seite anzeigen").check();
  if (options.maxMegabytes) await page.getByLabel(/Größenlimit pro Datei/).fill(options.maxMegabytes);
  await page.getByRole("button", { name: "Link erstellen" }).click();

  const url = await page.getByLabel("Link zum Hochladen").inputValue();
  expect(url).toMatch(/\/hochladen\/[A-Za-z0-9_-]{43}$/);
  return url;
}

test("an agency uploads through a share link in a fresh browser", async ({ page, browser }) => {
  await trackWebSockets(page);
  await logIn(page);
  await openOrderFromOverview(page, OFFER_NUMBER);
  await waitForOpenSocket(page, "order-room");

  const label = `Agentur ${crypto.randomUUID().slice(0, 6)}`;
  const url = await createLink(page, label, { showLabel: true });
  await expect(linkRow(page, label)).toContainText("Aktiv");
  await expect(linkRow(page, label)).toContainText("0 Dateien hochgeladen");

  // The agency has no account and no cookie of the portal.
  const agencyContext = await browser.newContext();
  const agency = await agencyContext.newPage();
  const response = await agency.goto(url);
  expect(response?.status()).toBe(200);
  await expect(agency.getByRole("heading", { level: 1 })).toHaveText("Dateien hochladen");
  await expect(agency.getByText(label)).toBeVisible();
  await expect(agency.locator("body")).not.toContainText("Lindenblatt");
  await expect(agency.locator("body")).not.toContainText(OFFER_NUMBER);

  const fileName = uniqueFileName("agentur");
  await agency.getByLabel("Ihr Name (optional)").fill("Jana Berg");
  await agency.locator('input[type="file"]').setInputFiles({ name: fileName, mimeType: "application/pdf", buffer: await buildPrintPdf(fileName) });
  await expect(agency.locator(".files > li").filter({ hasText: fileName })).toContainText("Upload erfolgreich", { timeout: 30_000 });
  expect(await agencyContext.cookies()).toEqual([]);

  // The customer's open page shows the file without a reload, attributed to the link.
  const stored = page.locator("ul.files > li.file").filter({ hasText: fileName });
  await expect(stored).toContainText(`über den Link „${label}“ von Jana Berg`);
  await expect(stored.locator(".preflight")).toContainText(/Datencheck (OK|Warnung|fehlerhaft)/, { timeout: 30_000 });
  await expect(linkRow(page, label)).toContainText("1 Datei hochgeladen");

  // Revoking ends the link at once; the agency's page now shows the link as invalid.
  await linkRow(page, label).getByRole("button", { name: "Widerrufen" }).click();
  await linkRow(page, label).getByRole("button", { name: "Endgültig widerrufen" }).click();
  await expect(linkRow(page, label)).toContainText("Widerrufen");
  await expect(page.locator(".order-history-list")).toContainText(`Externer Link „${label}“ widerrufen`);

  const revoked = await agency.reload();
  expect(revoked?.status()).toBe(404);
  await expect(agency.getByRole("heading", { level: 1 })).toHaveText("Link ungültig");
  await agencyContext.close();
});

test("share page without JavaScript and over the limit", async ({ page, browser }) => {
  await logIn(page);
  await openOrderFromOverview(page, OFFER_NUMBER);
  const url = await createLink(page, `Limit ${crypto.randomUUID().slice(0, 6)}`, { maxMegabytes: "1" });

  const noScript = await browser.newContext({ javaScriptEnabled: false });
  const plain = await noScript.newPage();
  await plain.goto(url);
  await expect(plain.getByRole("heading", { level: 1 })).toHaveText("Dateien hochladen");
  await expect(plain.locator("body")).toContainText("Zum Hochladen braucht diese Seite JavaScript");
  await noScript.close();

  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const agency = await phone.newPage();
  await agency.goto(url);
  await expect(agency.locator("body")).toContainText("bis 1 MB pro Datei");
  const fileName = uniqueFileName("zu-gross");
  await agency
    .locator('input[type="file"]')
    .setInputFiles({ name: fileName, mimeType: "application/pdf", buffer: await buildPrintPdf(fileName, 2 * 1024 * 1024) });
  await expect(agency.locator(".files > li").filter({ hasText: fileName }).getByRole("alert")).toContainText("Die Datei ist zu groß");
  const pageWidth = await agency.evaluate(() => document.documentElement.scrollWidth);
  expect(pageWidth).toBeLessThanOrEqual(390);
  await phone.close();
});

test("an unknown link shows the neutral invalid page", async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const response = await page.goto(`/hochladen/${"x".repeat(43)}`);
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Link ungültig");
  await expect(page.locator("body")).not.toContainText("Lindenblatt");
  await context.close();
});
