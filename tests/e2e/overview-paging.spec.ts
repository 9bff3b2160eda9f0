import { expect, test } from "@playwright/test";

import { logIn } from "./helpers";

// Hansekontor Logistik has 55 orders in the demo data, dated every six days
// from 2 January 2023: offer 41001.01 is the oldest, 41055.01 the newest.
const ARCHIVE_CUSTOMER_EMAIL = "kunde3@example.com";

test("overview pages through more than 50 orders", async ({ page }) => {
  await logIn(page, ARCHIVE_CUSTOMER_EMAIL);
  const rows = page.getByRole("table").getByRole("row");
  const offerCells = page.getByRole("table").getByRole("cell", { name: /^#41\d{3}\.01$/ });

  // Page 1: the 50 newest, newest first (the header row counts too).
  await expect(rows).toHaveCount(51);
  await expect(offerCells.first()).toHaveText("#41055.01");
  await expect(offerCells.last()).toHaveText("#41006.01");
  await expect(page.getByRole("link", { name: "Zur ersten Seite" })).toHaveCount(0);

  await page.getByRole("navigation", { name: "Seiten" }).getByRole("link", { name: "Nächste Seite" }).click();
  await expect(page).toHaveURL(/[?&]nach=/);
  await expect(rows).toHaveCount(6);
  await expect(offerCells).toHaveText(["#41005.01", "#41004.01", "#41003.01", "#41002.01", "#41001.01"]);
  await expect(page.getByRole("link", { name: "Nächste Seite" })).toHaveCount(0);

  // The page lives in the URL: a reload keeps it, the back button returns to page 1.
  await page.reload();
  await expect(rows).toHaveCount(6);
  await page.goBack();
  await expect(rows).toHaveCount(51);
  await expect(offerCells.first()).toHaveText("#41055.01");

  await page.getByRole("link", { name: "Nächste Seite" }).click();
  await page.getByRole("link", { name: "Zur ersten Seite" }).click();
  await expect(page).not.toHaveURL(/nach=/);
  await expect(offerCells.first()).toHaveText("#41055.01");
});

test("overview pages a search by number", async ({ page }) => {
  await logIn(page, ARCHIVE_CUSTOMER_EMAIL);
  const offerCells = page.getByRole("table").getByRole("cell", { name: /^#41\d{3}\.01$/ });

  // "Briefbogen" are every fifth order: 41003, 41008, … 41053, eleven in all.
  await page.getByLabel("Suche", { exact: true }).fill("briefbogen");
  await page.getByLabel("Sortierung").selectOption("nummer");
  await page.getByRole("button", { name: "Anwenden" }).click();

  await expect(offerCells).toHaveCount(11);
  await expect(offerCells.first()).toHaveText("#41053.01");
  await expect(offerCells.last()).toHaveText("#41003.01");
  await expect(page.getByRole("link", { name: "Nächste Seite" })).toHaveCount(0);
  await expect(page).toHaveURL(/q=briefbogen/);
});
