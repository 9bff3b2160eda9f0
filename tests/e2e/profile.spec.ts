import { expect, test, type Browser, type Page } from "@playwright/test";

import { linkPathFromMailbox, newSignedInPage, submitLogin } from "./helpers";

// The tests run on a staff account created here through "Team", so that no
// demo user's name or password changes for the specs after this one.
const MEMBER_NAME = "Lena Profil";
const MEMBER_EMAIL = `lena-${crypto.randomUUID().slice(0, 8)}@lindenblatt.example`;
const FIRST_PASSWORD = "Druckbogen auf Kante 2026";
const SECOND_PASSWORD = "Falzmarke und Anschnitt 77";

let password = FIRST_PASSWORD;

test.describe.configure({ mode: "serial" });

/** Signs the member in on a fresh browser context and returns its page, on the overview. */
async function memberPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto("/anmelden");
  await submitLogin(page, MEMBER_EMAIL, password);
  await expect(page).toHaveURL("/");
  return page;
}

function sessionsTable(page: Page) {
  return page.getByRole("table", { name: "Angemeldete Geräte" });
}

test("admin creates a staff account that sets its password", async ({ browser }) => {
  const admin = await newSignedInPage(browser, "admin@example.com");
  await admin.goto("/verwaltung");
  await admin.getByRole("link", { name: "Team" }).click();
  await expect(admin).toHaveURL("/verwaltung/team");

  await admin.getByLabel("Name").fill(MEMBER_NAME);
  await admin.getByLabel("E-Mail-Adresse").fill("KUNDE@example.com");
  await admin.getByLabel("Rolle", { exact: true }).selectOption({ label: "Druckvorstufe" });
  await admin.getByRole("button", { name: "Zugang anlegen" }).click();
  await expect(admin.getByText("Die E-Mail-Adresse kunde@example.com gehört bereits zu einem anderen Zugang.")).toBeVisible();

  await admin.getByLabel("E-Mail-Adresse").fill(` ${MEMBER_EMAIL.toUpperCase()} `);
  await admin.getByRole("button", { name: "Zugang anlegen" }).click();
  await expect(admin.getByRole("status")).toContainText(`Der Zugang für ${MEMBER_NAME} wurde angelegt.`);
  const row = admin.getByRole("row").filter({ hasText: MEMBER_EMAIL });
  await expect(row).toContainText("aktiv, noch kein Passwort");
  await expect(row.getByLabel(`Rolle von ${MEMBER_NAME}`)).toHaveValue("prepress");

  // The own row has no controls: an admin cannot demote or deactivate the own account.
  const ownRow = admin.getByRole("row").filter({ hasText: "admin@example.com" });
  await expect(ownRow).toContainText("(Sie)");
  await expect(ownRow.getByRole("button")).toHaveCount(0);

  const linkPath = await linkPathFromMailbox(admin, MEMBER_EMAIL, "Ihr Zugang zum Kundenportal");
  await admin.context().close();

  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(linkPath);
  await page.getByLabel("Passwort", { exact: true }).fill(FIRST_PASSWORD);
  await page.getByLabel("Passwort wiederholen").fill(FIRST_PASSWORD);
  await page.getByRole("button", { name: "Passwort speichern" }).click();
  await expect(page).toHaveURL("/");
  await context.close();
});

