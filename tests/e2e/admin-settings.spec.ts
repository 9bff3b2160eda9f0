import { expect, test, type Page } from "@playwright/test";

import { logIn, openOrderFromOverview } from "./helpers";

// This spec changes shop settings that later spec files read (the prepress
// hours on the order page, the number ranges, the header). It puts every
// value back at the end, also when a step fails.

const ADMIN_EMAIL = "admin@example.com";
const SHOP_NAME = "Lindenblatt Druck GmbH";
const NEW_HOURS = "Mo–Do 8:00–16:30 Uhr, Fr 8:00–13:00 Uhr";

/** A real 1 × 1 pixel PNG. */
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64");

let original: { hours: string; nextOfferNumber: string; nextOrderNumber: string } | null = null;

async function openSettings(page: Page) {
  await page.goto("/verwaltung/einstellungen");
  await expect(page.getByRole("heading", { level: 1, name: "Einstellungen" })).toBeVisible();
}

async function save(page: Page) {
  await page.getByRole("button", { name: "Einstellungen speichern" }).click();
}

test.afterAll(async ({ browser }) => {
  if (!original) return;
  const page = await browser.newPage();
  await logIn(page, ADMIN_EMAIL);
  await openSettings(page);
  await page.getByLabel("Erreichbarkeit der Druckvorstufe").fill(original.hours);
  await page.getByLabel("Nächste Angebotsnummer").fill(original.nextOfferNumber);
  await page.getByLabel("Nächste Auftragsnummer").fill(original.nextOrderNumber);
  const removeLogo = page.getByLabel("Logo entfernen");
  if ((await removeLogo.count()) > 0) await removeLogo.check();
  await save(page);
  await expect(page.getByRole("status")).toHaveText("Die Einstellungen wurden gespeichert.");
  await expect(page.getByRole("banner").getByRole("img")).toHaveCount(0);
  await page.close();
});

