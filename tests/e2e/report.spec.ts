import { expect, test, type Locator, type Page } from "@playwright/test";
import { degrees, PDFDocument, PDFString, StandardFonts } from "pdf-lib";

import {
  logIn,
  newSignedInPage,
  openOrderFromOverview,
  OTHER_CUSTOMER_EMAIL,
  trackWebSockets,
  uniqueFileName,
  waitForOpenSocket,
} from "./helpers";

const OFFER_NUMBER = "42793.04";
const POINTS_PER_MM = 72 / 25.4;
const A4_WIDTH = 210 * POINTS_PER_MM;
const A4_HEIGHT = 297 * POINTS_PER_MM;
const BLEED = 3 * POINTS_PER_MM;
const FILE_NOT_FOUND = "Diese Datei gibt es nicht, oder Sie haben keinen Zugriff darauf.";

/**
 * Builds a one-page A4 print file with trim and bleed boxes, a filled
 * rectangle and a comment (a "Square" annotation) inside the trim. The
 * preflight reports the comment with its area, and the Helvetica text as a
 * font that is not embedded.
 */
async function buildPdfWithComment(label: string, rotation = 0): Promise<Buffer> {
  const document = await PDFDocument.create();
  const page = document.addPage([A4_WIDTH + 2 * BLEED, A4_HEIGHT + 2 * BLEED]);
  page.setRotation(degrees(rotation));
  page.setTrimBox(BLEED, BLEED, A4_WIDTH, A4_HEIGHT);
  page.setBleedBox(0, 0, A4_WIDTH + 2 * BLEED, A4_HEIGHT + 2 * BLEED);

  const helvetica = await document.embedFont(StandardFonts.Helvetica);
  page.drawRectangle({ x: 60, y: 120, width: 300, height: 200 });
  page.drawText(`Testdruck ${label}`, { x: 60, y: A4_HEIGHT - 60, size: 24, font: helvetica });

  const comment = document.context.obj({
    Type: "Annot",
    Subtype: "Square",
    Rect: [320, 500, 480, 620],
    F: 4,
    C: [1, 0, 0],
    Contents: PDFString.of("Bitte Logo tauschen"),
  });
  page.node.addAnnot(document.context.register(comment));

  return Buffer.from(await document.save());
}

/**
 * Builds a print file of `pageCount` A4 pages with 1 MiB of random bytes as
 * an embedded file, so that pdf.js loads it by ranges. pdfjs-dist 6.5 does so
 * only for files larger than twice its chunk size of 64 KiB.
 */
async function buildLargePdf(label: string, pageCount: number): Promise<Buffer> {
  const document = await PDFDocument.create();
  const helvetica = await document.embedFont(StandardFonts.Helvetica);
  for (let number = 1; number <= pageCount; number++) {
    const page = document.addPage([A4_WIDTH + 2 * BLEED, A4_HEIGHT + 2 * BLEED]);
    page.setTrimBox(BLEED, BLEED, A4_WIDTH, A4_HEIGHT);
    page.setBleedBox(0, 0, A4_WIDTH + 2 * BLEED, A4_HEIGHT + 2 * BLEED);
    page.drawText(`${label} Seite ${number}`, { x: 60, y: A4_HEIGHT - 60, size: 24, font: helvetica });
  }

  const padding = new Uint8Array(1024 * 1024);
  for (let offset = 0; offset < padding.length; offset += 65_536) crypto.getRandomValues(padding.subarray(offset, offset + 65_536));
  await document.attach(padding, "zufall.bin", { mimeType: "application/octet-stream" });
  return Buffer.from(await document.save());
}

/**
 * Opens the order and waits until its page is connected to the order room,
 * because the file list shows a new upload only when the room reports it.
 */
async function openOrderWithRoom(page: Page) {
  await trackWebSockets(page);
  await logIn(page);
  await openOrderFromOverview(page, OFFER_NUMBER);
  await waitForOpenSocket(page, "order-room");
}

/** Returns width divided by height of the element's box on the screen. */
async function aspectRatioOf(locator: Locator): Promise<number> {
  const box = await locator.boundingBox();
  if (!box) throw new Error("the element has no box on the screen");
  return box.width / box.height;
}