test("profile changes name and phone", async ({ browser }) => {
  const page = await memberPage(browser);
  await page.getByRole("link", { name: "Profil" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Profil" })).toBeVisible();
  await expect(page.getByText(MEMBER_EMAIL)).toBeVisible();

  await page.getByLabel("Telefon (optional)").fill("0421 DRUCK");
  await page.getByRole("button", { name: "Angaben speichern" }).click();
  await expect(page.getByText("Die Telefonnummer darf nur Ziffern")).toBeVisible();

  await page.getByLabel("Name").fill("  Lena Profil-Neu ");
  await page.getByLabel("Telefon (optional)").fill("+49 421 555 010-77");
  await page.getByRole("button", { name: "Angaben speichern" }).click();
  await expect(page.getByRole("status")).toHaveText("Ihre Angaben wurden gespeichert.");

  await page.reload();
  await expect(page.getByLabel("Name")).toHaveValue("Lena Profil-Neu");
  await expect(page.getByLabel("Telefon (optional)")).toHaveValue("+49 421 555 010-77");
  await expect(page.locator(".site-user")).toContainText("Lena Profil-Neu");
  await page.context().close();
});

test("password change ends the other sessions and keeps this one", async ({ browser }) => {
  const first = await memberPage(browser);
  const second = await memberPage(browser);

  await first.goto("/profil");
  const rows = sessionsTable(first).getByRole("row");
  // Both browsers are signed in, besides the sessions the earlier tests left open.
  await expect(rows.filter({ hasText: "Dieses Gerät" })).toHaveCount(1);
  await expect(rows.filter({ hasText: "Dieses Gerät" })).toContainText("Chrome unter");
  expect(await rows.filter({ has: first.getByRole("button", { name: "Abmelden" }) }).count()).toBeGreaterThanOrEqual(1);

  await first.getByLabel("Aktuelles Passwort").fill("falsches Passwort 1");
  await first.getByLabel("Neues Passwort", { exact: true }).fill(SECOND_PASSWORD);
  await first.getByLabel("Neues Passwort wiederholen").fill(SECOND_PASSWORD);
  await first.getByRole("button", { name: "Passwort ändern" }).click();
  await expect(first.getByText("Das aktuelle Passwort ist falsch.")).toBeVisible();

  await first.getByLabel("Aktuelles Passwort").fill(password);
  await first.getByLabel("Neues Passwort", { exact: true }).fill(SECOND_PASSWORD);
  await first.getByLabel("Neues Passwort wiederholen").fill(SECOND_PASSWORD);
  await first.getByRole("button", { name: "Passwort ändern" }).click();
  await expect(first.getByRole("status")).toHaveText(/^Ihr Passwort wurde geändert\. Ihre Anmeldungen? auf \d+ anderen Geräte?n? wurden? beendet\.$/);
  password = SECOND_PASSWORD;
  // A header row and the one session left: this browser's.
  await expect(sessionsTable(first).getByRole("row")).toHaveCount(2);

  await second.goto("/profil");
  await expect(second).toHaveURL(/\/anmelden/);

  await first.reload();
  await expect(first.getByRole("heading", { level: 1, name: "Profil" })).toBeVisible();

  // The new password signs in.
  const third = await memberPage(browser);
  await third.context().close();
  await first.context().close();
  await second.context().close();
});

test("session list ends another session", async ({ browser }) => {
  const first = await memberPage(browser);
  const second = await memberPage(browser);

  await first.goto("/profil");
  const rows = sessionsTable(first).getByRole("row");
  // Sessions of earlier tests in this file may still be listed; the newest other session is the second browser's.
  const otherRows = rows.filter({ has: first.getByRole("button", { name: "Abmelden" }) });
  const othersBefore = await otherRows.count();
  expect(othersBefore).toBeGreaterThanOrEqual(1);

  await otherRows.first().getByRole("button", { name: "Abmelden" }).click();
  await expect(first.getByRole("status")).toHaveText(/^Die Anmeldung „Chrome unter .+“ wurde beendet\.$/);
  await expect(otherRows).toHaveCount(othersBefore - 1);

  await second.goto("/profil");
  await expect(second).toHaveURL(/\/anmelden/);
  await first.reload();
  await expect(first.getByRole("heading", { level: 1, name: "Profil" })).toBeVisible();

  await first.context().close();
  await second.context().close();
});

test("admin changes the role and deactivation signs the member out", async ({ browser }) => {
  const member = await memberPage(browser);
  const admin = await newSignedInPage(browser, "admin@example.com");
  await admin.goto("/verwaltung/team");

  const row = admin.getByRole("row").filter({ hasText: MEMBER_EMAIL });
  await row.getByLabel("Rolle von Lena Profil-Neu").selectOption({ label: "Auftragsmanager" });
  await row.getByRole("button", { name: "Rolle ändern" }).click();
  await expect(admin.getByRole("status")).toHaveText("Lena Profil-Neu hat jetzt die Rolle Auftragsmanager.");

  await admin.getByRole("row").filter({ hasText: MEMBER_EMAIL }).getByRole("button", { name: "Deaktivieren" }).click();
  await expect(admin.getByRole("status")).toContainText("ist jetzt inaktiv und wurde auf allen Geräten abgemeldet");
  await expect(admin.getByRole("row").filter({ hasText: MEMBER_EMAIL })).toContainText("inaktiv");

  await member.goto("/profil");
  await expect(member).toHaveURL(/\/anmelden/);
  await submitLogin(member, MEMBER_EMAIL, password);
  await expect(member.getByRole("alert")).toHaveText("E-Mail-Adresse oder Passwort ist falsch.");

  await admin.context().close();
  await member.context().close();
});
