import { expect, type Browser, type Page } from "@playwright/test";

import { DEMO_PASSWORD } from "../../scripts/demo-data";
import { buildPrintPdf } from "./print-pdf";

/** Demo customer of "Beispiel Verlag GmbH", the company of the 42793.xx orders. */
export const CUSTOMER_EMAIL = "kunde@example.com";
/** Demo customer of "Nordlicht Reisen GmbH", who must not see the other company's orders. */
export const OTHER_CUSTOMER_EMAIL = "kunde2@example.com";

/** Fills in and submits the login form on the page that is open now. */
export async function submitLogin(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.getByLabel("E-Mail-Adresse").fill(email);
  await page.getByLabel("Passwort").fill(password);
  await page.getByRole("button", { name: "Anmelden" }).click();
}

/** Signs in through the login page and waits for the overview. */
export async function logIn(page: Page, email = CUSTOMER_EMAIL) {
  await page.goto("/anmelden");
  await submitLogin(page, email);
  await expect(page).toHaveURL("/");
  await expect(page.getByRole("heading", { level: 1, name: "Angebote und Aufträge" })).toBeVisible();
}

/** Opens a page in a fresh browser context (its own cookies) with the user signed in. */
export async function newSignedInPage(browser: Browser, email = CUSTOMER_EMAIL): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await logIn(page, email);
  return page;
}

/** Opens an order from the overview through the "zum Auftrag" link of the row with this offer number. */
export async function openOrderFromOverview(page: Page, offerNumber: string) {
  await page.goto("/");
  const row = page.getByRole("row").filter({ has: page.getByRole("cell", { name: `#${offerNumber}`, exact: true }) });
  await row.getByRole("link", { name: "zum Auftrag" }).click();
  await expect(page).toHaveURL(/\/auftraege\/[^/]+$/);
  await expect(page.getByRole("definition").filter({ hasText: `#${offerNumber}` })).toBeVisible();
}

/** Returns the order id from the URL of an open order page. */
export function orderIdOf(page: Page): string {
  const match = /\/auftraege\/([^/?#]+)/.exec(new URL(page.url()).pathname);
  if (!match) throw new Error(`Expected an order page, but the page is at ${page.url()}`);
  return decodeURIComponent(match[1]);
}

/** Returns a PDF file name with a random suffix, so that one test's upload cannot be taken for another's. */
export function uniqueFileName(stem: string): string {
  return `${stem}-${crypto.randomUUID().slice(0, 8)}.pdf`;
}

/**
 * Records every WebSocket the page's scripts open, so that a test can wait
 * until a live connection is up. Must run before the page loads.
 */
export async function trackWebSockets(page: Page) {
  await page.addInitScript(() => {
    const NativeWebSocket = window.WebSocket;
    const sockets: WebSocket[] = [];
    (window as unknown as { openedSockets: WebSocket[] }).openedSockets = sockets;
    window.WebSocket = class extends NativeWebSocket {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        sockets.push(this);
      }
    };
  });
}

/**
 * Waits until a WebSocket tracked by `trackWebSockets` whose URL contains
 * `/parties/<party>/` is open, so that the party's frames reach the page.
 */
export async function waitForOpenSocket(page: Page, party: "order-room" | "staff-feed") {
  await expect
    .poll(
      () =>
        page.evaluate(
          (path) =>
            (window as unknown as { openedSockets?: WebSocket[] }).openedSockets?.some(
              (socket) => socket.url.includes(path) && socket.readyState === WebSocket.OPEN,
            ) ?? false,
          `/parties/${party}/`,
        ),
      { message: `${party} socket is open` },
    )
    .toBe(true);
}

/**
 * Returns the headers a raw API request (`page.request`) needs to change
 * state: the portal rejects a POST, PUT, PATCH or DELETE without its own
 * Origin, which a browser always sends.
 */
export function sameOriginHeaders(page: Page): Record<string, string> {
  return { Origin: new URL(page.url()).origin };
}

/**
 * Collects the Content-Security-Policy violations of the page: the console
 * messages Chromium writes for them and the `securitypolicyviolation`
 * events, for a test to assert that there are none. Must run before the page loads.
 */
export async function collectCspViolations(page: Page): Promise<string[]> {
  const violations: string[] = [];
  page.on("console", (message) => {
    const text = message.text();
    if (/Content Security Policy|Content-Security-Policy/i.test(text)) violations.push(`${page.url()}: ${text}`);
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      console.error(`Content-Security-Policy violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"}`);
    });
  });
  return violations;
}

/**
 * Uploads a one-page print file on the open order page, waits until its
 * preflight verdict shows and returns the file's id, read from its "Bericht" link.
 */
export async function uploadPrintFileAndWait(page: Page, fileName: string): Promise<string> {
  await page.getByLabel(/Druckdaten hochladen/).setInputFiles({
    name: fileName,
    mimeType: "application/pdf",
    buffer: await buildPrintPdf(fileName),
  });
  const file = page.locator("ul.files > li.file").filter({ has: page.locator(".file-name", { hasText: fileName }) });
  await expect(file.locator(".preflight-verdict")).toHaveText(/^Datencheck (OK|Warnung|fehlerhaft)/, { timeout: 30_000 });

  const href = await file.getByRole("link", { name: "Bericht" }).getAttribute("href");
  const match = /^\/dateien\/([^/]+)\/bericht$/.exec(href ?? "");
  if (!match) throw new Error(`Expected a report link /dateien/<id>/bericht, but found ${href}`);
  return decodeURIComponent(match[1]);
}

/**
 * Waits until the dev mailbox's newest e-mail to the address with the subject
 * has a one-time link other than `previousPath`, and returns the link's path.
 */
export async function linkPathFromMailbox(staff: Page, to: string, subject: string, previousPath: string | null = null): Promise<string> {
  let path: string | null = null;
  await expect
    .poll(
      async () => {
        await staff.goto("/dev/postfach");
        const row = staff.getByRole("row").filter({ hasText: to }).filter({ hasText: subject }).first();
        if ((await row.count()) === 0) return null;
        await row.getByRole("link").click();
        const text = await staff.locator("pre.dev-mailbox-text").textContent();
        path = /\/passwort\/[a-z2-7]+/.exec(text ?? "")?.[0] ?? null;
        return path !== previousPath ? path : null;
      },
      { message: `new e-mail "${subject}" to ${to} in the dev mailbox` },
    )
    .not.toBeNull();
  return path!;
}
