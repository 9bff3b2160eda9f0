import { expect, test, type Page } from "@playwright/test";

import { CUSTOMER_EMAIL, logIn, newSignedInPage, openOrderFromOverview, trackWebSockets, waitForOpenSocket } from "./helpers";
import { buildPrintPdf } from "./print-pdf";

// Every test works on offers it creates itself, so that the demo orders stay as other spec files expect them.

const MANAGER_EMAIL = "auftragsmanager@example.com";
const PREPRESS_EMAIL = "druckvorstufe@example.com";

/** Creates an offer of Beispiel Verlag with a number from the range through the form, and returns its number. */
async function createOffer(page: Page, title: string): Promise<string> {
  await page.goto("/verwaltung/angebote/neu");
  await page.getByLabel("Firma").selectOption({ label: "Beispiel Verlag GmbH" });
  await page.getByLabel("Ansprechpartner").selectOption({ label: "Jana Beispiel" });
  await page.getByLabel("Auftragsbezeichnung").fill(title);
  await page.getByRole("button", { name: "Angebot anlegen" }).click();

  await expect(page).toHaveURL(/\/verwaltung\/auftraege\/[^/]+$/);
  const heading = await page.getByRole("heading", { level: 1 }).textContent();
  const offerNumber = /^Angebot #(\d+\.\d{2}):/.exec(heading ?? "")?.[1];
  if (!offerNumber) throw new Error(`Expected an offer heading, but the page shows ${heading}`);
  return offerNumber;
}

test("manager creates an offer the customer sees", async ({ browser }) => {
  const staff = await newSignedInPage(browser, MANAGER_EMAIL);
  const title = `Jahreskalender ${crypto.randomUUID().slice(0, 6)}`;

  await staff.getByRole("link", { name: "Neues Angebot" }).click();
  await expect(staff).toHaveURL("/verwaltung/angebote/neu");
  const rangeLabel = await staff.getByLabel(/Aus dem Nummernkreis/).evaluate((input) => input.closest("label")?.textContent ?? "");
  const nextNumber = /#(\d+)/.exec(rangeLabel)?.[1];
  expect(nextNumber, "next number shown beside the range option").toBeTruthy();

  await staff.getByLabel("Firma").selectOption({ label: "Beispiel Verlag GmbH" });
  await staff.getByLabel("Ansprechpartner").selectOption({ label: "Jana Beispiel" });
  await expect(staff.getByLabel("Auftragsmanager")).toHaveValue(/.+/);
  await staff.getByLabel("Version").fill("02");
  await staff.getByLabel("Auftragsbezeichnung").fill(title);
  await staff.getByLabel("Format", { exact: true }).fill("DIN A3 quer");
  await staff.getByLabel("Umfang", { exact: true }).fill("13 Blatt");
  await staff.getByLabel("Auflage", { exact: true }).fill("500 Exemplare");
  await staff.getByLabel("Liefertermin", { exact: true }).fill(`${new Date().getFullYear() + 1}-11-20`);
  await staff.getByLabel("Konditionen").fill("Gesamtpreis 1.950,00 € netto.");
  await staff.getByLabel(/Angebot als PDF/).setInputFiles({
    name: "Angebot Jahreskalender.pdf",
    mimeType: "application/pdf",
    buffer: await buildPrintPdf("Angebot Jahreskalender"),
  });
  await staff.getByRole("button", { name: "Angebot anlegen" }).click();

  const offerNumber = `${nextNumber}.02`;
  await expect(staff).toHaveURL(/\/verwaltung\/auftraege\/[^/]+$/);
  await expect(staff.getByRole("heading", { level: 1 })).toHaveText(`Angebot #${offerNumber}: ${title}`);
  await expect(staff.getByRole("link", { name: `Angebot #${offerNumber}` })).toBeVisible();
  await expect(staff.getByText("Angebot Jahreskalender.pdf")).toBeVisible();

  const customer = await newSignedInPage(browser, CUSTOMER_EMAIL);
  const row = customer.getByRole("row").filter({ has: customer.getByRole("cell", { name: `#${offerNumber}`, exact: true }) });
  await expect(row.getByRole("cell")).toHaveText([/\d+\.\d+\.\d{4}/, `#${offerNumber}`, "", title, "Angebot", "Sabine Keller", "", "zum Auftrag"]);

  await staff.context().close();
  await customer.context().close();
});

