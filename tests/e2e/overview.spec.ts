import { expect, test, type Page } from "@playwright/test";

import { logIn, newSignedInPage } from "./helpers";

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
    ["25.06.2024", "#42793.04", "#240970", BROCHURE, "Produktion"],
    ["25.06.2024", "#42793.03", "#240969", BROCHURE, "Abgerechnet"],
    ["12.06.2024", "#42793.02", "#240925", BROCHURE, "Bestellt"],
    ["25.06.2024", "#42793.05", "", BROCHURE, "Angebot"],
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

const ADMIN_EMAIL = "admin@example.com";
const MANAGER_EMAIL = "auftragsmanager@example.com";

/**
 * Creates an offer of Beispiel Verlag through the back office form and returns its number. The staff
 * tests below change only such offers, so that the demo orders stay as other spec files expect them.
 */
async function createOffer(page: Page, title: string, managerName = "Sabine Keller"): Promise<string> {
  await page.goto("/verwaltung/angebote/neu");
  await page.getByLabel("Firma").selectOption({ label: "Beispiel Verlag GmbH" });
  await page.getByLabel("Ansprechpartner").selectOption({ label: "Jana Beispiel" });
  await page.getByLabel("Auftragsmanager").selectOption({ label: managerName });
  await page.getByLabel("Auftragsbezeichnung").fill(title);
  await page.getByRole("button", { name: "Angebot anlegen" }).click();

  await expect(page).toHaveURL(/\/verwaltung\/auftraege\/[^/]+$/);
  const heading = await page.getByRole("heading", { level: 1 }).textContent();
  const offerNumber = /^Angebot #(\d+\.\d{2}):/.exec(heading ?? "")?.[1];
  if (!offerNumber) throw new Error(`Expected an offer heading, but the page shows ${heading}`);
  return offerNumber;
}

function rowOf(page: Page, offerNumber: string) {
  return page.getByRole("table").getByRole("row").filter({ has: page.getByRole("cell", { name: `#${offerNumber}`, exact: true }) });
}

test("staff filter by company", async ({ browser }) => {
  const admin = await newSignedInPage(browser, ADMIN_EMAIL);
  await expect(rowOf(admin, "42793.04")).toHaveCount(1);
  await expect(rowOf(admin, "42901.01")).toHaveCount(1);

  await admin.getByLabel("Firma").selectOption({ label: "Nordlicht Reisen GmbH" });
  await admin.getByRole("button", { name: "Anwenden" }).click();

  await expect(admin).toHaveURL(/[?&]firma=[^&]+/);
  await expect(rowOf(admin, "42793.04")).toHaveCount(0);
  await expect(rowOf(admin, "42901.01")).toHaveCount(1);
  const companyCells = admin.getByRole("table").getByRole("row").filter({ has: admin.getByRole("cell") }).locator("td:nth-child(5)");
  for (const name of await companyCells.allTextContents()) expect(name).toBe("Nordlicht Reisen GmbH");
  await admin.context().close();
});

test("managers start with their own orders", async ({ browser }) => {
  const admin = await newSignedInPage(browser, ADMIN_EMAIL);
  const offerNumber = await createOffer(admin, `Eigene Liste ${crypto.randomUUID().slice(0, 6)}`, "Portal-Administration");
  await admin.goto("/");
  await expect(admin.getByLabel("nur meine Aufträge")).not.toBeChecked();
  await expect(rowOf(admin, offerNumber)).toHaveCount(1);

  const manager = await newSignedInPage(browser, MANAGER_EMAIL);
  await expect(manager.getByLabel("nur meine Aufträge")).toBeChecked();
  await expect(rowOf(manager, "42793.04")).toHaveCount(1);
  await expect(rowOf(manager, offerNumber)).toHaveCount(0);

  await manager.getByLabel("nur meine Aufträge").uncheck();
  await manager.getByRole("button", { name: "Anwenden" }).click();
  await expect(manager).toHaveURL(/[?&]meine=0(&|$)/);
  await expect(rowOf(manager, offerNumber)).toHaveCount(1);
  await expect(rowOf(manager, offerNumber).getByRole("cell").nth(7)).toHaveText("Portal-Administration");

  await admin.context().close();
  await manager.context().close();
});

