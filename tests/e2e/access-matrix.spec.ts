import { expect, test, type APIRequestContext, type APIResponse, type Browser, type BrowserContext } from "@playwright/test";
import WebSocket from "ws";

import { CUSTOMER_EMAIL, logIn, openOrderFromOverview, orderIdOf, OTHER_CUSTOMER_EMAIL, uniqueFileName, uploadPrintFileAndWait } from "./helpers";

// The authorisation matrix: every route of app/routes.ts, the room sockets
// and the share page, requested by every role, with the exact status each
// role must get. The rules behind it are in app/auth/authorization.server.ts.
//
// Roles: signed out, the three staff roles, and two customers. "customer" is
// a contact of Beispiel Verlag GmbH, the company of order 42793.04, and
// "foreign" a contact of Nordlicht Reisen GmbH. A foreign customer gets the
// same 404 for an order of another company as for an id that does not exist.
//
// Requests that change state are sent with the portal's Origin and with an
// empty or invalid body. A 400 (or 404 for an unknown upload or link) means
// the route let the role through and then rejected the input, so nothing
// changes. Bodies are empty where the input check allows, because the local
// server sometimes fails with 500 when a route answers before reading a
// request body. Sockets report 101 when the room accepted them.

type Role = "signedOut" | "customer" | "foreign" | "manager" | "prepress" | "admin";
const ROLES: Role[] = ["signedOut", "customer", "foreign", "manager", "prepress", "admin"];
const ROLE_EMAILS: Record<Exclude<Role, "signedOut">, string> = {
  customer: CUSTOMER_EMAIL,
  foreign: OTHER_CUSTOMER_EMAIL,
  manager: "auftragsmanager@example.com",
  prepress: "druckvorstufe@example.com",
  admin: "admin@example.com",
};

type Method = "GET" | "POST" | "PUT" | "DELETE" | "WS";
type Body = { form?: Record<string, string>; raw?: string };

interface Row {
  method: Method;
  path: string;
  expected: Record<Role, number>;
  body?: Body;
  /** Ends the session (logout), so it runs after every other row. */
  endsSession?: boolean;
}

// Placeholders in paths, replaced by ids from the demo data before the rows run.
const ORDER = ":order"; // order 42793.04 of Beispiel Verlag GmbH
const DOCUMENT = ":document"; // its offer document
const FILE = ":file"; // a print file uploaded into it by the customer
const COMPANY = ":company"; // Beispiel Verlag GmbH
const MISSING = "00000000-0000-4000-8000-000000000000"; // an id nothing has

function row(method: Method, path: string, expected: [number, number, number, number, number, number], options: Partial<Row> = {}): Row {
  const [signedOut, customer, foreign, manager, prepress, admin] = expected;
  return { method, path, expected: { signedOut, customer, foreign, manager, prepress, admin }, ...options };
}

const FORM_EMPTY = { form: {} };

