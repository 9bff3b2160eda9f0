import { SELF } from "cloudflare:test";
import { beforeAll, describe, expect, it, vi } from "vitest";

import { demoOrder, demoUser, seedDemo, sessionCookieFor } from "../../tests/support/fixtures";
import { foreignOriginMessage } from "./origin";

// The Worker's entry as a whole: the Origin check runs before any route, and
// every response except a WebSocket upgrade gets the security headers.

const PORTAL = "http://portal.test";

const MISSING_ORDER = "00000000-0000-4000-8000-000000000000";
const ROLE_EMAILS = {
  customer: "kunde@example.com",
  foreign: "kunde2@example.com",
  manager: "auftragsmanager@example.com",
  prepress: "druckvorstufe@example.com",
  admin: "admin@example.com",
};
type Role = "signedOut" | keyof typeof ROLE_EMAILS;

let orderId: string;
let customerCookie: string;
const cookies: Partial<Record<Role, string>> = {};

beforeAll(async () => {
  const data = await seedDemo();
  orderId = demoOrder(data, "42793.04").id;
  for (const [role, email] of Object.entries(ROLE_EMAILS)) {
    cookies[role as Role] = await sessionCookieFor(demoUser(data, email).id);
  }
  customerCookie = cookies.customer!;
});

function cspNonce(response: Response): string | undefined {
  return /'nonce-([^']+)'/.exec(response.headers.get("Content-Security-Policy") ?? "")?.[1];
}

describe("origin check in the worker", () => {
  it("rejects POST without Origin", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const response = await SELF.fetch(`${PORTAL}/anmelden`, {
      method: "POST",
      headers: { Accept: "text/html" },
      body: new URLSearchParams({ email: "kunde@example.com", password: "falsch" }),
    });

    expect(response.status).toBe(403);
    expect(await response.text()).toBe(foreignOriginMessage);
    expect(response.headers.get("Content-Security-Policy")).toContain("frame-ancestors 'none'");
  });

  it("rejects PUT from another origin", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const response = await SELF.fetch(`${PORTAL}/auftraege/${orderId}/dateien`, {
      method: "PUT",
      headers: { Origin: "http://evil.test", Cookie: customerCookie, "X-Upload-Id": crypto.randomUUID(), "X-File-Name": "a.pdf" },
      body: "%PDF-1.7",
    });

    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ ok: false, message: foreignOriginMessage });
  });

  it("rejects room socket from another origin", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const response = await SELF.fetch(`${PORTAL}/parties/order-room/${orderId}`, {
      headers: { Upgrade: "websocket", Origin: "http://evil.test", Cookie: customerCookie },
    });

    expect(response.status).toBe(403);
    expect(response.webSocket).toBeNull();
  });

  it("accepts room socket from own origin", async () => {
    const response = await SELF.fetch(`${PORTAL}/parties/order-room/${orderId}`, {
      headers: { Upgrade: "websocket", Origin: PORTAL, Cookie: customerCookie },
    });

    expect(response.status).toBe(101);
    const socket = response.webSocket!;
    socket.accept();
    socket.close();
  });

  it("leaves share API to its own rules", async () => {
    const response = await SELF.fetch(`${PORTAL}/hochladen/${"x".repeat(43)}/uploads`, {
      method: "POST",
      body: JSON.stringify({ fileName: "a.pdf", size: 10, partSize: 5 * 1024 * 1024 }),
    });

    expect(response.status).toBe(404);
  });
});

describe("security headers in the worker", () => {
  it("sets headers on a room rejection", async () => {
    const response = await SELF.fetch(`${PORTAL}/parties/order-room/${orderId}`, { headers: { Upgrade: "websocket" } });

    expect(response.status).toBe(401);
    expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(response.headers.get("Referrer-Policy")).toBe("strict-origin-when-cross-origin");
    expect(response.headers.get("X-Frame-Options")).toBe("DENY");
    expect(response.headers.get("Content-Security-Policy")).toMatch(/^default-src 'self'; script-src 'self' 'nonce-/);
  });

  it("uses a new nonce per response", async () => {
    const first = await SELF.fetch(`${PORTAL}/parties/staff-feed/staff`, { headers: { Upgrade: "websocket" } });
    const second = await SELF.fetch(`${PORTAL}/parties/staff-feed/staff`, { headers: { Upgrade: "websocket" } });

    expect(cspNonce(first)).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(cspNonce(second)).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(cspNonce(first)).not.toBe(cspNonce(second));
  });

  it("keeps the share page's own policy", async () => {
    const response = await SELF.fetch(`${PORTAL}/hochladen/${"x".repeat(43)}`);

    expect(response.status).toBe(404);
    expect(response.headers.get("Content-Security-Policy")).toMatch(/^default-src 'none'/);
    expect(response.headers.get("Referrer-Policy")).toBe("no-referrer");
    expect(response.headers.get("X-Frame-Options")).toBe("DENY");
  });
});

// The socket rows of the authorisation matrix in tests/e2e/access-matrix.spec.ts
// with their exact statuses, which the browser test cannot see through the
// local server. Roles: signed out, customer of the order's company, customer
// of another company, manager, prepress, admin.
describe("socket authorisation matrix", () => {
  const rows: [string, [number, number, number, number, number, number]][] = [
    ["/parties/order-room/:order", [401, 101, 403, 101, 101, 101]],
    [`/parties/order-room/${MISSING_ORDER}`, [401, 403, 403, 403, 403, 403]],
    ["/parties/staff-feed/staff", [401, 403, 403, 101, 101, 101]],
    ["/parties/staff-feed/andere", [404, 404, 404, 404, 404, 404]],
  ];
  const roles: Role[] = ["signedOut", "customer", "foreign", "manager", "prepress", "admin"];

  it.each(rows)("WS %s", async (path, statuses) => {
    const actual: Record<string, number> = {};
    for (const role of roles) {
      const headers: Record<string, string> = { Upgrade: "websocket", Origin: PORTAL };
      if (cookies[role]) headers.Cookie = cookies[role];
      const response = await SELF.fetch(`${PORTAL}${path.replace(":order", orderId)}`, { headers });
      actual[role] = response.status;
      if (response.webSocket) {
        response.webSocket.accept();
        response.webSocket.close();
      }
    }
    expect(actual).toEqual(Object.fromEntries(roles.map((role, index) => [role, statuses[index]])));
  });
});