/** Uploads the file on the open order page and waits until its check has a verdict. */
async function uploadAndWaitForVerdict(page: Page, fileName: string, rotation = 0) {
  await page.getByLabel(/Druckdaten hochladen/).setInputFiles({
    name: fileName,
    mimeType: "application/pdf",
    buffer: await buildPdfWithComment(fileName, rotation),
  });
  const file = page.locator("ul.files > li.file").filter({ has: page.locator(".file-name", { hasText: fileName }) });
  await expect(file.locator(".preflight-verdict")).toHaveText(/^Datencheck (OK|Warnung|fehlerhaft)/, { timeout: 30_000 });
  return file;
}

/**
 * Counts the pixels of the page picture that are not white, as the screen
 * shows them: from a screenshot of the canvas with the overlay hidden.
 */
async function countInkedPixels(page: Page, pageSection: Locator): Promise<number> {
  const overlay = pageSection.locator(".report-overlay");
  await overlay.evaluate((element: SVGElement) => (element.style.visibility = "hidden"));
  const png = await pageSection.locator("canvas").screenshot();
  await overlay.evaluate((element: SVGElement) => (element.style.visibility = ""));

  return page.evaluate(async (base64) => {
    const image = new Image();
    image.src = `data:image/png;base64,${base64}`;
    await image.decode();
    const canvas = document.createElement("canvas");
    canvas.width = image.width;
    canvas.height = image.height;
    const context = canvas.getContext("2d")!;
    context.drawImage(image, 0, 0);
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
    let inked = 0;
    for (let index = 0; index < data.length; index += 4) {
      if (data[index] < 200 || data[index + 1] < 200 || data[index + 2] < 200) inked++;
    }
    return inked;
  }, png.toString("base64"));
}

