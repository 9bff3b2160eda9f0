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
