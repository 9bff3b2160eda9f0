import { expect, test } from "@playwright/test";

import { logIn, newSignedInPage, openOrderFromOverview, uniqueFileName } from "./helpers";
import { buildPrintPdf } from "./print-pdf";

// The ordered demo order that this test declares ready for print. The
// overview test expects it "Bestellt" and runs before this file.
const OFFER_NUMBER = "42793.02";
const CONTACT_NAME = "Jana Beispiel";

test("customer declares order print-ready", async ({ page, browser }) => {
  await logIn(page);
  await openOrderFromOverview(page, OFFER_NUMBER);
  const stepper = page.getByRole("list", { name: "Auftragsstatus" });
  await expect(stepper.locator('[aria-current="step"]')).toContainText("Bestellt");

  // Without print files there is nothing to declare ready yet.
  const approvals = page.getByRole("region", { name: "Freigaben" });
  await expect(approvals).toContainText("Laden Sie zuerst Ihre Druckdaten hoch");
  await expect(page.getByRole("button", { name: "Druckfrei erklären" })).toHaveCount(0);
  const fileName = uniqueFileName("Druckdaten");
  await page.getByLabel(/Druckdaten hochladen/).setInputFiles({
    name: fileName,
    mimeType: "application/pdf",
    buffer: await buildPrintPdf(fileName),
  });
  // Wait for the check, so that its timeline entry comes before the declaration's.
  const file = page.locator("ul.files > li.file").filter({ has: page.locator(".file-name", { hasText: fileName }) });
  await expect(file.locator(".preflight-verdict")).toHaveText(/^Datencheck (OK|Warnung|fehlerhaft)/, { timeout: 30_000 });

  // The confirmation explains what the declaration means before anything is sent.
  await page.getByRole("button", { name: "Druckfrei erklären" }).click();
  const confirmation = page.getByRole("form", { name: "Auftrag druckfrei erklären?" });
  await expect(confirmation).toContainText("so drucken, wie sie jetzt im Auftrag vorliegen");
  await expect(confirmation).toContainText("nur noch nach Absprache mit der Druckerei");
  await confirmation.getByRole("button", { name: "Abbrechen" }).click();
  await expect(confirmation).toHaveCount(0);
  await expect(stepper.locator('[aria-current="step"]')).toContainText("Bestellt");

  await page.getByRole("button", { name: "Druckfrei erklären" }).click();
  await confirmation.getByRole("button", { name: "Verbindlich druckfrei erklären" }).click();

  await expect(page.getByRole("status").filter({ hasText: "druckfrei erklärt" })).toHaveText(
    "Der Auftrag ist druckfrei erklärt. Wir beginnen mit der Produktion.",
  );
  const today = new Intl.DateTimeFormat("de-DE", { timeZone: "Europe/Berlin", day: "2-digit", month: "2-digit", year: "numeric" }).format(
    new Date(),
  );
  const current = stepper.locator('[aria-current="step"]');
  await expect(current).toContainText("Druckfrei");
  await expect(current.locator("time")).toHaveText(today);
  await expect(page.getByRole("button", { name: "Druckfrei erklären" })).toHaveCount(0);

  const approvalLine = new RegExp(`Druckfrei erklärt am \\d{2}\\.\\d{2}\\.\\d{4}, \\d{2}:\\d{2} von ${CONTACT_NAME}`);
  // The demo data has no approval record of the acceptance, so the declaration is the only line.
  await expect(approvals.getByRole("listitem")).toHaveText([approvalLine]);
  await expect(page.getByText("Der Auftrag ist druckfrei erklärt. Neue Dateien prüfen wir nur nach Rücksprache")).toBeVisible();
  await expect(page.getByRole("region", { name: "Verlauf" }).getByRole("listitem").first()).toContainText(
    `Druckfrei erklärt von ${CONTACT_NAME}`,
  );

  // Staff see the record after a fresh load too.
  const staff = await newSignedInPage(browser, "auftragsmanager@example.com");
  await staff.goto(page.url());
  await expect(staff.getByRole("region", { name: "Freigaben" })).toContainText(approvalLine);
  await expect(staff.getByRole("list", { name: "Auftragsstatus" }).locator('[aria-current="step"]')).toContainText("Druckfrei");
  await staff.context().close();
});
