import { expect, test, type Page } from "@playwright/test";

import { newSignedInPage, openOrderFromOverview, sameOriginHeaders, trackWebSockets, waitForOpenSocket } from "./helpers";

// The demo offer of Nordlicht Reisen that only this test accepts. The shop's
// order number range starts at 241101 in the demo data.
const OFFER_NUMBER = "42960.01";
const NEXT_ORDER_NUMBER = "241101";
const CONTACT_EMAIL = "kunde2@example.com";
const CONTACT_NAME = "Ole Nordmann";
const MANAGER_EMAIL = "auftragsmanager@example.com";
const TERMS = "Gesamtpreis 3.480,00 € netto zzgl. MwSt., Lieferung frei Haus. Das Angebot gilt 30 Tage.";

function stepper(page: Page) {
  return page.getByRole("list", { name: "Auftragsstatus" });
}

/** Returns the value of "Auftragsnummer" in the details: the definition right after its term. */
function orderNumberValue(page: Page) {
  return page.getByRole("region", { name: "Auftragsdetails" }).locator('dt:text-is("Auftragsnummer") + dd');
}

test("customer accepts offer, staff sees it live", async ({ browser }) => {
  const customer = await newSignedInPage(browser, CONTACT_EMAIL);
  await openOrderFromOverview(customer, OFFER_NUMBER);
  const orderUrl = customer.url();

  // A second tab of the same contact that gets no live updates, as a tab left open before the acceptance.
  const staleTab = await customer.context().newPage();
  await staleTab.routeWebSocket(/\/parties\/order-room\//, () => {});
  await staleTab.goto(orderUrl);
  await expect(staleTab.getByRole("button", { name: "Angebot annehmen" })).toBeVisible();

  const staff = await newSignedInPage(browser, MANAGER_EMAIL);
  await trackWebSockets(staff);
  await staff.goto(orderUrl);
  await expect(stepper(staff).locator('[aria-current="step"]')).toContainText("Angebot");
  await expect(staff.getByRole("button", { name: "Angebot annehmen" }), "accept button for staff").toHaveCount(0);
  await waitForOpenSocket(staff, "order-room");
  let staffLoads = 0;
  staff.on("load", () => staffLoads++);

  // The first click only opens the confirmation with the offer's terms.
  await customer.getByRole("button", { name: "Angebot annehmen" }).click();
  const confirmation = customer.getByRole("form", { name: `Angebot #${OFFER_NUMBER} verbindlich bestellen?` });
  await expect(confirmation).toContainText(TERMS);
  const offerLink = confirmation.getByRole("link", { name: `Angebot #${OFFER_NUMBER} ansehen` });
  await expect(offerLink).toHaveAttribute("href", /^\/dokumente\/[^/]+$/);
  await expect(offerLink).toHaveAttribute("target", "_blank");
  await confirmation.getByRole("button", { name: "Abbrechen" }).click();
  await expect(confirmation).toHaveCount(0);

  await customer.getByRole("button", { name: "Angebot annehmen" }).click();
  await confirmation.getByRole("button", { name: "Verbindlich bestellen" }).click();

  await expect(customer.getByRole("status").filter({ hasText: "Vielen Dank" })).toHaveText(
    `Vielen Dank, Ihr Auftrag ist erteilt. Er hat die Auftragsnummer #${NEXT_ORDER_NUMBER}.`,
  );
  await expect(stepper(customer).locator('[aria-current="step"]')).toContainText("Bestellt");
  await expect(customer.getByRole("button", { name: "Angebot annehmen" })).toHaveCount(0);
  // The next approval waits for print files.
  await expect(customer.getByRole("region", { name: "Freigaben" })).toContainText("Laden Sie zuerst Ihre Druckdaten hoch");

  // The staff page follows through the order's room, without a reload.
  await expect(stepper(staff).locator('[aria-current="step"]')).toContainText("Bestellt");
  await expect(orderNumberValue(staff)).toHaveText(`#${NEXT_ORDER_NUMBER}`);
  const approvals = staff.getByRole("region", { name: "Freigaben" });
  await expect(approvals).toContainText(new RegExp(`Angebot angenommen am \\d{2}\\.\\d{2}\\.\\d{4}, \\d{2}:\\d{2} von ${CONTACT_NAME}`));
  await expect(staff.getByRole("region", { name: "Verlauf" }).getByRole("listitem").first()).toContainText(
    `Angebot angenommen, Auftragsnummer #${NEXT_ORDER_NUMBER} von ${CONTACT_NAME}`,
  );
  expect(staffLoads, "loads of the staff page").toBe(0);

  // The stale tab still shows the offer. Its confirmation gets the same number, not a second one.
  await staleTab.getByRole("button", { name: "Angebot annehmen" }).click();
  await staleTab.getByRole("button", { name: "Verbindlich bestellen" }).click();
  await expect(staleTab.getByRole("status").filter({ hasText: "bereits angenommen" })).toHaveText(
    `Dieses Angebot ist bereits angenommen. Der Auftrag hat die Auftragsnummer #${NEXT_ORDER_NUMBER}.`,
  );
  await expect(orderNumberValue(staleTab)).toHaveText(`#${NEXT_ORDER_NUMBER}`);
  await staff.reload();
  await expect(orderNumberValue(staff)).toHaveText(`#${NEXT_ORDER_NUMBER}`);

  // The order manager's e-mail waits in the dev mailbox, once.
  await staff.goto("/dev/postfach");
  const subject = `Angebot #${OFFER_NUMBER} angenommen: Auftrag #${NEXT_ORDER_NUMBER}`;
  const rows = staff.getByRole("row").filter({ hasText: subject });
  await expect(rows).toHaveCount(1);
  await expect(rows.getByRole("cell").nth(1)).toHaveText(MANAGER_EMAIL);
  await rows.getByRole("link", { name: subject }).click();
  await expect(staff.locator(".dev-mailbox-text")).toContainText(
    `${CONTACT_NAME} (Nordlicht Reisen GmbH) hat im Kundenportal das Angebot #${OFFER_NUMBER}`,
  );

  // The customer gets a confirmation of the order, once.
  await staff.goto("/dev/postfach");
  const orderConfirmation = staff.getByRole("row").filter({ hasText: `Ihre Bestellung: Auftrag #${NEXT_ORDER_NUMBER}` });
  await expect(orderConfirmation).toHaveCount(1);
  await expect(orderConfirmation.getByRole("cell").nth(1)).toHaveText("kunde2@example.com");

  await staff.context().close();
  await customer.context().close();
});

test("staff cannot accept an offer by request", async ({ browser }) => {
  const staff = await newSignedInPage(browser, MANAGER_EMAIL);
  await openOrderFromOverview(staff, "42793.05");
  await expect(staff.getByRole("link", { name: "Im Verwaltungsbereich bearbeiten" })).toHaveAttribute(
    "href",
    new RegExp(`^/verwaltung/auftraege/[^/]+$`),
  );

  const response = await staff.request.post(staff.url(), { form: { intent: "accept-offer", version: "1" }, headers: sameOriginHeaders(staff) });
  expect(response.status()).toBe(403);

  await staff.reload();
  await expect(stepper(staff).locator('[aria-current="step"]')).toContainText("Angebot");
  await staff.context().close();
});

test("invalid version is rejected", async ({ browser }) => {
  const customer = await newSignedInPage(browser);
  await openOrderFromOverview(customer, "42793.05");

  for (const version of ["", "abc", "0", "-1", "1.5"]) {
    const response = await customer.request.post(customer.url(), { form: { intent: "accept-offer", version }, headers: sameOriginHeaders(customer) });
    expect(response.status(), `status for version "${version}"`).toBe(400);
  }

  await customer.reload();
  await expect(stepper(customer).locator('[aria-current="step"]')).toContainText("Angebot");
  await customer.context().close();
});