test("bulk state change keeps the view", async ({ browser }) => {
  const admin = await newSignedInPage(browser, ADMIN_EMAIL);
  const prefix = `Sammelwechsel ${crypto.randomUUID().slice(0, 6)}`;
  const first = await createOffer(admin, `${prefix} A`);
  const second = await createOffer(admin, `${prefix} B`);
  const search = `/?q=${encodeURIComponent(prefix)}&meine=0`;
  await admin.goto(search);
  await expect(admin.getByRole("table").getByRole("row").filter({ has: admin.getByRole("cell") })).toHaveCount(2);

  await admin.getByRole("checkbox", { name: `#${first} auswählen` }).check();
  await admin.getByRole("checkbox", { name: `#${second} auswählen` }).check();
  await admin.getByLabel("Status ändern auf").selectOption({ label: "Zurückgezogen" });
  await admin.getByRole("button", { name: "Für ausgewählte Aufträge ändern" }).click();

  await expect(admin.getByRole("status")).toHaveText("2 Aufträge sind jetzt „Zurückgezogen“.");
  await expect(admin).toHaveURL(/[?&]geaendert=2&uebersprungen=0&neuerStatus=withdrawn$/);
  expect(new URL(admin.url()).searchParams.get("q")).toBe(prefix);
  await expect(admin.getByRole("searchbox", { name: "Suche" })).toHaveValue(prefix);
  await expect(rowOf(admin, first).getByRole("cell").nth(6)).toHaveText("Zurückgezogen");
  await expect(rowOf(admin, second).getByRole("cell").nth(6)).toHaveText("Zurückgezogen");

  // A withdrawn offer cannot move on, so a second change skips both.
  await admin.getByRole("checkbox", { name: `#${first} auswählen` }).check();
  await admin.getByRole("checkbox", { name: `#${second} auswählen` }).check();
  await admin.getByLabel("Status ändern auf").selectOption({ label: "Bestellt" });
  await admin.getByRole("button", { name: "Für ausgewählte Aufträge ändern" }).click();
  const skipped = admin.getByRole("alert");
  await expect(skipped.getByRole("paragraph")).toHaveText("0 Aufträge sind jetzt „Bestellt“. 2 Aufträge wurden nicht geändert:");
  await expect(skipped.getByRole("listitem")).toHaveCount(2);
  for (const offerNumber of [first, second]) {
    await expect(skipped.getByRole("listitem").filter({ hasText: `#${offerNumber} ` })).toHaveText(
      `#${offerNumber} ist „Zurückgezogen“ und kann nicht mehr geändert werden.`,
    );
  }
  await expect(admin).toHaveURL(/[?&]uebersprungen=2&uebersprungeneIds=[\w-]+%2C[\w-]+&/);
  await expect(rowOf(admin, first).getByRole("cell").nth(3)).toHaveText("");

  await admin.getByRole("button", { name: "Anwenden" }).click();
  await expect(admin).not.toHaveURL(/geaendert=/);
  await expect(admin.getByText(/Aufträge sind jetzt/)).toHaveCount(0);
  await admin.context().close();
});

test("bulk without selection explains itself", async ({ browser }) => {
  const admin = await newSignedInPage(browser, ADMIN_EMAIL);

  await admin.getByLabel("Status ändern auf").selectOption({ label: "Produktion" });
  await admin.getByRole("button", { name: "Für ausgewählte Aufträge ändern" }).click();

  await expect(admin.getByRole("alert")).toHaveText("Bitte wählen Sie mindestens einen Auftrag aus.");
  await admin.context().close();
});

test("bulk without target asks for it", async ({ browser }) => {
  const admin = await newSignedInPage(browser, ADMIN_EMAIL);
  await admin.goto("/?meine=0");

  await admin.getByRole("checkbox", { name: "#42793.04 auswählen" }).check();
  await admin.getByRole("button", { name: "Für ausgewählte Aufträge ändern" }).click();

  await expect(admin.getByRole("alert")).toHaveText("Bitte wählen Sie den neuen Status.");
  await expect(rowOf(admin, "42793.04").getByRole("cell").nth(6)).toHaveText("Produktion");
  await admin.context().close();
});

test("select all ticks every row", async ({ browser }) => {
  const admin = await newSignedInPage(browser, ADMIN_EMAIL);
  await admin.goto("/?meine=0");
  const all = admin.getByRole("checkbox", { name: "Alle auswählen" });
  const rows = admin.getByRole("checkbox", { name: /^#.+ auswählen$/ });
  expect(await rows.count()).toBeGreaterThan(1);

  await all.check();
  for (const row of await rows.all()) await expect(row).toBeChecked();

  await rows.first().uncheck();
  await expect(all).not.toBeChecked();
  expect(await all.evaluate((box: HTMLInputElement) => box.indeterminate)).toBe(true);

  // From "some ticked" a click ticks all, the next one clears all.
  await all.check();
  for (const row of await rows.all()) await expect(row).toBeChecked();
  await all.uncheck();
  for (const row of await rows.all()) await expect(row).not.toBeChecked();
  await admin.context().close();
});

test("staff table fits the page", async ({ browser }) => {
  const admin = await newSignedInPage(browser, ADMIN_EMAIL);
  await admin.goto("/?meine=0");
  const box = admin.locator(".table-scroll");

  for (const width of [1280, 1920]) {
    await admin.setViewportSize({ width, height: 900 });
    const sizes = await box.evaluate((element) => ({ scroll: element.scrollWidth, client: element.clientWidth }));
    expect(sizes.scroll, `table width at ${width} px`).toBeLessThanOrEqual(sizes.client);
    await expect(admin.getByRole("columnheader", { name: "Nachrichten" })).toBeInViewport();
    await expect(admin.getByRole("link", { name: "bearbeiten" }).first()).toBeInViewport();
  }

  // On a phone the table scrolls inside its box, and the page keeps its width.
  await admin.setViewportSize({ width: 390, height: 844 });
  const phone = await box.evaluate((element) => ({
    scroll: element.scrollWidth,
    client: element.clientWidth,
    page: document.documentElement.scrollWidth,
  }));
  expect(phone.scroll).toBeGreaterThan(phone.client);
  expect(phone.page).toBeLessThanOrEqual(390);
  await admin.context().close();
});

test("customers see no bulk controls", async ({ page }) => {
  await logIn(page);

  await expect(page.getByRole("cell", { name: "#42793.04", exact: true })).toBeVisible();
  await expect(page.getByRole("checkbox", { name: /auswählen$/ })).toHaveCount(0);
  await expect(page.getByRole("checkbox", { name: "Alle auswählen" })).toHaveCount(0);
  await expect(page.getByLabel("Status ändern auf")).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Neues Angebot" })).toHaveCount(0);
});
