import { expect, test } from "@playwright/test";

import { linkPathFromMailbox, newSignedInPage } from "./helpers";

// The demo contact without a password: the first login starts at "Passwort vergessen".
const NEW_CONTACT_EMAIL = "neu@example.com";
const NEW_PASSWORD = "Druckfrisch und lesbar 2026";

test("first login through the e-mailed link", async ({ page, browser }) => {
  await page.goto("/anmelden");
  await page.getByRole("link", { name: "Passwort vergessen oder noch keines vergeben?" }).click();
  await expect(page).toHaveURL("/passwort-vergessen");
  await expect(page.getByRole("link", { name: "Jetzt anfragen" })).toHaveAttribute("href", "/anfragen");

  await page.getByLabel("E-Mail-Adresse").fill(` ${NEW_CONTACT_EMAIL.toUpperCase()} `);
  await page.getByRole("button", { name: "Link anfordern" }).click();
  await expect(page.getByRole("status")).toContainText("Wenn die Adresse bei uns hinterlegt ist, erhalten Sie in wenigen Minuten eine E-Mail");

  const staff = await newSignedInPage(browser, "auftragsmanager@example.com");
  const linkPath = await linkPathFromMailbox(staff, NEW_CONTACT_EMAIL, "Ihr Zugang zum Kundenportal");
  await staff.context().close();

  const response = await page.goto(linkPath);
  expect(response?.status()).toBe(200);
  expect(response?.headers()["referrer-policy"]).toBe("same-origin");
  await expect(page.getByRole("heading", { level: 1, name: "Passwort vergeben" })).toBeVisible();
  await expect(page.getByLabel("Passwort", { exact: true })).toHaveAttribute("autocomplete", "new-password");
  await expect(page.getByLabel("Passwort wiederholen")).toHaveAttribute("autocomplete", "new-password");

  await page.getByLabel("Passwort", { exact: true }).fill("kurz");
  await page.getByLabel("Passwort wiederholen").fill("kurz");
  await page.getByRole("button", { name: "Passwort speichern" }).click();
  await expect(page.getByRole("alert")).toHaveText("Das Passwort ist zu kurz. Es muss mindestens 10 Zeichen lang sein.");

  await page.getByLabel("Passwort", { exact: true }).fill("qwertyuiop");
  await page.getByLabel("Passwort wiederholen").fill("qwertyuiop");
  await page.getByRole("button", { name: "Passwort speichern" }).click();
  await expect(page.getByRole("alert")).toContainText("gehört zu den häufigsten Passwörtern");

  await page.getByLabel("Passwort", { exact: true }).fill(NEW_PASSWORD);
  await page.getByLabel("Passwort wiederholen").fill(`${NEW_PASSWORD}!`);
  await page.getByRole("button", { name: "Passwort speichern" }).click();
  await expect(page.getByRole("alert")).toContainText("stimmen nicht überein");

  await page.getByLabel("Passwort", { exact: true }).fill(NEW_PASSWORD);
  await page.getByLabel("Passwort wiederholen").fill(NEW_PASSWORD);
  await page.getByRole("button", { name: "Passwort speichern" }).click();

  await expect(page).toHaveURL("/");
  await expect(page.getByRole("heading", { level: 1, name: "Angebote und Aufträge" })).toBeVisible();
  await expect(page.getByText("Paul Neumann")).toBeVisible();
  // Signed in by the link: a browser session, whose cookie has no expiry.
  const [cookie] = (await page.context().cookies()).filter((candidate) => candidate.name === "portal_session");
  expect(cookie.expires).toBe(-1);
  expect(cookie.httpOnly).toBe(true);
  expect(cookie.sameSite).toBe("Lax");

  // The account now logs in with the new password.
  await page.getByRole("button", { name: "Abmelden" }).click();
  await expect(page).toHaveURL("/anmelden");
  await page.getByLabel("E-Mail-Adresse").fill(NEW_CONTACT_EMAIL);
  await page.getByLabel("Passwort").fill(NEW_PASSWORD);
  await page.getByRole("button", { name: "Anmelden" }).click();
  await expect(page).toHaveURL("/");

  // The link works only once.
  await page.goto(linkPath);
  await expect(page.getByRole("alert")).toContainText("Dieser Link wurde bereits verwendet");
  await expect(page.getByRole("link", { name: "Neuen Link anfordern" })).toHaveAttribute("href", "/passwort-vergessen");
});
