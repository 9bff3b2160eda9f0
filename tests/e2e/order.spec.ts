import { expect, test } from "@playwright/test";

import { logIn, newSignedInPage, openOrderFromOverview } from "./helpers";

const OFFER_FILE_NAME = "Angebot 42793.04 – Broschüren Portalkunden.pdf";

test.beforeEach(async ({ page }) => {
  await logIn(page);
  await openOrderFromOverview(page, "42793.04");
});

test("order page shows status stepper", async ({ page }) => {
  const stepper = page.getByRole("list", { name: "Auftragsstatus" });

  // Each reached step shows the day it was reached. The demo order moved on one step a day.
  await expect(stepper.getByRole("listitem")).toHaveText([
    "1Angebot25.06.2024",
    "2Bestellt26.06.2024",
    "3Druckfrei27.06.2024",
    "4Produktion28.06.2024",
    "5Abgerechnet",
  ]);
  const current = stepper.locator('[aria-current="step"]');
  await expect(current).toHaveCount(1);
  await expect(current).toHaveText("4Produktion28.06.2024");
  await expect(current.locator("time")).toHaveAttribute("datetime", /^2024-06-28T/);
  await expect(page.getByText("Dieses Angebot wurde zurückgezogen.")).toHaveCount(0);
});

test("order page shows order details", async ({ page }) => {
  const details = page.getByRole("region", { name: "Auftragsdetails" });

  await expect(details.getByRole("term")).toHaveText([
    "Auftragsbezeichnung",
    "Auftragsnummer",
    "Angebotsnummer",
    "Format",
    "Umfang",
    "Farbigkeit",
    "Papier",
    "Weiterverarbeitung",
    "Auflage",
    "Liefertermin",
  ]);
  await expect(details.getByRole("definition")).toHaveText([
    "Broschüren Portalkunden",
    "#240970",
    "#42793.04",
    "DIN A4 (210 × 297 mm)",
    "32 Seiten + 4 Seiten Umschlag",
    "4/4-farbig Euroskala",
    "Inhalt 135 g/m² Bilderdruck matt, Umschlag 250 g/m²",
    "Rückendrahtheftung",
    "2.500 Exemplare",
    "19.07.2024",
  ]);
});

test("specification leaves out empty fields", async ({ page }) => {
  // The flyer's specification has no finishing and no delivery date.
  await openOrderFromOverview(page, "42810.01");
  const details = page.getByRole("region", { name: "Auftragsdetails" });

  await expect(details.getByRole("term")).toHaveText([
    "Auftragsbezeichnung",
    "Auftragsnummer",
    "Angebotsnummer",
    "Format",
    "Umfang",
    "Farbigkeit",
    "Papier",
    "Auflage",
  ]);
});

test("offer document opens as PDF", async ({ page }) => {
  const documents = page.getByRole("region", { name: "Dokumente" });
  const offers = documents.getByRole("region", { name: "Angebot", exact: true });
  await expect(offers.getByRole("listitem")).toHaveText(/^Angebot #42793\.04 vom 25\.06\.2024/);

  const link = offers.getByRole("link", { name: "Angebot #42793.04 ansehen" });
  await expect(link).toHaveAttribute("target", "_blank");
  await expect(link).toHaveAttribute("rel", "noopener noreferrer");
  const href = await link.getAttribute("href");
  expect(href).toMatch(/^\/dokumente\/[^/]+$/);

  // page.request shares the page's cookies, so this is the signed-in customer's request.
  const response = await page.request.get(href!);
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toBe("application/pdf");
  expect(response.headers()["content-disposition"]).toMatch(/^inline; /);
  const body = await response.body();
  expect(body.subarray(0, 5).toString("latin1")).toBe("%PDF-");

  const popupPromise = page.waitForEvent("popup");
  await link.click();
  const popup = await popupPromise;
  await expect(popup).toHaveURL(new RegExp(`${href}$`));
  await popup.close();
});

test("offer document downloads with its name", async ({ page }) => {
  const link = page.getByRole("link", { name: "Angebot #42793.04 herunterladen" });
  const href = await link.getAttribute("href");
  expect(href).toMatch(/^\/dokumente\/[^/]+\?download=1$/);

  const response = await page.request.get(href!);
  expect(response.status()).toBe(200);
  expect(response.headers()["content-disposition"]).toBe(
    `attachment; filename="Angebot 42793.04 _ Broschuren Portalkunden.pdf"; filename*=UTF-8''Angebot%2042793.04%20%E2%80%93%20Brosch%C3%BCren%20Portalkunden.pdf`,
  );

  const downloadPromise = page.waitForEvent("download");
  await link.click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toBe(OFFER_FILE_NAME);
});

test("history lists state changes newest first", async ({ page }) => {
  // Other browser tests upload into this order, so only the state changes have a fixed list. The whole
  // timeline is shown, so that those uploads cannot push the state changes out of the latest entries.
  await page.goto(`${page.url()}?verlauf=alle`);
  const history = page.getByRole("region", { name: "Verlauf" });
  const entries = history.locator('li[data-kind="order.status_changed"]');

  await expect(entries).toHaveText([
    /^28\.06\.2024, 12:00 Status von „Druckfrei“ auf „Produktion“ geändert von Sabine Keller$/,
    /^27\.06\.2024, 12:00 Druckfrei erklärt von Jana Beispiel$/,
    /^26\.06\.2024, 12:00 Angebot angenommen, Auftragsnummer #240970 von Jana Beispiel$/,
  ]);
  for (const time of await history.getByRole("listitem").locator("time").allTextContents()) {
    expect(time).toMatch(/^\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}$/);
  }
});

test("customer sees no approval buttons on a job in production", async ({ page }) => {
  await expect(page.getByRole("button", { name: "Angebot annehmen" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Druckfrei erklären" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Im Verwaltungsbereich bearbeiten" })).toHaveCount(0);
});

test("order sidebar shows contacts", async ({ page }) => {
  const manager = page.getByRole("complementary").getByRole("region", { name: "Ihre Auftragsmanagerin" });
  await expect(manager.locator("address")).toContainText("Frau Sabine Keller");
  await expect(manager.getByRole("link", { name: "0421 555 010-23" })).toHaveAttribute("href", "tel:042155501023");
  await expect(manager.getByRole("link", { name: "auftragsmanager@example.com" })).toHaveAttribute(
    "href",
    "mailto:auftragsmanager@example.com",
  );
  // The demo manager has no photo, so the box shows none.
  await expect(manager.getByRole("img")).toHaveCount(0);

  const prepress = page.getByRole("complementary").getByRole("region", { name: "Druckvorstufe" });
  await expect(prepress.getByRole("link", { name: "0421 555 010-40" })).toHaveAttribute("href", "tel:042155501040");
  await expect(prepress.locator("address")).toContainText("Erreichbar: Mo–Fr 7:00–18:00 Uhr");
});

test("staff see the back office link", async ({ page, browser }) => {
  const staff = await newSignedInPage(browser, "druckvorstufe@example.com");
  await staff.goto(page.url());

  const orderId = new URL(page.url()).pathname.split("/").at(-1);
  await expect(staff.getByRole("link", { name: "Im Verwaltungsbereich bearbeiten" })).toHaveAttribute(
    "href",
    `/verwaltung/auftraege/${orderId}`,
  );
  await expect(staff.getByRole("button", { name: "Angebot annehmen" })).toHaveCount(0);
  await staff.context().close();
});
