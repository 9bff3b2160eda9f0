import { expect, test, type Page } from "@playwright/test";

import {
  logIn,
  newSignedInPage,
  openOrderFromOverview,
  orderIdOf,
  sameOriginHeaders,
  trackWebSockets,
  uniqueFileName,
  waitForOpenSocket,
} from "./helpers";
import { buildPrintPdf } from "./print-pdf";

const OFFER_NUMBER = "42793.04";
const NOT_PDF = "Die Datei ist kein PDF. Bitte laden Sie Ihre Druckdaten als PDF-Datei hoch.";
const PDF_NAME_NOT_PDF =
  "Die Datei heißt „.pdf“, ist aber kein PDF. Bitte exportieren Sie Ihre Druckdaten als PDF.";
const EMPTY = "Die Datei ist leer. Bitte wählen Sie eine Datei mit Inhalt.";

/** Finds the entry of a stored print file in the "Druckdaten" list by its file name. */
function storedFile(page: Page, fileName: string) {
  return page.locator("ul.files > li.file").filter({ has: page.locator(".file-name", { hasText: fileName }) });
}

/** Finds the entry of a file in the list of uploads started on this page. */
function uploadItem(page: Page, fileName: string) {
  return page.locator(".upload-list > li").filter({ has: page.locator(".upload-name", { hasText: fileName }) });
}

test("upload shows verdict live on both pages", async ({ page, browser }) => {
  await trackWebSockets(page);
  await logIn(page);
  await openOrderFromOverview(page, OFFER_NUMBER);

  // A second customer session watches the same order and must never reload.
  const watcher = await newSignedInPage(browser);
  await trackWebSockets(watcher);
  await watcher.goto(page.url());
  await expect(watcher.getByRole("heading", { level: 1, name: "Broschüren Portalkunden" })).toBeVisible();
  // A load event on either page from here on would be a reload, which the test forbids.
  let pageLoads = 0;
  let watcherLoads = 0;
  page.on("load", () => pageLoads++);
  watcher.on("load", () => watcherLoads++);
  await waitForOpenSocket(page, "order-room");
  await waitForOpenSocket(watcher, "order-room");

  const fileName = uniqueFileName("broschuere-live");
  await page.getByLabel(/Druckdaten hochladen/).setInputFiles({
    name: fileName,
    mimeType: "application/pdf",
    buffer: await buildPrintPdf(fileName),
  });

  await expect(uploadItem(page, fileName).locator(".upload-message")).toHaveText("Upload erfolgreich");

  for (const [label, current] of [["uploading page", page], ["watching page", watcher]] as const) {
    const file = storedFile(current, fileName);
    await expect(file, `file on the ${label}`).toBeVisible();
    await expect(file.locator(".preflight-verdict"), `verdict on the ${label}`).toHaveText("Datencheck fehlerhaft · 1 Seite", {
      timeout: 30_000,
    });

    const finding = file.locator(".finding-error");
    await expect(finding).toHaveCount(1);
    await expect(file.locator(".finding-warning")).toHaveCount(0);
    await expect(file.locator(".finding-info")).toContainText("Hinweis: Gesamtfarbauftrag nicht geprüft");
    await expect(finding.locator("strong")).toHaveText("Fehler: Schrift nicht eingebettet");
    await expect(finding).toContainText("(Seite 1)");
    await expect(finding).toContainText("Die Schrift „Helvetica“ (Seite 1) ist nicht in die Datei eingebettet.");
    await expect(finding.locator(".finding-values")).toHaveText("Gemessen: Helvetica · Erwartet: eingebettet");
  }

  expect(pageLoads, "loads of the uploading page").toBe(0);
  expect(watcherLoads, "loads of the watching page").toBe(0);
  await watcher.context().close();
});

test("upload rejects non-PDF and empty file", async ({ page }) => {
  await logIn(page);
  await openOrderFromOverview(page, OFFER_NUMBER);
  const input = page.getByLabel(/Druckdaten hochladen/);

  const textName = uniqueFileName("druckdaten-text");
  await input.setInputFiles({ name: textName, mimeType: "application/pdf", buffer: Buffer.from("Das ist nur Text, kein PDF.\n") });
  await expect(uploadItem(page, textName).getByRole("alert")).toHaveText(PDF_NAME_NOT_PDF);

  const emptyName = uniqueFileName("druckdaten-leer");
  await input.setInputFiles({ name: emptyName, mimeType: "application/pdf", buffer: Buffer.alloc(0) });
  await expect(uploadItem(page, emptyName).getByRole("alert")).toHaveText(EMPTY);

  await expect(storedFile(page, textName)).toHaveCount(0);
  await expect(storedFile(page, emptyName)).toHaveCount(0);

  await page.reload();
  await expect(page.getByRole("heading", { level: 2, name: "Druckdaten" })).toBeVisible();
  await expect(page.getByText(textName)).toHaveCount(0);
  await expect(page.getByText(emptyName)).toHaveCount(0);
});

test("upload endpoint rejects non-PDF and empty body", async ({ page }) => {
  await logIn(page);
  await openOrderFromOverview(page, OFFER_NUMBER);
  const orderId = orderIdOf(page);

  const cases = [
    { label: "text body", fileName: uniqueFileName("server-text"), body: Buffer.from("Kein PDF, nur Text.\n"), message: NOT_PDF },
    { label: "empty body", fileName: uniqueFileName("server-leer"), body: Buffer.alloc(0), message: EMPTY },
  ];
  for (const { label, fileName, body, message } of cases) {
    const response = await page.request.put(`/auftraege/${orderId}/dateien`, {
      headers: { ...sameOriginHeaders(page), "X-Upload-Id": crypto.randomUUID(), "X-File-Name": encodeURIComponent(fileName) },
      data: body,
    });
    expect(response.status(), `status for the ${label}`).toBe(400);
    expect(await response.json(), `JSON for the ${label}`).toEqual({ ok: false, message });
  }

  await page.reload();
  await expect(page.getByRole("heading", { level: 2, name: "Druckdaten" })).toBeVisible();
  for (const { fileName } of cases) await expect(page.getByText(fileName)).toHaveCount(0);
});