test("admin changes hours, number ranges and logo", async ({ page }) => {
  await logIn(page, ADMIN_EMAIL);
  await page.getByRole("link", { name: "Verwaltung", exact: true }).click();
  await page.getByRole("link", { name: "Einstellungen" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Einstellungen" })).toBeVisible();

  const hours = page.getByLabel("Erreichbarkeit der Druckvorstufe");
  const nextOffer = page.getByLabel("Nächste Angebotsnummer");
  const nextOrder = page.getByLabel("Nächste Auftragsnummer");
  original = { hours: await hours.inputValue(), nextOfferNumber: await nextOffer.inputValue(), nextOrderNumber: await nextOrder.inputValue() };
  expect(original.hours).toBe("Mo–Fr 7:00–18:00 Uhr");

  // An order number below the ones in use is rejected, and nothing is saved.
  await hours.fill(NEW_HOURS);
  await nextOrder.fill("1");
  await save(page);
  await expect(page.getByRole("alert")).toHaveText("Die Einstellungen wurden nicht gespeichert. Bitte korrigieren Sie die markierten Felder.");
  await expect(page.getByText("Die nächste Auftragsnummer muss größer sein als die höchste vergebene Auftragsnummer", { exact: false })).toBeVisible();
  await expect(nextOrder).toHaveAttribute("aria-invalid", "true");
  await openSettings(page);
  await expect(hours).toHaveValue(original.hours);
  await expect(nextOrder).toHaveValue(original.nextOrderNumber);

  // An offer base number in use is rejected too.
  await nextOffer.fill("42793");
  await save(page);
  await expect(page.getByText("Angebote mit der Nummer 42793 gibt es bereits.", { exact: false })).toBeVisible();

  const newOfferNumber = String(Number(original.nextOfferNumber) + 1000);
  const newOrderNumber = String(Number(original.nextOrderNumber) + 1000);
  await hours.fill(NEW_HOURS);
  await nextOffer.fill(newOfferNumber);
  await nextOrder.fill(newOrderNumber);
  await save(page);
  await expect(page.getByRole("status")).toHaveText("Die Einstellungen wurden gespeichert.");
  await openSettings(page);
  await expect(hours).toHaveValue(NEW_HOURS);
  await expect(nextOffer).toHaveValue(newOfferNumber);
  await expect(nextOrder).toHaveValue(newOrderNumber);

  // The order page's sidebar shows the new hours.
  await openOrderFromOverview(page, "42793.04");
  const prepress = page.getByRole("complementary").getByRole("region", { name: "Druckvorstufe" });
  await expect(prepress.locator("address")).toContainText(`Erreichbar: ${NEW_HOURS}`);

  // A text file is no logo.
  await openSettings(page);
  await page.getByLabel("Logo", { exact: true }).setInputFiles({ name: "logo.png", mimeType: "image/png", buffer: Buffer.from("kein Bild") });
  await save(page);
  await expect(page.getByText("Das Bild ist kein PNG oder JPEG.", { exact: false })).toBeVisible();
  await expect(page.getByRole("banner").getByRole("img")).toHaveCount(0);

  await page.getByLabel("Logo", { exact: true }).setInputFiles({ name: "logo.png", mimeType: "image/png", buffer: PNG });
  await save(page);
  await expect(page.getByRole("status")).toHaveText("Die Einstellungen wurden gespeichert.");
  const logo = page.getByRole("banner").getByRole("img", { name: SHOP_NAME });
  await expect(logo).toBeVisible();
  const src = await logo.getAttribute("src");
  expect(src).toMatch(/^\/logo\?v=/);

  const response = await page.request.get(src!);
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toBe("image/png");
  expect(response.headers()["x-content-type-options"]).toBe("nosniff");
  expect(Buffer.from(await response.body())).toEqual(PNG);

  // The logo is public: the login page shows it to visitors who are not signed in.
  const visitor = await page.context().browser()!.newPage();
  await visitor.goto("/anmelden");
  await expect(visitor.getByRole("banner").getByRole("img", { name: SHOP_NAME })).toBeVisible();
  await visitor.close();
});

test("too large logo keeps typed fields", async ({ page }) => {
  await logIn(page, ADMIN_EMAIL);
  await openSettings(page);
  const hours = page.getByLabel("Erreichbarkeit der Druckvorstufe");
  const storedHours = await hours.inputValue();
  // A 4 MB file that starts like a PNG, above the 1 MB limit.
  const large = Buffer.concat([PNG, Buffer.alloc(4 * 1024 * 1024)]);

  // Repeated, because a response sent before the body was read failed only on some requests.
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    await hours.fill(`Nur nach Absprache ${attempt}`);
    // The field is "Neues Logo" while the first test's logo is stored.
    await page.getByLabel(/^(Neues )?Logo$/).setInputFiles({ name: "logo.png", mimeType: "image/png", buffer: large });
    // The message of the attempt before is still shown, so wait for this attempt's response.
    const response = page.waitForResponse((candidate) => candidate.request().method() === "POST" && candidate.url().includes("/verwaltung/einstellungen"));
    await save(page);
    expect((await response).status()).toBe(400);
    await expect(page.getByText("Das Bild ist zu groß. Erlaubt sind höchstens 1 MB.")).toBeVisible();
    await expect(page.getByRole("alert")).toHaveText("Die Einstellungen wurden nicht gespeichert. Bitte korrigieren Sie die markierten Felder.");
    await expect(hours).toHaveValue(`Nur nach Absprache ${attempt}`);
  }

  // Without JavaScript the page comes back with the typed values too.
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    const response = await page.request.post("/verwaltung/einstellungen", {
      headers: { Origin: new URL(page.url()).origin },
      multipart: {
        name: SHOP_NAME,
        street: "Hafenkante 12",
        postalCode: "28217",
        city: "Bremen",
        phone: "0421 555 010-0",
        email: "info@lindenblatt-druck.example",
        prepressPhone: "0421 555 010-40",
        prepressEmail: "druckvorstufe@lindenblatt-druck.example",
        prepressHours: `Ohne Skript ${attempt}`,
        nextOfferNumber: "1",
        nextOrderNumber: "1",
        maxUploadSize: "5",
        maxUploadUnit: "GB",
        acceptedFileTypes: "application/pdf",
        logo: { name: "logo.png", mimeType: "image/png", buffer: large },
      },
    });
    expect(response.status()).toBe(400);
    const html = await response.text();
    expect(html).toContain("Das Bild ist zu groß. Erlaubt sind höchstens 1 MB.");
    expect(html).toContain(`value="Ohne Skript ${attempt}"`);
  }

  // A body far above what the form reads still gets the message, not a server error.
  const huge = await page.request.post("/verwaltung/einstellungen", {
    headers: { Origin: new URL(page.url()).origin },
    multipart: { name: SHOP_NAME, logo: { name: "logo.png", mimeType: "image/png", buffer: Buffer.concat([PNG, Buffer.alloc(20 * 1024 * 1024)]) } },
  });
  expect(huge.status()).toBe(413);
  expect(await huge.text()).toContain("Das Bild ist zu groß. Erlaubt sind höchstens 1 MB.");

  await openSettings(page);
  await expect(hours).toHaveValue(storedHours);
});

test("staff photo on the profile", async ({ page, browser }) => {
  await logIn(page, "auftragsmanager@example.com");
  await page.getByRole("link", { name: "Profil" }).click();
  const photo = page.getByRole("region", { name: "Foto" });
  await expect(photo).toContainText("Kein Foto hinterlegt.");

  await photo.getByLabel("Foto", { exact: true }).setInputFiles({ name: "foto.jpg", mimeType: "image/jpeg", buffer: Buffer.from("kein Bild") });
  await photo.getByRole("button", { name: "Foto speichern" }).click();
  await expect(photo.getByRole("alert")).toContainText("Das Bild ist kein PNG oder JPEG.");

  await photo.getByLabel("Foto", { exact: true }).setInputFiles({ name: "foto.png", mimeType: "image/png", buffer: PNG });
  await photo.getByRole("button", { name: "Foto speichern" }).click();
  await expect(photo.getByRole("status")).toHaveText("Das Foto wurde gespeichert.");
  const src = await photo.getByRole("img", { name: "Ihr Foto" }).getAttribute("src");
  expect(src).toMatch(/^\/team\/[^/]+\/foto\?v=/);

  // Customers see the photo of staff, and nothing under other ids.
  const customer = await browser.newPage();
  await logIn(customer);
  const response = await customer.request.get(src!);
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toBe("image/png");
  expect((await customer.request.get("/team/no-such-user/foto")).status()).toBe(404);

  await photo.getByRole("button", { name: "Foto entfernen" }).click();
  await expect(photo.getByRole("status")).toHaveText("Das Foto wurde entfernt.");
  await expect(photo).toContainText("Kein Foto hinterlegt.");
  expect((await customer.request.get(src!)).status()).toBe(404);
  await customer.close();
});
