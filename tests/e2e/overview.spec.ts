import { expect, test } from "@playwright/test";

import { logIn } from "./helpers";

const BROCHURE = "Broschüren Portalkunden";

test("overview lists the company's orders", async ({ page }) => {
  await logIn(page);
  const table = page.getByRole("table");

  await expect(table.getByRole("columnheader")).toHaveText([
    "Datum",
    "Angebotsnummer",
    "Auftragsnummer",
    "Beschreibung",
    "Status",
    "Auftragsmanager",
    "Nachrichten",
    "Aktion",
  ]);

  const expectedRows = [
    ["25.6.2024", "#42793.04", "#240970", BROCHURE, "Produktion"],
    ["25.6.2024", "#42793.03", "#240969", BROCHURE, "Abgerechnet"],
    ["12.6.2024", "#42793.02", "#240925", BROCHURE, "Bestellt"],
    ["25.6.2024", "#42793.05", "", BROCHURE, "Angebot"],
  ];
  for (const [date, offerNumber, orderNumber, title, status] of expectedRows) {
    const row = table.getByRole("row").filter({ has: page.getByRole("cell", { name: offerNumber, exact: true }) });
    await expect(row, `row of offer ${offerNumber}`).toHaveCount(1);
    await expect(row.getByRole("cell")).toHaveText([date, offerNumber, orderNumber, title, status, "Sabine Keller", "", "zum Auftrag"]);
    await expect(row.getByRole("link", { name: "zum Auftrag" })).toHaveAttribute("href", /^\/auftraege\/[^/]+$/);
  }
});

test("overview hides other company's orders", async ({ page }) => {
  await logIn(page);
  const table = page.getByRole("table");
  await expect(table.getByRole("cell", { name: "#42793.04", exact: true })).toBeVisible();

  await expect(table.getByText("#42901.01")).toHaveCount(0);
  await expect(table.getByText("Kataloge Herbst 2024")).toHaveCount(0);
});

test("search by part of a number survives a reload", async ({ page }) => {
  await logIn(page);
  const search = page.getByRole("searchbox", { name: "Suche" });
  const dataRows = page.getByRole("table").getByRole("row").filter({ has: page.getByRole("cell") });

  await search.fill("#24097");
  await search.press("Enter");

  await expect(page).toHaveURL(/[?&]q=%2324097(&|$)/);
  await expect(dataRows).toHaveCount(1);
  await expect(dataRows.getByRole("cell", { name: "#240970", exact: true })).toBeVisible();

  await page.reload();

  await expect(search).toHaveValue("#24097");
  await expect(dataRows).toHaveCount(1);
  await expect(dataRows.getByRole("cell", { name: "#42793.04", exact: true })).toBeVisible();
});
