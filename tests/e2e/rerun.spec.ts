import { expect, test, type Page } from "@playwright/test";

import { logIn, newSignedInPage, openOrderFromOverview, orderIdOf, sameOriginHeaders, uniqueFileName } from "./helpers";
import { buildPrintPdf } from "./print-pdf";

// Another order than the upload tests use, so that the profile set here stays out of their way.
const OFFER_NUMBER = "42793.02";
const VERDICT = /^Datencheck (OK|Warnung|fehlerhaft)/;

interface RunFrame {
  type: string;
  fileId?: string;
  runId?: string;
  state?: string;
}

/** Collects the order room's frames the page receives. Must run before the page opens the order. */
function collectRoomFrames(page: Page): RunFrame[] {
  const frames: RunFrame[] = [];
  page.on("websocket", (socket) => {
    if (!socket.url().includes("/parties/order-room/")) return;
    socket.on("framereceived", ({ payload }) => {
      if (typeof payload === "string") frames.push(JSON.parse(payload) as RunFrame);
    });
  });
  return frames;
}

function storedFile(page: Page, fileName: string) {
  return page.locator("ul.files > li.file").filter({ has: page.locator(".file-name", { hasText: fileName }) });
}

test("staff re-run reaches every open page", async ({ page, browser }) => {
  const customerFrames = collectRoomFrames(page);
  await logIn(page);
  await openOrderFromOverview(page, OFFER_NUMBER);

  const fileName = uniqueFileName("erneut-pruefen");
  await page.getByLabel(/Druckdaten hochladen/).setInputFiles({
    name: fileName,
    mimeType: "application/pdf",
    buffer: await buildPrintPdf(fileName),
  });
  const customerFile = storedFile(page, fileName);
  await expect(customerFile.locator(".preflight-verdict")).toHaveText(VERDICT, { timeout: 30_000 });
  await expect(page.getByRole("button", { name: "Erneut prüfen" })).toHaveCount(0);
  await expect(page.getByLabel(/Prüfprofil/)).toHaveCount(0);

  const staff = await newSignedInPage(browser, "druckvorstufe@example.com");
  await staff.goto(page.url());
  const staffFile = storedFile(staff, fileName);
  await expect(staffFile.locator(".preflight-profile-used")).toHaveText("Prüfprofil: Bogenoffset CMYK (GWG 2022)");

  await staff.getByLabel(/Prüfprofil für neue Prüfungen/).selectOption({ label: "Digitaldruck (GWG 2022)" });
  await staff.getByRole("button", { name: "Profil speichern" }).click();
  await expect(staff.getByLabel(/Prüfprofil für neue Prüfungen/)).toHaveValue("gwg2022-digital");

  let customerLoads = 0;
  page.on("load", () => customerLoads++);
  const firstRunIds = new Set(customerFrames.map((frame) => frame.runId));
  await staffFile.getByRole("button", { name: "Erneut prüfen" }).click();

  await expect(staffFile.locator(".preflight-profile-used")).toHaveText("Prüfprofil: Digitaldruck (GWG 2022)");
  await expect(staffFile.locator(".preflight-verdict")).toHaveText(VERDICT, { timeout: 30_000 });
  await expect
    .poll(
      () =>
        customerFrames.some(
          (frame) => frame.type === "preflight.updated" && frame.state === "done" && !firstRunIds.has(frame.runId),
        ),
      { message: "the customer's page received the re-run's result", timeout: 30_000 },
    )
    .toBe(true);
  await expect(customerFile.locator(".preflight-verdict")).toHaveText(VERDICT);
  expect(customerLoads, "loads of the customer's page").toBe(0);

  // Leave the order on the default profile for later runs against the same state folder.
  await staff.getByLabel(/Prüfprofil für neue Prüfungen/).selectOption("gwg2022-sheetfed");
  await staff.getByRole("button", { name: "Profil speichern" }).click();
  await expect(staff.getByLabel(/Prüfprofil für neue Prüfungen/)).toHaveValue("gwg2022-sheetfed");
  await staff.context().close();
});

test("customer cannot control preflight", async ({ page }) => {
  await logIn(page);
  await openOrderFromOverview(page, OFFER_NUMBER);
  const orderId = orderIdOf(page);

  const forms: Record<string, string>[] = [
    { intent: "set-profile", profile: "gwg2022-newspaper" },
    { intent: "rerun", fileId: crypto.randomUUID() },
  ];
  for (const form of forms) {
    const response = await page.request.post(`/auftraege/${orderId}`, { form, headers: sameOriginHeaders(page) });
    expect(response.status(), `status for ${form.intent}`).toBe(403);
  }
});