test("approval link reaches the open order page", async ({ browser }) => {
  const staff = await newSignedInPage(browser, MANAGER_EMAIL);
  const offerNumber = await createOffer(staff, `Freigabetest ${crypto.randomUUID().slice(0, 6)}`);
  const adminUrl = staff.url();

  const customerContext = await browser.newContext();
  const customer = await customerContext.newPage();
  await trackWebSockets(customer);
  await logIn(customer, CUSTOMER_EMAIL);
  await openOrderFromOverview(customer, offerNumber);
  await waitForOpenSocket(customer, "order-room");

  await staff.goto(adminUrl);
  const link = staff.getByLabel(/Link zur Datenfreigabe/);
  await link.fill("javascript:alert(1)");
  // The browser's own URL check would block this value before it reaches the server.
  await link.evaluate((input) => input.setAttribute("type", "text"));
  await staff.getByRole("button", { name: "Link speichern" }).click();
  await expect(staff.getByRole("alert")).toHaveText(/Der Link zur Datenfreigabe ist ungültig/);

  const url = `https://freigabe.example/auftrag/${offerNumber}?token=${crypto.randomUUID().slice(0, 8)}`;
  await staff.getByLabel(/Link zur Datenfreigabe/).fill(url);
  await staff.getByRole("button", { name: "Link speichern" }).click();
  await expect(staff.getByRole("status")).toHaveText("Der Link zur Datenfreigabe ist gespeichert.");

  await expect(customer.locator(`a[href="${url}"]`)).toBeVisible();

  // The field is rendered anew with the stored link once the page has reloaded its data.
  await expect(staff.getByLabel(/Link zur Datenfreigabe/)).toHaveValue(url);
  await staff.getByLabel(/Link zur Datenfreigabe/).fill("");
  await staff.getByRole("button", { name: "Link speichern" }).click();
  await expect(staff.getByRole("status")).toHaveText("Der Link zur Datenfreigabe ist entfernt.");
  await expect(customer.locator(`a[href="${url}"]`)).toHaveCount(0);

  await staff.context().close();
  await customerContext.close();
});

test("taken offer number changes nothing", async ({ browser }) => {
  const staff = await newSignedInPage(browser, MANAGER_EMAIL);
  await staff.goto("/verwaltung/angebote/neu");

  await staff.getByLabel("Firma").selectOption({ label: "Beispiel Verlag GmbH" });
  await staff.getByLabel("Ansprechpartner").selectOption({ label: "Jana Beispiel" });
  await staff.getByLabel("Nummer eingeben:").check();
  await staff.getByLabel("Nummer", { exact: true }).fill("42793");
  await staff.getByLabel("Version").fill("04");
  await staff.getByLabel("Auftragsbezeichnung").fill("Doppelte Nummer");
  await staff.getByRole("button", { name: "Angebot anlegen" }).click();

  await expect(staff.getByRole("alert")).toContainText("Die Angebotsnummer #42793.04 ist bereits vergeben.");
  await expect(staff).toHaveURL("/verwaltung/angebote/neu");
  await expect(staff.getByLabel("Auftragsbezeichnung")).toHaveValue("Doppelte Nummer");

  await staff.goto("/?q=Doppelte+Nummer&meine=0");
  await expect(staff.locator(".overview-empty")).toBeVisible();
  await expect(staff.getByRole("table")).toHaveCount(0);
  await staff.context().close();
});