test("report shows page picture with marked finding", async ({ page }, testInfo) => {
  await openOrderWithRoom(page);
  const fileName = uniqueFileName("bericht");
  const file = await uploadAndWaitForVerdict(page, fileName);

  await file.getByRole("link", { name: "Bericht" }).click();
  await expect(page).toHaveURL(/\/dateien\/[^/]+\/bericht$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Prüfbericht: ${fileName}`);

  const summary = page.getByRole("region", { name: "Zusammenfassung" });
  await expect(summary.getByRole("definition").filter({ hasText: /^Datencheck (OK|Warnung|fehlerhaft)$/ })).toBeVisible();
  await expect(summary.getByRole("term")).toContainText(["Datei", "Größe", "Hochgeladen am", "Ergebnis", "Prüfprofil", "Prüfprogramm", "Seiten", "Befunde"]);
  await expect(summary).toContainText(/\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}/);

  const firstPage = page.locator('.report-page[data-page="1"]');
  const canvas = firstPage.locator("canvas");
  await expect(firstPage.locator(".report-picture-frame")).toHaveAttribute("data-rendered", "true", { timeout: 20_000 });
  await expect(canvas).toBeVisible();
  expect(await countInkedPixels(page, firstPage), "inked pixels of page 1").toBeGreaterThan(100);

  // The comment's finding is listed with a number, and its area is marked with the same number.
  const listed = firstPage.locator("li[data-finding-number]").filter({ hasText: "Kommentar oder Formularfeld im Druckbereich" });
  await expect(listed).toBeVisible();
  const number = await listed.getAttribute("data-finding-number");
  expect(number).toMatch(/^\d+$/);
  const mark = firstPage.locator(`.report-mark[data-finding-number="${number}"]`);
  await expect(mark).toBeVisible();
  await expect(mark.locator("text")).toHaveText(number!);
  // The comment's rectangle is 160 × 120 pt, so its mark is wider than high.
  expect(await aspectRatioOf(mark.locator("rect").first()), "width / height of the mark").toBeCloseTo(160 / 120, 1);

  await page.screenshot({ path: testInfo.outputPath("report-page.png"), fullPage: true });

  // The print stylesheet drops the header and the links, and keeps the picture and its findings.
  await page.emulateMedia({ media: "print" });
  await expect(page.locator(".site-header")).toBeHidden();
  await expect(page.getByRole("link", { name: "JSON herunterladen" })).toBeHidden();
  await expect(canvas).toBeVisible();
  await expect(listed).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath("report-print.png"), fullPage: true });
  await page.emulateMedia({ media: "screen" });

  const jsonHref = await page.getByRole("link", { name: "JSON herunterladen" }).getAttribute("href");
  expect(jsonHref).toMatch(/^\/dateien\/[^/]+\/bericht\.json$/);
  const response = await page.request.get(jsonHref!);
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toBe("application/json; charset=utf-8");
  expect(response.headers()["content-disposition"]).toMatch(/^attachment; filename=".*-Datencheck\.json"/);
  const report = await response.json();
  expect(report.file.name).toBe(fileName);
  expect(report.pageCount).toBe(1);
  expect(report.verdict).toMatch(/^(ok|warning|error)$/);
  expect(report.findings.some((finding: { check: string; area?: number[] }) => finding.check === "annotations.in-print-area" && finding.area?.length === 4)).toBe(true);
});

test("report marks area on rotated page", async ({ page }) => {
  await openOrderWithRoom(page);
  const fileName = uniqueFileName("gedreht");
  const file = await uploadAndWaitForVerdict(page, fileName, 90);
  await file.getByRole("link", { name: "Bericht" }).click();

  const firstPage = page.locator('.report-page[data-page="1"]');
  const canvas = firstPage.locator("canvas");
  await expect(firstPage.locator(".report-picture-frame")).toHaveAttribute("data-rendered", "true", { timeout: 20_000 });
  await expect(canvas).toBeVisible();
  // An A4 portrait page turned by 90 degrees shows as landscape.
  expect(await aspectRatioOf(canvas), "width / height of the page picture").toBeCloseTo(297 / 210, 1);

  const listed = firstPage.locator("li[data-finding-number]").filter({ hasText: "Kommentar oder Formularfeld im Druckbereich" });
  const number = await listed.getAttribute("data-finding-number");
  const mark = firstPage.locator(`.report-mark[data-finding-number="${number}"] rect`).first();
  await expect(mark).toBeVisible();
  // The comment's 160 × 120 pt rectangle turns with the page, so its mark is higher than wide.
  expect(await aspectRatioOf(mark), "width / height of the mark").toBeCloseTo(120 / 160, 1);

  const canvasBox = (await canvas.boundingBox())!;
  const markBox = (await mark.boundingBox())!;
  expect(markBox.x, "mark left of the picture's right edge").toBeLessThan(canvasBox.x + canvasBox.width);
  expect(markBox.x, "mark right of the picture's left edge").toBeGreaterThan(canvasBox.x);
  expect(markBox.y, "mark below the picture's top edge").toBeGreaterThan(canvasBox.y);
  expect(markBox.y + markBox.height, "mark above the picture's bottom edge").toBeLessThan(canvasBox.y + canvasBox.height);
});

test("file download supports ranges", async ({ page }) => {
  await openOrderWithRoom(page);
  const fileName = uniqueFileName("bereich");
  const file = await uploadAndWaitForVerdict(page, fileName);
  const reportHref = await file.getByRole("link", { name: "Bericht" }).getAttribute("href");
  const fileHref = reportHref!.replace(/\/bericht$/, "");

  const whole = await page.request.get(fileHref);
  expect(whole.status()).toBe(200);
  expect(whole.headers()["accept-ranges"]).toBe("bytes");
  expect(whole.headers()["cache-control"]).toBe("private");
  expect(whole.headers()["content-disposition"]).toMatch(/^inline; /);
  const bytes = await whole.body();
  expect(whole.headers()["content-length"]).toBe(String(bytes.length));

  const part = await page.request.get(fileHref, { headers: { Range: "bytes=0-7" } });
  expect(part.status()).toBe(206);
  expect(part.headers()["content-range"]).toBe(`bytes 0-7/${bytes.length}`);
  expect((await part.body()).toString("latin1")).toBe(bytes.subarray(0, 8).toString("latin1"));

  const attachment = await page.request.get(`${fileHref}?download=1`);
  expect(attachment.headers()["content-disposition"]).toMatch(/^attachment; /);

  const beyond = await page.request.get(fileHref, { headers: { Range: `bytes=${bytes.length}-` } });
  expect(beyond.status()).toBe(416);
});

test("report opened during check shows result", async ({ page }) => {
  await openOrderWithRoom(page);
  const fileName = uniqueFileName("frueh");
  await page.getByLabel(/Druckdaten hochladen/).setInputFiles({
    name: fileName,
    mimeType: "application/pdf",
    buffer: await buildPdfWithComment(fileName),
  });
  const file = page.locator("ul.files > li.file").filter({ has: page.locator(".file-name", { hasText: fileName }) });

  // The link is there as soon as the file is listed, usually before the check has finished.
  let loads = 0;
  await file.getByRole("link", { name: "Bericht" }).click();
  page.on("load", () => loads++);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Prüfbericht: ${fileName}`);

  await expect(page.getByRole("definition").filter({ hasText: /^Datencheck (OK|Warnung|fehlerhaft)$/ })).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('.report-page[data-page="1"] .report-mark').first()).toBeVisible({ timeout: 20_000 });
  expect(loads, "page loads after opening the report").toBe(0);
});

