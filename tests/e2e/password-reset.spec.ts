import { expect, test, type Page } from "@playwright/test";

import { DEMO_PASSWORD } from "../../scripts/demo-data";

import { linkPathFromMailbox, newSignedInPage, OTHER_CUSTOMER_EMAIL } from "./helpers";

// kunde2 gets a new password here and the demo password back at the end,
// because later spec files log in as kunde2 with the demo password.
const NEW_PASSWORD = "Nordlicht über dem Fjord";
const RESET_SUBJECT = "Neues Passwort für das Kundenportal";

/** Requests a link for the address on the "Passwort vergessen" page. */
async function requestLink(page: Page, email: string) {
  await page.goto("/passwort-vergessen");
  await page.getByLabel("E-Mail-Adresse").fill(email);
  await page.getByRole("button", { name: "Link anfordern" }).click();
  await expect(page.getByRole("status")).toContainText("Wenn die Adresse bei uns hinterlegt ist");
}

/** Sets the password on an open link page and waits for the overview. */
async function setPassword(page: Page, password: string) {
  await expect(page.getByRole("heading", { level: 1, name: "Neues Passwort" })).toBeVisible();
  await page.getByLabel("Neues Passwort").fill(password);
  await page.getByLabel("Passwort wiederholen").fill(password);
  await page.getByRole("button", { name: "Passwort speichern" }).click();
  await expect(page).toHaveURL("/");
  await expect(page.getByRole("heading", { level: 1, name: "Angebote und Aufträge" })).toBeVisible();
}

async function logInWith(page: Page, email: string, password: string, remember = false) {
  await page.goto("/anmelden");
  await page.getByLabel("E-Mail-Adresse").fill(email);
  await page.getByLabel("Passwort").fill(password);
  if (remember) await page.getByLabel("Angemeldet bleiben").check();
  await page.getByRole("button", { name: "Anmelden" }).click();
}

test("password reset ends other sessions and the link works once", async ({ page, browser }) => {
  const otherDevice = await newSignedInPage(browser, OTHER_CUSTOMER_EMAIL);
  const staff = await newSignedInPage(browser, "auftragsmanager@example.com");

  await requestLink(page, OTHER_CUSTOMER_EMAIL);
  const linkPath = await linkPathFromMailbox(staff, OTHER_CUSTOMER_EMAIL, RESET_SUBJECT);

  const response = await page.goto(linkPath);
  expect(response?.headers()["referrer-policy"]).toBe("same-origin");
  await setPassword(page, NEW_PASSWORD);

  // The session on the other device ended with the reset.
  await otherDevice.reload();
  await expect(otherDevice).toHaveURL("/anmelden");
  await otherDevice.context().close();

  // The old password no longer works, the new one does; "Angemeldet bleiben" keeps the cookie for 30 days.
  await page.getByRole("button", { name: "Abmelden" }).click();
  await logInWith(page, OTHER_CUSTOMER_EMAIL, DEMO_PASSWORD);
  await expect(page.getByRole("alert")).toHaveText("E-Mail-Adresse oder Passwort ist falsch.");
  await logInWith(page, OTHER_CUSTOMER_EMAIL, NEW_PASSWORD, true);
  await expect(page).toHaveURL("/");
  const [cookie] = (await page.context().cookies()).filter((candidate) => candidate.name === "portal_session");
  const days = (cookie.expires * 1000 - Date.now()) / (24 * 60 * 60 * 1000);
  expect(days).toBeGreaterThan(29.9);
  expect(days).toBeLessThanOrEqual(30);

  await page.goto(linkPath);
  await expect(page.getByRole("heading", { level: 1, name: "Link ungültig" })).toBeVisible();
  await expect(page.getByRole("alert")).toContainText("Dieser Link wurde bereits verwendet");

  // Back to the demo password for the spec files that follow, this time
  // without JavaScript: the browser posts the form itself, with the Origin
  // header that the page's Referrer-Policy allows.
  await requestLink(page, OTHER_CUSTOMER_EMAIL);
  const restorePath = await linkPathFromMailbox(staff, OTHER_CUSTOMER_EMAIL, RESET_SUBJECT, linkPath);
  const withoutScript = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await withoutScript.goto(restorePath);
  await setPassword(withoutScript, DEMO_PASSWORD);
  await withoutScript.context().close();
  await page.getByRole("button", { name: "Abmelden" }).click();
  await logInWith(page, OTHER_CUSTOMER_EMAIL, DEMO_PASSWORD);
  await expect(page).toHaveURL("/");
  await staff.context().close();
});