test("edit, state change and stale form", async ({ browser }) => {
  const staff = await newSignedInPage(browser, MANAGER_EMAIL);
  const title = `Plakat ${crypto.randomUUID().slice(0, 6)}`;
  await createOffer(staff, title);
  const adminUrl = staff.url();

  // A second tab keeps the form of version 1.
  const stale = await staff.context().newPage();
  await stale.goto(adminUrl);

  await staff.getByLabel("Papier", { exact: true }).fill("250 g/m² Bilderdruck");
  await staff.getByRole("button", { name: "Änderungen speichern" }).click();
  await expect(staff.getByRole("status")).toHaveText("Die Änderungen sind gespeichert.");
  await expect(staff.getByLabel("Papier", { exact: true })).toHaveValue("250 g/m² Bilderdruck");

  await stale.getByLabel("Auftragsbezeichnung").fill("Überschreibt nichts");
  await stale.getByRole("button", { name: "Änderungen speichern" }).click();
  await expect(stale.getByRole("alert")).toContainText("Der Auftrag wurde geändert, während Sie ihn offen hatten");
  // The stale tab now shows the stored order: the other tab's paper, and not its own title.
  await expect(stale.getByLabel("Papier", { exact: true })).toHaveValue("250 g/m² Bilderdruck");
  await expect(stale.getByLabel("Auftragsbezeichnung")).toHaveValue(title);

  await expect(staff.getByRole("button", { name: "Status ändern auf „Bestellt“" })).toBeVisible();
  staff.once("dialog", (dialog) => void dialog.accept());
  await staff.getByRole("button", { name: "Angebot zurückziehen" }).click();
  await expect(staff.getByRole("status")).toHaveText("Der Status ist jetzt „Zurückgezogen“.");
  await expect(staff.getByRole("button", { name: "Angebot zurückziehen" })).toHaveCount(0);
  await expect(staff.getByText("Der Status dieses Auftrags kann nicht mehr geändert werden.")).toBeVisible();

  await staff.getByRole("link", { name: "Auftragsseite des Kunden öffnen" }).click();
  await expect(staff).toHaveURL(/\/auftraege\/[^/]+$/);
  await expect(staff.getByText("Auftragsdaten geändert (Papier) von Sabine Keller")).toBeVisible();
  await staff.context().close();
});

test("contact list follows the company", async ({ browser }) => {
  const staff = await newSignedInPage(browser, MANAGER_EMAIL);
  await staff.goto("/verwaltung/angebote/neu");
  const contact = staff.getByLabel("Ansprechpartner");

  // Before a company is chosen, every company's contacts are listed in groups.
  const groups = contact.locator("optgroup");
  expect(await groups.count()).toBeGreaterThan(1);
  await expect(contact.locator('optgroup[label="Beispiel Verlag GmbH"] option')).toContainText(["Jana Beispiel"]);

  await staff.getByLabel("Firma").selectOption({ label: "Nordlicht Reisen GmbH" });
  await expect(groups).toHaveCount(1);
  await expect(groups).toHaveAttribute("label", "Nordlicht Reisen GmbH");
  await expect(contact.getByRole("option", { name: "Jana Beispiel" })).toHaveCount(0);

  await staff.getByLabel("Firma").selectOption({ label: "Beispiel Verlag GmbH" });
  await expect(groups).toHaveAttribute("label", "Beispiel Verlag GmbH");
  await contact.selectOption({ label: "Jana Beispiel" });
  await expect(contact).not.toHaveValue("");
  await staff.context().close();
});

