import { expect, test, type APIResponse } from "@playwright/test";

import {
  collectCspViolations,
  CUSTOMER_EMAIL,
  logIn,
  newSignedInPage,
  openOrderFromOverview,
  orderIdOf,
  sameOriginHeaders,
  submitLogin,
  trackWebSockets,
  uniqueFileName,
  uploadPrintFileAndWait,
  waitForOpenSocket,
} from "./helpers";

const OFFER_NUMBER = "42793.04";
const MANAGER_EMAIL = "auftragsmanager@example.com";
const ADMIN_EMAIL = "admin@example.com";
const FOREIGN_ORIGIN_MESSAGE =
  "Die Anfrage wurde abgelehnt, weil sie nicht von einer Seite des Kundenportals kommt. Bitte laden Sie die Seite neu und versuchen Sie es noch einmal.";

/** Asserts the security headers every portal response carries, and returns the CSP nonce. */
function expectSecurityHeaders(headers: Record<string, string>, label: string): string {
  const policy = headers["content-security-policy"];
  expect(policy, `CSP of ${label}`).toMatch(/^default-src 'self'; script-src 'self' 'nonce-[A-Za-z0-9+/]{22}=='; /);
  expect(policy, `CSP of ${label}`).toContain("frame-ancestors 'none'");
  expect(policy, `CSP of ${label}`).toContain("object-src 'none'");
  expect(policy, `CSP of ${label}`).toContain("style-src 'self'; ");
  expect(policy, `CSP of ${label}`).not.toMatch(/script-src[^;]*'unsafe-/);
  expect(headers["x-content-type-options"], `X-Content-Type-Options of ${label}`).toBe("nosniff");
  expect(headers["referrer-policy"], `Referrer-Policy of ${label}`).toBe("strict-origin-when-cross-origin");
  expect(headers["x-frame-options"], `X-Frame-Options of ${label}`).toBe("DENY");
  return /'nonce-([^']+)'/.exec(policy)![1];
}

async function expectHeadersOn(response: APIResponse, status: number, label: string) {
  expect(response.status(), `status of ${label}`).toBe(status);
  return expectSecurityHeaders(response.headers(), label);
}

test("headers on page, redirect, 404 and downloads", async ({ page, request }) => {
  const loginPage = await request.get("/anmelden");
  const nonce = await expectHeadersOn(loginPage, 200, "login page");
  // Every inline script carries this response's nonce, and no script is without one.
  const html = await loginPage.text();
  const inlineScripts = [...html.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)].map((match) => match[1]);
  expect(inlineScripts.length, "inline scripts of the login page").toBeGreaterThan(0);
  for (const attributes of inlineScripts) expect(attributes).toContain(`nonce="${nonce}"`);

  const second = await request.get("/anmelden");
  expect(expectSecurityHeaders(second.headers(), "second login page"), "nonce of a second response").not.toBe(nonce);

  await expectHeadersOn(await request.get("/", { maxRedirects: 0 }), 302, "redirect to login");
  await expectHeadersOn(await request.get("/gibt-es-nicht"), 404, "unknown page");
  await expectHeadersOn(await request.get("/logo"), 404, "missing logo");

  await logIn(page);
  await openOrderFromOverview(page, OFFER_NUMBER);
  const documentHref = await page.getByRole("link", { name: `Angebot #${OFFER_NUMBER} ansehen` }).getAttribute("href");
  const download = await page.request.get(`${documentHref}?download=1`);
  await expectHeadersOn(download, 200, "document download");
  expect(download.headers()["content-disposition"]).toMatch(/^attachment;/);

  const fileId = await uploadPrintFileAndWait(page, uniqueFileName("kopfzeilen"));
  await expectHeadersOn(await page.request.get(`/dateien/${fileId}?download=1`), 200, "print file download");
  await expectHeadersOn(await page.request.get(`/dateien/${fileId}/bericht.json`), 200, "report JSON");
  await expectHeadersOn(await page.request.get(`/auftraege/${orderIdOf(page)}/uploads`), 405, "resource route 405");
});

test("session cookie is HttpOnly and SameSite=Lax", async ({ request, baseURL }) => {
  const response = await request.post("/anmelden", {
    headers: { Origin: new URL(baseURL!).origin },
    form: { email: CUSTOMER_EMAIL, password: "Portal-Demo-2024" },
    maxRedirects: 0,
  });

  expect(response.status()).toBe(302);
  const cookie = response.headersArray().find((header) => header.name.toLowerCase() === "set-cookie" && header.value.startsWith("portal_session="));
  expect(cookie?.value).toMatch(/; HttpOnly/i);
  expect(cookie?.value).toMatch(/; SameSite=Lax/i);
  // Plain HTTP on loopback: Secure is set only for https, which the worker tests of the session cover.
  expect(cookie?.value).not.toMatch(/; Secure/i);
});

test("no CSP violations on customer pages", async ({ page }) => {
  const violations = await collectCspViolations(page);
  await trackWebSockets(page);

  await page.goto("/anmelden");
  await expect(page.getByRole("heading", { level: 1, name: "Anmelden" })).toBeVisible();
  await page.goto("/passwort-vergessen");
  await page.goto("/anfragen");
  await logIn(page);

  await openOrderFromOverview(page, OFFER_NUMBER);
  await waitForOpenSocket(page, "order-room");
  await expect(page.getByRole("region", { name: "Nachrichten" })).toBeVisible();
  const fileId = await uploadPrintFileAndWait(page, uniqueFileName("csp"));

  // A full load of the report page: pdf.js, its worker and the canvas pictures.
  await page.goto(`/dateien/${fileId}/bericht`);
  const firstPage = page.locator('.report-page[data-page="1"]');
  await expect(firstPage.locator(".report-picture-frame")).toHaveAttribute("data-rendered", "true", { timeout: 20_000 });
  await expect(firstPage.locator("canvas")).toBeVisible();

  await page.goto("/profil");
  await page.goto("/");
  expect(violations).toEqual([]);
});