// prettier-ignore
const MATRIX: Row[] = [
  //   method  path                                                        out  cust  forgn  mgr  pre  admin
  // Public pages and sign-in
  row("GET",  "/anmelden",                                                  [200, 302, 302, 302, 302, 302]),
  row("GET",  "/abmelden",                                                  [302, 302, 302, 302, 302, 302]),
  // An empty login form is rejected before any password is checked; signed-in users go to the overview.
  row("POST", "/anmelden",                                                  [400, 302, 302, 302, 302, 302], { body: FORM_EMPTY }),
  // First login and forgotten password stay public; a password link that does not exist gets 404.
  row("GET",  "/passwort-vergessen",                                        [200, 200, 200, 200, 200, 200]),
  row("POST", "/passwort-vergessen",                                        [400, 400, 400, 400, 400, 400], { body: FORM_EMPTY }),
  row("GET",  `/passwort/${"x".repeat(43)}`,                                [404, 404, 404, 404, 404, 404]),
  // An empty password form is rejected before the link is looked up.
  row("POST", `/passwort/${"x".repeat(43)}`,                                [400, 400, 400, 400, 400, 400], { body: FORM_EMPTY }),
  // The access request form is public; signed-in users go to the overview.
  row("GET",  "/anfragen",                                                  [200, 302, 302, 302, 302, 302]),
  row("POST", "/anfragen",                                                  [400, 302, 302, 302, 302, 302], { body: FORM_EMPTY }),
  row("GET",  "/gibt-es-nicht",                                             [404, 404, 404, 404, 404, 404]),
  // No logo is stored in the demo data; the logo is public once there is one.
  row("GET",  "/logo",                                                      [404, 404, 404, 404, 404, 404]),
  // No staff member has a photo in the demo data.
  row("GET",  `/team/${MISSING}/foto`,                                      [302, 404, 404, 404, 404, 404]),
  row("GET",  `/hochladen/${"x".repeat(43)}`,                               [404, 404, 404, 404, 404, 404]),

  // Overview and order page
  row("GET",  "/",                                                          [302, 200, 200, 200, 200, 200]),
  row("GET",  `/auftraege/${ORDER}`,                                        [302, 200, 404, 200, 200, 200]),
  row("GET",  `/auftraege/${MISSING}`,                                      [302, 404, 404, 404, 404, 404]),
  // The order page's action without an intent is a staff control: customers 403, invalid input 400.
  row("POST", `/auftraege/${ORDER}`,                                        [302, 403, 404, 400, 400, 400], { body: FORM_EMPTY }),
  row("POST", `/auftraege/${MISSING}`,                                      [302, 404, 404, 404, 404, 404], { body: FORM_EMPTY }),

  // Uploads and share links of an order (JSON routes: 401 without a session)
  row("GET",  `/auftraege/${ORDER}/dateien`,                                [405, 405, 405, 405, 405, 405]),
  row("PUT",  `/auftraege/${ORDER}/dateien`,                                [401, 400, 404, 400, 400, 400]),
  row("PUT",  `/auftraege/${MISSING}/dateien`,                              [401, 404, 404, 404, 404, 404]),
  row("GET",  `/auftraege/${ORDER}/uploads`,                                [405, 405, 405, 405, 405, 405]),
  row("POST", `/auftraege/${ORDER}/uploads`,                                [401, 400, 404, 400, 400, 400]),
  row("GET",  `/auftraege/${ORDER}/uploads/${MISSING}`,                     [401, 404, 404, 404, 404, 404]),
  row("DELETE", `/auftraege/${ORDER}/uploads/${MISSING}`,                   [401, 404, 404, 404, 404, 404]),
  row("PUT",  `/auftraege/${ORDER}/uploads/${MISSING}/parts/1`,             [401, 404, 404, 404, 404, 404], { body: { raw: "" } }),
  row("POST", `/auftraege/${ORDER}/uploads/${MISSING}/complete`,            [401, 400, 404, 400, 400, 400]),
  row("GET",  `/auftraege/${ORDER}/links`,                                  [405, 405, 405, 405, 405, 405]),
  row("POST", `/auftraege/${ORDER}/links`,                                  [401, 400, 404, 400, 400, 400], { body: { form: { expiresInDays: "0" } } }),
  row("POST", `/auftraege/${ORDER}/links/${MISSING}/widerrufen`,            [401, 404, 404, 404, 404, 404], { body: FORM_EMPTY }),

  // Documents, print files and reports
  row("GET",  `/dokumente/${DOCUMENT}`,                                     [302, 200, 404, 200, 200, 200]),
  row("GET",  `/dokumente/${MISSING}`,                                      [302, 404, 404, 404, 404, 404]),
  row("GET",  `/dateien/${FILE}`,                                           [302, 200, 404, 200, 200, 200]),
  row("GET",  `/dateien/${MISSING}`,                                        [302, 404, 404, 404, 404, 404]),
  row("GET",  `/dateien/${FILE}/bericht`,                                   [302, 200, 404, 200, 200, 200]),
  row("GET",  `/dateien/${MISSING}/bericht`,                                [302, 404, 404, 404, 404, 404]),
  row("GET",  `/dateien/${FILE}/bericht.json`,                              [302, 200, 404, 200, 200, 200]),
  row("GET",  `/dateien/${MISSING}/bericht.json`,                           [302, 404, 404, 404, 404, 404]),

  // Profile: every signed-in user has one.
  row("GET",  "/profil",                                                    [302, 200, 200, 200, 200, 200]),
  row("POST", "/profil",                                                    [302, 400, 400, 400, 400, 400], { body: FORM_EMPTY }),

  // Staff area
  row("GET",  "/live",                                                      [302, 403, 403, 200, 200, 200]),
  row("GET",  "/verwaltung",                                                [302, 403, 403, 200, 200, 200]),
  row("GET",  "/verwaltung/firmen",                                         [302, 403, 403, 200, 200, 200]),
  row("POST", "/verwaltung/firmen",                                         [302, 403, 403, 400, 403, 400], { body: FORM_EMPTY }),
  row("GET",  `/verwaltung/firmen/${COMPANY}`,                              [302, 403, 403, 200, 200, 200]),
  row("GET",  `/verwaltung/firmen/${MISSING}`,                              [302, 403, 403, 404, 404, 404]),
  row("POST", `/verwaltung/firmen/${COMPANY}`,                              [302, 403, 403, 400, 403, 400], { body: { form: { intent: "company" } } }),
  row("GET",  "/verwaltung/einstellungen",                                  [302, 403, 403, 403, 403, 200]),
  row("POST", "/verwaltung/einstellungen",                                  [302, 403, 403, 403, 403, 400], { body: FORM_EMPTY }),
  // Access requests for those who may create contacts (manager, admin), the team for administrators.
  row("GET",  "/verwaltung/anfragen",                                       [302, 403, 403, 200, 403, 200]),
  row("POST", "/verwaltung/anfragen",                                       [302, 403, 403, 400, 403, 400], { body: FORM_EMPTY }),
  row("GET",  "/verwaltung/team",                                           [302, 403, 403, 403, 403, 200]),
  row("POST", "/verwaltung/team",                                           [302, 403, 403, 403, 403, 400], { body: FORM_EMPTY }),
  row("GET",  "/verwaltung/angebote/neu",                                   [302, 403, 403, 200, 403, 200]),
  row("POST", "/verwaltung/angebote/neu",                                   [302, 403, 403, 400, 403, 400], { body: FORM_EMPTY }),
  row("GET",  "/verwaltung/auftraege/status",                               [404, 404, 404, 404, 404, 404]),
  // The bulk form returns to the overview with its message, also when nothing was ticked.
  row("POST", "/verwaltung/auftraege/status",                               [302, 403, 403, 302, 302, 302], { body: FORM_EMPTY }),
  row("GET",  `/verwaltung/auftraege/${ORDER}`,                             [302, 403, 403, 200, 200, 200]),
  row("GET",  `/verwaltung/auftraege/${MISSING}`,                           [302, 403, 403, 404, 404, 404]),
  row("POST", `/verwaltung/auftraege/${ORDER}`,                             [302, 403, 403, 400, 400, 400], { body: FORM_EMPTY }),
  // The local mailbox exists only for staff, so customers get the 404 of an unknown page.
  row("GET",  "/dev/postfach",                                              [302, 404, 404, 200, 200, 200]),
  row("GET",  `/dev/postfach/${MISSING}`,                                   [302, 404, 404, 404, 404, 404]),

  // Sockets: the order room and the staff feed (401 without a session, 403 otherwise). The
  // local server closes a refused handshake without its status, so this test tells only
  // accepted (101) from refused; app/security/worker-entry.worker.test.ts asserts these
  // rows' exact statuses in workerd.
  row("WS",   `/parties/order-room/${ORDER}`,                               [401, 101, 403, 101, 101, 101]),
  row("WS",   `/parties/order-room/${MISSING}`,                             [401, 403, 403, 403, 403, 403]),
  row("WS",   "/parties/staff-feed/staff",                                  [401, 403, 403, 101, 101, 101]),
  row("WS",   "/parties/staff-feed/andere",                                 [404, 404, 404, 404, 404, 404]),

  // Logout ends the session, so it runs last.
  row("POST", "/abmelden",                                                  [302, 302, 302, 302, 302, 302], { body: FORM_EMPTY, endsSession: true }),
];