test("past delivery date is rejected", async ({ browser }) => {
  const staff = await newSignedInPage(browser, MANAGER_EMAIL);
  await staff.goto("/verwaltung/angebote/neu");

  await staff.getByLabel("Firma").selectOption({ label: "Beispiel Verlag GmbH" });
  await staff.getByLabel("Ansprechpartner").selectOption({ label: "Jana Beispiel" });
  await staff.getByLabel("Auftragsbezeichnung").fill("Vergangener Termin");
  await staff.getByLabel("Liefertermin", { exact: true }).fill("2024-07-19");
  await staff.getByRole("button", { name: "Angebot anlegen" }).click();

  await expect(staff.getByRole("alert")).toHaveText(
    "Der Liefertermin 19.07.2024 liegt in der Vergangenheit. Bitte wählen Sie ein Datum ab heute.",
  );
  await expect(staff).toHaveURL("/verwaltung/angebote/neu");
  await expect(staff.getByLabel("Auftragsbezeichnung")).toHaveValue("Vergangener Termin");
  await expect(staff.getByLabel("Ansprechpartner")).toHaveValue(/.+/);
  await staff.context().close();
});

test("order page buttons and upload reset", async ({ browser }) => {
  const staff = await newSignedInPage(browser, MANAGER_EMAIL);
  await createOffer(staff, `Knopftest ${crypto.randomUUID().slice(0, 6)}`);

  // The same buttons as on the settings page: accent colour, as wide as their text.
  const save = staff.getByRole("button", { name: "Änderungen speichern" });
  const saveStyle = await save.evaluate((button) => {
    const style = getComputedStyle(button);
    return { background: style.backgroundColor, color: style.color, width: button.getBoundingClientRect().width };
  });
  const formWidth = await save.evaluate((button) => button.closest("form")!.getBoundingClientRect().width);
  expect(saveStyle.background).toBe("rgb(11, 92, 173)");
  expect(saveStyle.color).toBe("rgb(255, 255, 255)");
  expect(saveStyle.width).toBeLessThan(formWidth / 2);
  for (const name of ["Hochladen", "Link speichern", "Status ändern auf „Bestellt“"]) {
    await expect(staff.getByRole("button", { name, exact: true }).first()).toHaveCSS("background-color", "rgb(11, 92, 173)");
  }

  const pdf = { name: "Angebot Knopftest.pdf", mimeType: "application/pdf", buffer: await buildPrintPdf("Angebot Knopftest") };
  await staff.getByLabel("Angebot hochladen (PDF)").setInputFiles(pdf);
  await staff.getByRole("form", { name: "Angebot hochladen" }).getByRole("button", { name: "Hochladen", exact: true }).click();
  await expect(staff.getByRole("status")).toContainText("ist hochgeladen.");
  await expect(staff.getByLabel("Angebot ersetzen (PDF)")).toHaveValue("");

  await staff.getByLabel("Angebot ersetzen (PDF)").setInputFiles({ ...pdf, name: "Angebot Knopftest 2.pdf" });
  await staff.getByRole("form", { name: "Angebot hochladen" }).getByRole("button", { name: "Ersetzen", exact: true }).click();
  await expect(staff.getByRole("status")).toContainText("ist ersetzt.");
  await expect(staff.getByText("Angebot Knopftest 2.pdf", { exact: false })).toBeVisible();
  await expect(staff.getByLabel("Angebot ersetzen (PDF)")).toHaveValue("");
  await staff.context().close();
});

test("prepress cannot create offers", async ({ browser }) => {
  const prepress = await newSignedInPage(browser, PREPRESS_EMAIL);

  const response = await prepress.goto("/verwaltung/angebote/neu");

  expect(response?.status()).toBe(403);
  await expect(prepress.getByText("Angebote können nur Auftragsmanager und Administratoren anlegen und bearbeiten.")).toBeVisible();
  await prepress.context().close();
});

test("unknown order gives 404", async ({ browser }) => {
  const staff = await newSignedInPage(browser, MANAGER_EMAIL);

  const response = await staff.goto(`/verwaltung/auftraege/${crypto.randomUUID()}`);

  expect(response?.status()).toBe(404);
  await staff.context().close();
});