test("large report loads by ranges and lazily", async ({ page }) => {
  await openOrderWithRoom(page);
  const fileName = uniqueFileName("gross");
  await page.getByLabel(/Druckdaten hochladen/).setInputFiles({
    name: fileName,
    mimeType: "application/pdf",
    buffer: await buildLargePdf(fileName, 30),
  });
  const file = page.locator("ul.files > li.file").filter({ has: page.locator(".file-name", { hasText: fileName }) });
  await expect(file.locator(".preflight-verdict")).toHaveText(/^Datencheck (OK|Warnung|fehlerhaft)/, { timeout: 30_000 });

  const fileStatuses: number[] = [];
  page.on("response", (response) => {
    if (/\/dateien\/[^/]+$/.test(new URL(response.url()).pathname)) fileStatuses.push(response.status());
  });
  await file.getByRole("link", { name: "Bericht" }).click();

  const firstFrame = page.locator('.report-page[data-page="1"] .report-picture-frame');
  const lastFrame = page.locator('.report-page[data-page="30"] .report-picture-frame');
  await expect(firstFrame).toHaveAttribute("data-rendered", "true", { timeout: 20_000 });
  await expect(lastFrame).toHaveAttribute("data-rendered", "false");
  expect(await page.locator('.report-picture-frame[data-rendered="true"]').count(), "pages rendered before scrolling").toBeLessThan(30);
  expect(fileStatuses, "statuses of the file requests").toContain(206);

  await lastFrame.scrollIntoViewIfNeeded();
  await expect(lastFrame).toHaveAttribute("data-rendered", "true", { timeout: 20_000 });

  // "Drucken" renders every page before it opens the print dialog.
  await page.evaluate(() => {
    (window as unknown as { printCalls: number }).printCalls = 0;
    window.print = () => void (window as unknown as { printCalls: number }).printCalls++;
  });
  await page.getByRole("button", { name: "Drucken" }).click();
  await expect(page.locator('.report-picture-frame[data-rendered="true"]')).toHaveCount(30, { timeout: 30_000 });
  await expect.poll(() => page.evaluate(() => (window as unknown as { printCalls: number }).printCalls)).toBe(1);
  await expect(page.getByRole("button", { name: "Drucken" })).toBeEnabled();
});

test("report of other company is not found", async ({ page, browser }) => {
  await openOrderWithRoom(page);
  const fileName = uniqueFileName("fremd");
  const file = await uploadAndWaitForVerdict(page, fileName);
  const reportHref = (await file.getByRole("link", { name: "Bericht" }).getAttribute("href"))!;
  const fileHref = reportHref.replace(/\/bericht$/, "");

  const otherCustomer = await newSignedInPage(browser, OTHER_CUSTOMER_EMAIL);
  const response = await otherCustomer.goto(reportHref);
  expect(response?.status()).toBe(404);
  await expect(otherCustomer.getByText(FILE_NOT_FOUND)).toBeVisible();
  await expect(otherCustomer.getByText(fileName)).toHaveCount(0);

  for (const href of [fileHref, `${reportHref}.json`, "/dateien/keine-solche-datei"]) {
    const resource = await otherCustomer.request.get(href);
    expect(resource.status(), href).toBe(404);
  }
  await otherCustomer.context().close();
});

test("report without page pictures when pdf.js fails", async ({ page }) => {
  await openOrderWithRoom(page);
  const fileName = uniqueFileName("ohne-bild");
  const file = await uploadAndWaitForVerdict(page, fileName);

  // The browser gets broken bytes in place of the stored file, as if it could not be read.
  await page.route(/\/dateien\/[^/]+(\?.*)?$/, (route) =>
    route.fulfill({ status: 200, contentType: "application/pdf", body: "%PDF-1.7\nkaputt\n" }),
  );
  await file.getByRole("link", { name: "Bericht" }).click();

  await expect(page.getByRole("note")).toContainText("Die Seitenansicht kann für diese Datei nicht angezeigt werden");
  await expect(page.locator(".report-page canvas")).toHaveCount(0);
  await expect(page.locator('.report-page[data-page="1"] li[data-finding-number]').first()).toBeVisible();
  await expect(page.locator('.report-page[data-page="1"]')).toContainText("Kommentar oder Formularfeld im Druckbereich");
});
