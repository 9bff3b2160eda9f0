import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect, test, type Page } from "@playwright/test";

import { logIn, newSignedInPage, openOrderFromOverview, orderIdOf, OTHER_CUSTOMER_EMAIL, sameOriginHeaders, uniqueFileName } from "./helpers";
import { buildPrintPdf } from "./print-pdf";

const OFFER_NUMBER = "42793.04";
const PART_URL = /\/uploads\/[^/]+\/parts\/\d+$/;

function uploadItem(page: Page, fileName: string) {
  return page.locator(".upload-list > li").filter({ has: page.locator(".upload-name", { hasText: fileName }) });
}

function storedFile(page: Page, fileName: string) {
  return page.locator("ul.files > li.file").filter({ has: page.locator(".file-name", { hasText: fileName }) });
}

test("three files upload with progress", async ({ page }) => {
  await logIn(page);
  await openOrderFromOverview(page, OFFER_NUMBER);

  // Slow every part down, so that the progress stays on screen long enough to be seen.
  await page.route(PART_URL, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await route.continue();
  });

  const names = [uniqueFileName("mehrteilig-a"), uniqueFileName("mehrteilig-b"), uniqueFileName("mehrteilig-c")];
  const files = await Promise.all(
    names.map(async (name) => ({ name, mimeType: "application/pdf", buffer: await buildPrintPdf(name, 6 * 1024 * 1024) })),
  );
  await page.getByLabel(/Druckdaten hochladen/).setInputFiles(files);

  await expect(page.locator(".upload-total")).toBeVisible();
  for (const name of names) {
    await expect(uploadItem(page, name).locator(".upload-progress"), `progress of ${name}`).toContainText(/ von /);
  }
  for (const name of names) {
    await expect(uploadItem(page, name).locator(".upload-message"), `result of ${name}`).toHaveText("Upload erfolgreich", {
      timeout: 30_000,
    });
    await expect(storedFile(page, name)).toBeVisible();
  }

  // The same bytes again are recognised by size and SHA-256 and not stored twice.
  await page.unrouteAll({ behavior: "wait" });
  await page.getByLabel(/Druckdaten hochladen/).setInputFiles(files[0]);
  await expect(uploadItem(page, names[0]).first().getByRole("alert")).toHaveText(
    "Diese Datei ist bereits im Auftrag vorhanden. Sie müssen sie nicht noch einmal hochladen.",
  );
  await expect(storedFile(page, names[0])).toHaveCount(1);
});

test("upload resumes after a reload", async ({ page }) => {
  await logIn(page);
  await openOrderFromOverview(page, OFFER_NUMBER);

  // A file on disk keeps its modification time, which the resume state is keyed by.
  const fileName = uniqueFileName("fortsetzen");
  const folder = await mkdtemp(path.join(tmpdir(), "portal-e2e-"));
  const filePath = path.join(folder, fileName);
  await writeFile(filePath, await buildPrintPdf(fileName, 30 * 1000 * 1000));

  // Only part 1 reaches the server; every other part fails like a lost connection.
  await page.route(PART_URL, async (route) => {
    if (route.request().url().endsWith("/parts/1")) await route.continue();
    else await route.abort("connectionreset");
  });
  await page.getByLabel(/Druckdaten hochladen/).setInputFiles(filePath);
  await expect(uploadItem(page, fileName).getByRole("alert")).toBeVisible({ timeout: 30_000 });
  await page.unrouteAll({ behavior: "wait" });

  await page.reload();
  await expect(page.locator(".upload-resume")).toContainText(fileName);

  const sentParts: string[] = [];
  page.on("request", (request) => {
    if (PART_URL.test(request.url())) sentParts.push(request.url().split("/parts/")[1]);
  });
  await page.getByLabel(/Druckdaten hochladen/).setInputFiles(filePath);

  await expect(uploadItem(page, fileName).locator(".upload-message")).toHaveText("Upload erfolgreich", { timeout: 30_000 });
  expect(sentParts, "parts sent after the reload").not.toContain("1");
  expect(sentParts.length, "parts sent after the reload").toBeGreaterThan(0);
  await expect(page.locator(".upload-resume")).toHaveCount(0);
  await expect(storedFile(page, fileName).locator(".preflight-verdict")).toHaveText("Datencheck fehlerhaft · 1 Seite", {
    timeout: 30_000,
  });
  await rm(folder, { recursive: true, force: true });
});

test("upload routes check access and input", async ({ page, browser }) => {
  await logIn(page);
  await openOrderFromOverview(page, OFFER_NUMBER);
  const base = `/auftraege/${orderIdOf(page)}/uploads`;

  const created = await page.request.post(base, { data: { fileName: "../../Umschlag.pdf", size: 3000, partSize: 5 * 1024 * 1024 }, headers: sameOriginHeaders(page) });
  expect(created.status()).toBe(201);
  const upload = (await created.json()) as { uploadId: string; fileName: string; partCount: number };
  expect(upload.fileName).toBe("Umschlag.pdf");
  expect(upload.partCount).toBe(1);

  const wrongSize = await page.request.put(`${base}/${upload.uploadId}/parts/1`, { data: Buffer.from("%PDF-1.7 zu kurz"), headers: sameOriginHeaders(page) });
  expect(wrongSize.status()).toBe(400);
  expect(((await wrongSize.json()) as { message: string }).message).toContain("falsche Größe");

  const outOfRange = await page.request.put(`${base}/${upload.uploadId}/parts/2`, { data: Buffer.alloc(10), headers: sameOriginHeaders(page) });
  expect(outOfRange.status()).toBe(400);

  const missing = await page.request.post(`${base}/${upload.uploadId}/complete`, { data: { sha256: "0".repeat(64) }, headers: sameOriginHeaders(page) });
  expect(missing.status()).toBe(409);

  // Another company's customer gets the order page's 404 on every upload route.
  const other = await newSignedInPage(browser, OTHER_CUSTOMER_EMAIL);
  expect((await other.request.post(base, { data: { fileName: "a.pdf", size: 3000, partSize: 5 * 1024 * 1024 }, headers: sameOriginHeaders(other) })).status()).toBe(404);
  expect((await other.request.get(`${base}/${upload.uploadId}`)).status()).toBe(404);
  expect((await other.request.delete(`${base}/${upload.uploadId}`, { headers: sameOriginHeaders(other) })).status()).toBe(404);
  await other.context().close();

  const aborted = await page.request.delete(`${base}/${upload.uploadId}`, { headers: sameOriginHeaders(page) });
  expect(aborted.status()).toBe(200);
  expect((await page.request.get(`${base}/${upload.uploadId}`)).status()).toBe(404);
});
