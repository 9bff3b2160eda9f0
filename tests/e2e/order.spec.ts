import { expect, test } from "@playwright/test";

import { logIn, openOrderFromOverview } from "./helpers";

test.beforeEach(async ({ page }) => {
  await logIn(page);
  await openOrderFromOverview(page, "42793.04");
});

test("order page shows status stepper", async ({ page }) => {
  const stepper = page.getByRole("list", { name: "Auftragsstatus" });

  await expect(stepper.getByRole("listitem")).toHaveText(["1Angebot", "2Bestellt", "3Druckfrei", "4Produktion", "5Abgerechnet"]);
  const current = stepper.locator('[aria-current="step"]');
  await expect(current).toHaveCount(1);
  await expect(current).toHaveText("4Produktion");
});

test("order page shows order details", async ({ page }) => {
  const details = page.getByRole("region", { name: "Auftragsdetails" });

  await expect(details.getByRole("term")).toHaveText(["Auftragsbezeichnung", "Auftragsnummer", "Angebotsnummer", "Datum"]);
  await expect(details.getByRole("definition")).toHaveText(["Broschüren Portalkunden", "#240970", "#42793.04", "25.6.2024"]);
});

test("offer document opens as PDF", async ({ page }) => {
  const link = page.getByRole("link", { name: "Angebot #42793.04" });
  await expect(link).toHaveAttribute("target", "_blank");
  const href = await link.getAttribute("href");
  expect(href).toMatch(/^\/dokumente\/[^/]+$/);

  // page.request shares the page's cookies, so this is the signed-in customer's request.
  const response = await page.request.get(href!);
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toBe("application/pdf");
  const body = await response.body();
  expect(body.subarray(0, 5).toString("latin1")).toBe("%PDF-");

  const popupPromise = page.waitForEvent("popup");
  await link.click();
  const popup = await popupPromise;
  await expect(popup).toHaveURL(new RegExp(`${href}$`));
  await popup.close();
});

test("order sidebar shows contacts", async ({ page }) => {
  const manager = page.getByRole("complementary").getByRole("region", { name: "Ihre Auftragsmanagerin" });
  await expect(manager.locator("address")).toContainText("Frau Sabine Keller");
  await expect(manager.getByRole("link", { name: "0421 555 010-23" })).toHaveAttribute("href", "tel:042155501023");
  await expect(manager.getByRole("link", { name: "auftragsmanager@example.com" })).toHaveAttribute(
    "href",
    "mailto:auftragsmanager@example.com",
  );

  const prepress = page.getByRole("complementary").getByRole("region", { name: "Druckvorstufe" });
  await expect(prepress.getByRole("link", { name: "0421 555 010-40" })).toHaveAttribute("href", "tel:042155501040");
  await expect(prepress.locator("address")).toContainText("Erreichbar: Mo–Fr 7:00–18:00 Uhr");
});