interface Session {
  context: BrowserContext;
  request: APIRequestContext;
  cookie: string;
}

const sessions = new Map<Role, Session>();
const ids = { order: "", document: "", file: "", company: "" };
let baseUrl = "";

async function openSession(browser: Browser, role: Role): Promise<Session> {
  const context = await browser.newContext();
  const page = await context.newPage();
  if (role !== "signedOut") await logIn(page, ROLE_EMAILS[role]);
  const cookie = (await context.cookies()).map(({ name, value }) => `${name}=${value}`).join("; ");
  await page.close();
  return { context, request: context.request, cookie };
}

test.beforeAll(async ({ browser, baseURL }) => {
  test.setTimeout(120_000);
  baseUrl = baseURL!;
  for (const role of ROLES) sessions.set(role, await openSession(browser, role));

  const customer = await sessions.get("customer")!.context.newPage();
  await openOrderFromOverview(customer, "42793.04");
  ids.order = orderIdOf(customer);
  const documentHref = await customer.getByRole("link", { name: "Angebot #42793.04 ansehen" }).getAttribute("href");
  ids.document = decodeURIComponent(/^\/dokumente\/([^/]+)$/.exec(documentHref ?? "")![1]);
  ids.file = await uploadPrintFileAndWait(customer, uniqueFileName("matrix"));
  await customer.close();

  const manager = await sessions.get("manager")!.context.newPage();
  await manager.goto("/verwaltung/firmen");
  const companyHref = await manager.getByRole("link", { name: "Beispiel Verlag GmbH" }).getAttribute("href");
  ids.company = decodeURIComponent(/^\/verwaltung\/firmen\/([^/]+)$/.exec(companyHref ?? "")![1]);
  await manager.close();
});

test.afterAll(async () => {
  for (const session of sessions.values()) await session.context.close();
});

