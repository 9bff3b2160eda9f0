import { expect, test } from "@playwright/test";

import { logIn } from "./helpers";

const ADMIN_EMAIL = "admin@example.com";
const PREPRESS_EMAIL = "druckvorstufe@example.com";
const NO_CONTACTS = "Diese Firma hat noch keine Kontakte.";

test("admin creates company and contact", async ({ page }) => {
  const suffix = crypto.randomUUID().slice(0, 8);
  const companyName = `Hafen Logistik ${suffix}`;
  const customerNumber = `E2E-${suffix}`;
  const contactEmail = `lea.hansen.${suffix}@hafen.example`;

  await logIn(page, ADMIN_EMAIL);
  await page.getByRole("link", { name: "Verwaltung", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Verwaltung" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Einstellungen" })).toBeVisible();
  await page.getByRole("link", { name: "Firmen" }).click();

  // A customer number in use is rejected with a message at the field.
  const newCompany = page.getByRole("form", { name: "Neue Firma" });
  await newCompany.getByLabel("Name", { exact: true }).fill(companyName);
  await newCompany.getByLabel("Kundennummer (optional)").fill("10234");
  await newCompany.getByRole("button", { name: "Firma anlegen" }).click();
  await expect(newCompany.getByText("Die Kundennummer 10234 hat bereits die Firma „Beispiel Verlag GmbH“.", { exact: false })).toBeVisible();

  await newCompany.getByLabel("Kundennummer (optional)").fill(customerNumber);
  await newCompany.getByRole("button", { name: "Firma anlegen" }).click();
  await expect(page).toHaveURL(/\/verwaltung\/firmen\/[^/]+$/);
  await expect(page.getByRole("heading", { level: 1, name: companyName })).toBeVisible();
  await expect(page.getByText(NO_CONTACTS)).toBeVisible();

  const newContact = page.getByRole("form", { name: "Neuer Kontakt" });
  await newContact.getByLabel("Anrede").selectOption("Frau");
  await newContact.getByLabel("Name").fill("Lea Hansen");
  await newContact.getByLabel("E-Mail-Adresse").fill(`  ${contactEmail.toUpperCase()} `);
  await newContact.getByLabel("Telefon (optional)").fill("0421 555 66-0");
  await newContact.getByRole("button", { name: "Kontakt anlegen" }).click();

  const contacts = page.getByRole("list", { name: "Kontakte" });
  await expect(contacts.getByRole("listitem")).toHaveCount(1);
  await expect(contacts.getByRole("listitem")).toContainText(`Frau Lea Hansen · ${contactEmail} · 0421 555 66-0 · aktiv`);
  await expect(page.getByRole("status").filter({ hasText: "Der Kontakt „Lea Hansen“ wurde angelegt und bekommt eine E-Mail" })).toBeVisible();
  // The form is empty again for the next contact.
  await expect(newContact.getByLabel("Name")).toHaveValue("");

  // An address that another user has, in other case, is rejected.
  await newContact.getByLabel("Name").fill("Doppelt");
  await newContact.getByLabel("E-Mail-Adresse").fill("Kunde@Example.com");
  await newContact.getByRole("button", { name: "Kontakt anlegen" }).click();
  await expect(newContact.getByText("Die E-Mail-Adresse kunde@example.com gehört bereits zu einem anderen Zugang.", { exact: false })).toBeVisible();
  await expect(contacts.getByRole("listitem")).toHaveCount(1);

  // The list finds the company by part of its name, in other case.
  await page.getByRole("link", { name: "← Firmen" }).click();
  await page.getByRole("searchbox", { name: "Name oder Kundennummer" }).fill(`hafen logistik ${suffix.toUpperCase()}`);
  await page.getByRole("button", { name: "Suchen" }).click();
  const rows = page.getByRole("table", { name: "Firmen" }).getByRole("row");
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(1).getByRole("cell")).toHaveText([companyName, customerNumber, "1", "0"]);
});

test("prepress sees companies read-only", async ({ page }) => {
  await logIn(page, PREPRESS_EMAIL);
  await page.goto("/verwaltung");
  await expect(page.getByRole("link", { name: "Einstellungen" })).toHaveCount(0);

  await page.goto("/verwaltung/firmen");
  const rows = page.getByRole("table", { name: "Firmen" }).getByRole("row");
  await expect(rows.filter({ hasText: "Beispiel Verlag GmbH" }).getByRole("cell")).toHaveText(["Beispiel Verlag GmbH", "10234", "2", "5"]);
  await expect(page.getByRole("button", { name: "Firma anlegen" })).toHaveCount(0);

  await rows.filter({ hasText: "Beispiel Verlag GmbH" }).getByRole("link").click();
  await expect(page.getByRole("list", { name: "Kontakte" })).toContainText("Frau Jana Beispiel · kunde@example.com");
  await expect(page.getByRole("button", { name: /speichern|anlegen/ })).toHaveCount(0);
  const orders = page.getByRole("table", { name: "Angebote und Aufträge" });
  const row = orders.getByRole("row").filter({ hasText: "#42793.04" });
  await expect(row.getByRole("link", { name: "zum Auftrag" })).toHaveAttribute("href", /^\/auftraege\/[^/]+$/);
  await expect(row.getByRole("link", { name: "bearbeiten" })).toHaveAttribute("href", /^\/verwaltung\/auftraege\/[^/]+$/);

  const settings = await page.goto("/verwaltung/einstellungen");
  expect(settings?.status()).toBe(403);
});

test("customer gets 403 in the back office", async ({ page }) => {
  await logIn(page);
  await expect(page.getByRole("link", { name: "Verwaltung", exact: true })).toHaveCount(0);

  for (const path of ["/verwaltung", "/verwaltung/firmen", "/verwaltung/einstellungen"]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(403);
    await expect(page.getByRole("heading", { level: 1, name: "Kein Zugriff" })).toBeVisible();
  }

  const unknown = await page.request.get("/verwaltung/firmen/no-such-company");
  expect(unknown.status()).toBe(403);
});

test("unknown company gives 404", async ({ page }) => {
  await logIn(page, ADMIN_EMAIL);
  const response = await page.goto("/verwaltung/firmen/no-such-company");
  expect(response?.status()).toBe(404);
  await expect(page.getByText("Diese Firma gibt es nicht.", { exact: false })).toBeVisible();
});
