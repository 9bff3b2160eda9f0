import { expect, test } from "@playwright/test";

import { CUSTOMER_EMAIL, logIn, newSignedInPage, OTHER_CUSTOMER_EMAIL, openOrderFromOverview, submitLogin } from "./helpers";

const OFFER_NUMBER = "42793.04";

test("order of other company is not found", async ({ page, browser }) => {
  await logIn(page, CUSTOMER_EMAIL);
  await openOrderFromOverview(page, OFFER_NUMBER);
  const orderUrl = page.url();

  const otherCustomer = await newSignedInPage(browser, OTHER_CUSTOMER_EMAIL);
  const response = await otherCustomer.goto(orderUrl);

  expect(response?.status()).toBe(404);
  await expect(otherCustomer.getByRole("heading", { level: 1 })).toHaveText("Nicht gefunden");
  await expect(otherCustomer.getByText("Diesen Auftrag gibt es nicht, oder Sie haben keinen Zugriff darauf.")).toBeVisible();
  await expect(otherCustomer.getByText("Broschüren Portalkunden")).toHaveCount(0);
  await otherCustomer.context().close();
});

test("signed-out visitor returns to order after login", async ({ page, browser }) => {
  await logIn(page, CUSTOMER_EMAIL);
  await openOrderFromOverview(page, OFFER_NUMBER);
  const orderPath = new URL(page.url()).pathname;

  const visitorContext = await browser.newContext();
  const visitor = await visitorContext.newPage();
  await visitor.goto(orderPath);

  await expect(visitor).toHaveURL(`/anmelden?${new URLSearchParams({ redirectTo: orderPath })}`);
  await expect(visitor.getByRole("heading", { level: 1, name: "Anmelden" })).toBeVisible();

  await submitLogin(visitor, CUSTOMER_EMAIL);
  await expect(visitor).toHaveURL(orderPath);
  await expect(visitor.getByRole("heading", { level: 1, name: "Broschüren Portalkunden" })).toBeVisible();
  await expect(visitor.getByRole("definition").filter({ hasText: `#${OFFER_NUMBER}` })).toBeVisible();
  await visitorContext.close();
});
