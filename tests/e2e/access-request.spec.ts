import { expect, test, type Page } from "@playwright/test";

import { CUSTOMER_EMAIL, newSignedInPage } from "./helpers";

const suffix = crypto.randomUUID().slice(0, 8);
const REQUESTER_NAME = "Mara Grafik";
const REQUESTER_COMPANY = `Grafikbüro Süd ${suffix}`;
const REQUESTER_EMAIL = `mara-${suffix}@grafik.example`;
const CONFIRMATION = "Vielen Dank, Ihre Anfrage ist bei uns eingegangen.";

async function fillRequestForm(page: Page, fields: { name: string; company: string; email: string; phone?: string; message?: string }) {
  await page.getByLabel("Name").fill(fields.name);
  await page.getByLabel("Firma").fill(fields.company);
  await page.getByLabel("E-Mail-Adresse").fill(fields.email);
  await page.getByLabel("Telefon (optional)").fill(fields.phone ?? "");
  await page.getByLabel("Nachricht (optional)").fill(fields.message ?? "");
  await page.getByRole("button", { name: "Anfrage senden" }).click();
}

function requestArticle(page: Page, name: string, company: string) {
  return page.getByRole("article").filter({ has: page.getByRole("heading", { name: `${name}, ${company}` }) });
}

test("access request from the login page to an accepted contact", async ({ page, browser }) => {
  await page.goto("/anmelden");
  await page.getByRole("link", { name: "Noch kein Zugang? Jetzt anfragen" }).click();
  await expect(page).toHaveURL("/anfragen");
  await expect(page.getByRole("heading", { level: 1, name: "Zugang anfragen" })).toBeVisible();

  await fillRequestForm(page, { name: "", company: "", email: "keine-adresse" });
  await expect(page.getByRole("alert")).toHaveText("Die Anfrage wurde nicht gesendet. Bitte korrigieren Sie die markierten Felder.");
  await expect(page.getByText("Bitte geben Sie Ihren Namen ein.")).toBeVisible();
  await expect(page.getByText("Bitte geben Sie eine gültige E-Mail-Adresse ein")).toBeVisible();
  await expect(page.getByLabel("E-Mail-Adresse")).toHaveValue("keine-adresse");

  const request = {
    name: REQUESTER_NAME,
    company: REQUESTER_COMPANY,
    email: ` ${REQUESTER_EMAIL.toUpperCase()} `,
    phone: "089 555 12",
    message: "Wir betreuen die Broschüren von Beispiel Verlag.",
  };
  await fillRequestForm(page, request);
  await expect(page).toHaveURL("/anfragen?gesendet");
  await expect(page.getByRole("status")).toContainText(CONFIRMATION);

  // The same request again changes nothing visible and adds no second request.
  await page.goto("/anfragen");
  await fillRequestForm(page, request);
  await expect(page.getByRole("status")).toContainText(CONFIRMATION);

  // A registered address gets the same response, so the form does not reveal customers.
  await page.goto("/anfragen");
  await fillRequestForm(page, { name: "Jana Beispiel", company: "Beispiel Verlag GmbH", email: CUSTOMER_EMAIL });
  await expect(page.getByRole("status")).toContainText(CONFIRMATION);

  // Prepress may not review requests.
  const prepress = await newSignedInPage(browser, "druckvorstufe@example.com");
  const forbidden = await prepress.goto("/verwaltung/anfragen");
  expect(forbidden?.status()).toBe(403);
  await expect(prepress.getByText("Zugangsanfragen können nur Auftragsmanager und Administratoren bearbeiten.")).toBeVisible();
  await prepress.context().close();

  const staff = await newSignedInPage(browser, "auftragsmanager@example.com");
  await staff.goto("/verwaltung");
  await staff.getByRole("link", { name: "Anfragen" }).click();
  await expect(staff).toHaveURL("/verwaltung/anfragen");

  const article = requestArticle(staff, REQUESTER_NAME, REQUESTER_COMPANY);
  await expect(article).toHaveCount(1);
  await expect(article).toContainText(REQUESTER_EMAIL);
  await expect(article).toContainText("089 555 12");
  await expect(article).toContainText("Wir betreuen die Broschüren von Beispiel Verlag.");

  await article.getByLabel("Firma").selectOption({ label: `Neue Firma „${REQUESTER_COMPANY}“ anlegen` });
  await article.getByRole("button", { name: "Annehmen" }).click();
  await expect(staff.getByRole("status")).toContainText(`Die Anfrage von ${REQUESTER_NAME} wurde angenommen.`);
  await expect(staff.getByRole("status")).toContainText(`Der Link für die erste Anmeldung wurde an ${REQUESTER_EMAIL} geschickt.`);
  await expect(requestArticle(staff, REQUESTER_NAME, REQUESTER_COMPANY)).toHaveCount(0);
  const decidedRow = staff.getByRole("table", { name: "Entschieden" }).getByRole("row").filter({ hasText: REQUESTER_EMAIL });
  await expect(decidedRow).toContainText("angenommen");
  await expect(decidedRow).toContainText("von Sabine Keller");

  // The request for the registered address shows the existing account; declining it e-mails the person.
  const registered = requestArticle(staff, "Jana Beispiel", "Beispiel Verlag GmbH");
  await expect(registered).toContainText("Kontakt der Firma „Beispiel Verlag GmbH“");
  await registered.getByRole("button", { name: "Ablehnen" }).click();
  await expect(staff.getByRole("status")).toHaveText(
    `Die Anfrage von Jana Beispiel wurde abgelehnt. ${CUSTOMER_EMAIL} wurde per E-Mail benachrichtigt.`,
  );

  // The new contact belongs to the new company.
  await staff.goto("/verwaltung/firmen");
  await staff.getByRole("link", { name: REQUESTER_COMPANY }).click();
  await expect(staff.getByRole("list", { name: "Kontakte" })).toContainText(REQUESTER_EMAIL);

  // The first-login e-mail is in the dev mailbox, next to the shop's notice.
  await staff.goto("/dev/postfach");
  const firstLogin = staff.getByRole("row").filter({ hasText: REQUESTER_EMAIL }).filter({ hasText: "Ihr Zugang zum Kundenportal" });
  await expect(firstLogin).toHaveCount(1);
  await expect(staff.getByRole("row").filter({ hasText: `Neue Zugangsanfrage: ${REQUESTER_NAME}` })).toHaveCount(1);
  await firstLogin.getByRole("link").click();
  await expect(staff.locator("pre.dev-mailbox-text")).toContainText("/passwort/");
  await staff.context().close();
});

test("access request page sends signed-in users to the overview", async ({ browser }) => {
  const page = await newSignedInPage(browser);
  await page.goto("/anfragen");
  await expect(page).toHaveURL("/");
  await page.context().close();
});
