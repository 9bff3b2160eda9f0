import { expect, test, type Page } from "@playwright/test";

import { logIn, newSignedInPage, openOrderFromOverview, sameOriginHeaders, trackWebSockets, uniqueFileName, waitForOpenSocket } from "./helpers";
import { buildPrintPdf } from "./print-pdf";

// An order no other browser test uploads into, so that its file list and history stay predictable.
const OFFER_NUMBER = "42793.05";
const PREPRESS_EMAIL = "druckvorstufe@example.com";
const PREPRESS_NAME = "Tobias Brandt";

function storedFile(page: Page, fileName: string) {
  return page.locator("ul.files > li.file").filter({ has: page.locator(".file-name", { hasText: fileName }) });
}

function historySection(page: Page) {
  return page.getByRole("region", { name: "Verlauf" });
}

test("staff deletion reaches customer live", async ({ page, browser }) => {
  await trackWebSockets(page);
  await logIn(page);
  await openOrderFromOverview(page, OFFER_NUMBER);
  const orderUrl = page.url();

  const fileName = uniqueFileName("loeschen");
  await page.getByLabel(/Druckdaten hochladen/).setInputFiles({
    name: fileName,
    mimeType: "application/pdf",
    buffer: await buildPrintPdf(fileName),
  });
  const customerFile = storedFile(page, fileName);
  await expect(customerFile).toBeVisible();
  await expect(customerFile.getByRole("button", { name: "Löschen" }), "delete button for customers").toHaveCount(0);
  const fileId = await customerFile.getAttribute("data-file-id");
  expect(fileId).toBeTruthy();

  // A customer who posts the intent anyway is rejected, and the file stays.
  const rejected = await page.request.post(orderUrl, { form: { intent: "delete-file", fileId: fileId! }, headers: sameOriginHeaders(page) });
  expect(rejected.status(), "status of a customer's deletion").toBe(403);
  await page.reload();
  await expect(customerFile).toBeVisible();
  await waitForOpenSocket(page, "order-room");

  const staff = await newSignedInPage(browser, PREPRESS_EMAIL);
  await staff.goto(orderUrl);
  const staffFile = storedFile(staff, fileName);
  await expect(staffFile).toBeVisible();

  // From here on a load event on the customer's page would be a reload, which the test forbids.
  let customerLoads = 0;
  page.on("load", () => customerLoads++);

  await staffFile.getByRole("button", { name: "Löschen" }).click();
  await expect(staffFile.locator(".file-delete-confirm")).toContainText(`Druckdatei „${fileName}“ endgültig löschen?`);
  await staffFile.getByRole("button", { name: "Abbrechen" }).click();
  await expect(staffFile.getByRole("button", { name: "Endgültig löschen" })).toHaveCount(0);
  await expect(staffFile).toBeVisible();

  await staffFile.getByRole("button", { name: "Löschen" }).click();
  await staffFile.getByRole("button", { name: "Endgültig löschen" }).click();

  await expect(staff.getByRole("status").filter({ hasText: "wurde gelöscht" })).toHaveText(
    `Die Druckdatei „${fileName}“ wurde gelöscht.`,
  );
  await expect(staffFile, "file on the staff page").toHaveCount(0);
  await expect(customerFile, "file on the customer's page").toHaveCount(0);

  const entryText = `Druckdatei „${fileName}“ gelöscht von ${PREPRESS_NAME}`;
  for (const [label, current] of [["staff page", staff], ["customer's page", page]] as const) {
    const entry = historySection(current).getByRole("listitem").filter({ hasText: entryText });
    await expect(entry, `history entry on the ${label}`).toHaveCount(1);
    await expect(entry.locator("time")).toHaveText(/^\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}$/);
    await expect(historySection(current).getByRole("listitem").first(), `newest entry first on the ${label}`).toContainText(
      entryText,
    );
  }
  expect(customerLoads, "loads of the customer's page").toBe(0);

  // A second deletion of the same file, as from a stale tab, reports that the file is gone.
  const again = await staff.request.post(orderUrl, { form: { intent: "delete-file", fileId: fileId! }, headers: sameOriginHeaders(staff) });
  expect(again.status(), "status of a second deletion").toBe(410);

  await staff.context().close();
});
