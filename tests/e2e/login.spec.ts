import { expect, test } from "@playwright/test";

import { CUSTOMER_EMAIL, submitLogin } from "./helpers";

const LOGIN_FAILED = "E-Mail-Adresse oder Passwort ist falsch.";

test("login rejects unknown e-mail and wrong password alike", async ({ page }) => {
  await page.goto("/anmelden");
  await submitLogin(page, "niemand@example.com");
  await expect(page.getByRole("alert")).toHaveText(LOGIN_FAILED);
  await expect(page).toHaveURL("/anmelden");

  await page.goto("/anmelden");
  await submitLogin(page, CUSTOMER_EMAIL, "Falsches-Passwort-1");
  await expect(page.getByRole("alert")).toHaveText(LOGIN_FAILED);
  await expect(page).toHaveURL("/anmelden");
});

test("login takes customer to overview", async ({ page }) => {
  await page.goto("/anmelden");
  await submitLogin(page, CUSTOMER_EMAIL);

  await expect(page).toHaveURL("/");
  await expect(page.getByRole("heading", { level: 1, name: "Angebote und Aufträge" })).toBeVisible();
  await expect(page.getByText("Jana Beispiel (Kundin)")).toBeVisible();
});

test("login replaces a stale session cookie", async ({ page, context, baseURL }) => {
  await context.addCookies([{ name: "portal_session", value: "abgelaufenestoken000000000000000", url: baseURL! }]);

  await page.goto("/anmelden");
  await submitLogin(page, CUSTOMER_EMAIL);

  await expect(page).toHaveURL("/");
  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name: "Angebote und Aufträge" })).toBeVisible();
});

test("logout ends the session", async ({ page }) => {
  await page.goto("/anmelden");
  await submitLogin(page, CUSTOMER_EMAIL);
  await expect(page).toHaveURL("/");

  await page.getByRole("button", { name: "Abmelden" }).click();
  await expect(page).toHaveURL("/anmelden");
  await page.goto("/");
  await expect(page).toHaveURL("/anmelden");
});