test("no CSP violations on staff pages", async ({ browser }) => {
  const manager = await browser.newPage();
  const violations = await collectCspViolations(manager);
  await trackWebSockets(manager);
  await logIn(manager, MANAGER_EMAIL);

  await manager.goto("/live");
  await waitForOpenSocket(manager, "staff-feed");
  await openOrderFromOverview(manager, OFFER_NUMBER);
  const orderId = orderIdOf(manager);
  await waitForOpenSocket(manager, "order-room");

  const staffPages = [
    "/verwaltung",
    "/verwaltung/firmen",
    "/verwaltung/angebote/neu",
    `/verwaltung/auftraege/${orderId}`,
    "/verwaltung/anfragen",
    "/dev/postfach",
  ];
  for (const path of staffPages) {
    const response = await manager.goto(path);
    expect(response?.status(), `status of ${path}`).toBe(200);
  }
  await manager.goto("/verwaltung/firmen");
  await manager.getByRole("link", { name: "Beispiel Verlag GmbH" }).click();
  await expect(manager).toHaveURL(/\/verwaltung\/firmen\/[^/]+$/);

  const admin = await newSignedInPage(browser, ADMIN_EMAIL);
  const adminViolations = await collectCspViolations(admin);
  for (const path of ["/verwaltung/einstellungen", "/verwaltung/team"]) {
    const response = await admin.goto(path);
    expect(response?.status(), `status of ${path}`).toBe(200);
  }

  expect(violations).toEqual([]);
  expect(adminViolations).toEqual([]);
  await manager.context().close();
  await admin.context().close();
});

test("foreign site cannot post a form", async ({ page, context }) => {
  await logIn(page);
  await openOrderFromOverview(page, OFFER_NUMBER);
  const orderUrl = page.url();

  // A page of another site that sends a form to the portal, as a forged request would.
  await context.route("http://fremde-seite.test/**", (route) =>
    route.fulfill({
      contentType: "text/html",
      body: `<form method="post" action="${orderUrl}"><input name="intent" value="chat-emails"><input name="enabled" value="off"><button>Senden</button></form>`,
    }),
  );
  const attacker = await context.newPage();
  await attacker.goto("http://fremde-seite.test/");
  const [response] = await Promise.all([
    attacker.waitForResponse((candidate) => candidate.url() === orderUrl && candidate.request().method() === "POST"),
    attacker.getByRole("button", { name: "Senden" }).click(),
  ]);

  expect(response.status()).toBe(403);
  expect(response.request().headers()["origin"]).toBe("http://fremde-seite.test");
  await expect(attacker.locator("body")).toHaveText(FOREIGN_ORIGIN_MESSAGE);
  expectSecurityHeaders(await response.allHeaders(), "rejected form");
});

test("raw request without Origin is refused", async ({ page }) => {
  await logIn(page);
  await openOrderFromOverview(page, OFFER_NUMBER);
  const form = { intent: "set-profile", profile: "offset-sheetfed" };

  const missing = await page.request.post(page.url(), { form, maxRedirects: 0 });
  expect(missing.status()).toBe(403);
  expect(await missing.json()).toEqual({ ok: false, message: FOREIGN_ORIGIN_MESSAGE });

  const foreign = await page.request.post(page.url(), { form, headers: { Origin: "http://fremde-seite.test" }, maxRedirects: 0 });
  expect(foreign.status()).toBe(403);

  // The same request from the portal's origin reaches the route, which refuses a customer by role.
  const own = await page.request.post(page.url(), { form, headers: sameOriginHeaders(page), maxRedirects: 0 });
  expect(own.status()).toBe(403);
  expect(await own.text()).not.toContain(FOREIGN_ORIGIN_MESSAGE);
});

test("form without JavaScript sends Origin", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto("/anmelden");
  await submitLogin(page, CUSTOMER_EMAIL);

  await expect(page).toHaveURL("/");
  await expect(page.getByRole("heading", { level: 1, name: "Angebote und Aufträge" })).toBeVisible();
  await context.close();
});

test("page without referrer sends null origin", async ({ page, baseURL }) => {
  // A page that must keep its URL (a password link) to the portal uses
  // Referrer-Policy: same-origin, because with no-referrer Chromium sends
  // `Origin: null` with the page's forms, which the portal rejects.
  for (const [policy, expectedOrigin, expectedStatus] of [
    ["same-origin", new URL(baseURL!).origin, 302],
    ["no-referrer", "null", 403],
  ] as const) {
    await page.route(`${baseURL}/test-referrer-${policy}`, (route) =>
      route.fulfill({
        contentType: "text/html",
        headers: { "Referrer-Policy": policy },
        body: `<form method="post" action="/anmelden"><input name="email" value="${CUSTOMER_EMAIL}"><input name="password" value="Portal-Demo-2024"><button>Anmelden</button></form>`,
      }),
    );
    await page.goto(`/test-referrer-${policy}`);
    const [login] = await Promise.all([
      page.waitForResponse((candidate) => candidate.url().endsWith("/anmelden") && candidate.request().method() === "POST"),
      page.getByRole("button", { name: "Anmelden" }).click(),
    ]);

    expect(await login.request().headerValue("origin"), `Origin with ${policy}`).toBe(expectedOrigin);
    expect(login.status(), `status with ${policy}`).toBe(expectedStatus);
  }
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1, name: "Angebote und Aufträge" })).toBeVisible();
});
