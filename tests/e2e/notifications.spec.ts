import { expect, test, type Locator, type Page } from "@playwright/test";

import { logIn, newSignedInPage, openOrderFromOverview } from "./helpers";

const OFFER_NUMBER = "42793.02";

/** Chooses "Ein" or "Aus", saves, and waits until the save and the page's reload are done. */
async function saveChoice(page: Page, choice: Locator, label: "Ein" | "Aus") {
  await choice.getByLabel(label).check();
  const saved = page.waitForResponse((response) => response.request().method() === "POST");
  await choice.getByRole("button", { name: "Speichern" }).click();
  await saved;
  await expect(choice.getByRole("button", { name: "Speichern" })).toBeEnabled();
  await page.reload();
}

test("profile turns chat e-mails off and on", async ({ page }) => {
  await logIn(page);
  await page.getByRole("link", { name: "Profil" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Profil" })).toBeVisible();
  const choice = page.getByRole("group", { name: "E-Mails zu neuen Nachrichten (alle Aufträge)" });
  await expect(choice.getByLabel("Ein")).toBeChecked();

  await saveChoice(page, choice, "Aus");
  await expect(choice.getByLabel("Aus")).toBeChecked();

  await saveChoice(page, choice, "Ein");
  await expect(choice.getByLabel("Ein")).toBeChecked();
});

test("order page turns chat e-mails off for the order", async ({ page }) => {
  await logIn(page);
  await openOrderFromOverview(page, OFFER_NUMBER);
  const choice = page.getByRole("group", { name: "E-Mails zu neuen Nachrichten in diesem Auftrag" });
  await expect(choice.getByLabel("Ein")).toBeChecked();

  await saveChoice(page, choice, "Aus");
  await expect(choice.getByLabel("Aus")).toBeChecked();

  await page.getByRole("link", { name: "Profil" }).first().click();
  await expect(page.getByRole("group", { name: "E-Mails zu neuen Nachrichten (alle Aufträge)" }).getByLabel("Ein")).toBeChecked();

  await page.goBack();
  await saveChoice(page, choice, "Ein");
  await expect(choice.getByLabel("Ein")).toBeChecked();
});

test("dev mailbox is for staff only", async ({ page, browser }) => {
  await logIn(page);
  const customerResponse = await page.goto("/dev/postfach");
  expect(customerResponse?.status()).toBe(404);

  const staff = await newSignedInPage(browser, "auftragsmanager@example.com");
  const staffResponse = await staff.goto("/dev/postfach");
  expect(staffResponse?.status()).toBe(200);
  await expect(staff.getByRole("heading", { level: 1, name: "Postfach (Entwicklung)" })).toBeVisible();
  await staff.context().close();
});