function resolvePath(path: string): string {
  return path
    .replace(ORDER, ids.order)
    .replace(DOCUMENT, ids.document)
    .replace(FILE, ids.file)
    .replace(COMPANY, ids.company);
}

async function send(session: Session, method: Exclude<Method, "WS">, path: string, body: Body | undefined): Promise<APIResponse> {
  const headers: Record<string, string> = method === "GET" ? {} : { Origin: baseUrl };
  return session.request.fetch(path, { method, headers, maxRedirects: 0, form: body?.form, data: body?.raw });
}

/**
 * Opens a WebSocket with the session's cookie and the portal's Origin, as
 * the browser does. Returns 101 when the room accepts it, the status of a
 * refusal when the server passes it on, and 0 when the server closes the
 * connection instead (the local server does so for every refusal).
 */
function connectSocket(session: Session, path: string): Promise<number> {
  const url = `${baseUrl.replace(/^http/, "ws")}${path}`;
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers: { Origin: baseUrl, ...(session.cookie ? { Cookie: session.cookie } : {}) } });
    socket.on("open", () => {
      socket.close();
      resolve(101);
    });
    socket.on("unexpected-response", (_request, response) => {
      resolve(response.statusCode ?? 0);
      response.resume();
      socket.terminate();
    });
    socket.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "ECONNRESET" || error.message === "socket hang up") resolve(0);
      else reject(error);
    });
  });
}

async function statusOf(role: Role, entry: Row): Promise<number> {
  const session = sessions.get(role)!;
  const path = resolvePath(entry.path);
  if (entry.method === "WS") return connectSocket(session, path);
  return (await send(session, entry.method, path, entry.body)).status();
}

test("signed-out redirects go to login", async () => {
  const session = sessions.get("signedOut")!;
  for (const path of ["/", `/auftraege/${ids.order}`, `/dateien/${ids.file}`, "/verwaltung", "/live"]) {
    const response = await session.request.get(path, { maxRedirects: 0 });
    expect(response.status(), path).toBe(302);
    const target = path === "/" ? "/anmelden" : `/anmelden?${new URLSearchParams({ redirectTo: path })}`;
    expect(response.headers()["location"], path).toBe(target);
  }
});

/** Makes two responses comparable: the ids in the path and the CSP nonces are the only parts that may differ. */
function normalise(body: string, id: string): string {
  return body.replaceAll(id, "<id>").replace(/nonce="[^"]+"/g, 'nonce=""');
}

test("foreign order answers like missing one", async () => {
  const foreign = sessions.get("foreign")!;
  const pairs: [Exclude<Method, "WS">, string, Body | undefined][] = [
    ["GET", "/auftraege/<id>", undefined],
    ["POST", "/auftraege/<id>", FORM_EMPTY],
    ["POST", "/auftraege/<id>/uploads", undefined],
    ["PUT", "/auftraege/<id>/dateien", undefined],
    ["POST", "/auftraege/<id>/links", FORM_EMPTY],
  ];
  for (const [method, template, body] of pairs) {
    const existing = await send(foreign, method, template.replace("<id>", ids.order), body);
    const missing = await send(foreign, method, template.replace("<id>", MISSING), body);
    const label = `${method} ${template}`;

    expect(existing.status(), label).toBe(404);
    expect(missing.status(), label).toBe(404);
    expect(normalise(await existing.text(), ids.order), label).toBe(normalise(await missing.text(), MISSING));
  }

  for (const [path, id] of [
    ["/dokumente/<id>", ids.document],
    ["/dateien/<id>", ids.file],
    ["/dateien/<id>/bericht", ids.file],
    ["/dateien/<id>/bericht.json", ids.file],
  ]) {
    const existing = await foreign.request.get(path.replace("<id>", id), { maxRedirects: 0 });
    const missing = await foreign.request.get(path.replace("<id>", MISSING), { maxRedirects: 0 });

    expect(existing.status(), path).toBe(404);
    expect(normalise(await existing.text(), id), path).toBe(normalise(await missing.text(), MISSING));
  }
});

// The rows run after the tests above, because the logout row ends every session.
const ordered = [...MATRIX.filter((entry) => !entry.endsSession), ...MATRIX.filter((entry) => entry.endsSession)];
for (const entry of ordered) {
  test(`${entry.method} ${entry.path}`, async () => {
    const actual: Partial<Record<Role, number | string>> = {};
    const expected: Partial<Record<Role, number | string>> = {};
    for (const role of ROLES) {
      const status = await statusOf(role, entry);
      const isSocket = entry.method === "WS";
      actual[role] = isSocket && status !== 101 ? "refused" : status;
      expected[role] = isSocket && entry.expected[role] !== 101 ? "refused" : entry.expected[role];
    }
    expect(actual).toEqual(expected);
  });
}
