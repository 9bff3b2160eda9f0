import { afterEach, describe, expect, it, vi } from "vitest";

import { checkRequestOrigin, foreignOriginMessage, rejectCrossOriginRequest } from "./origin";

const PORTAL = "https://portal.example";

function request(method: string, headers: Record<string, string> = {}, path = "/auftraege/o1") {
  return new Request(`${PORTAL}${path}`, { method, headers });
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("checkRequestOrigin", () => {
  it.each(["POST", "PUT", "PATCH", "DELETE", "post"])("passes %s from own origin", (method) => {
    expect(checkRequestOrigin(request(method, { Origin: PORTAL }))).toEqual({ ok: true });
  });

  it.each(["POST", "PUT", "PATCH", "DELETE"])("rejects %s without Origin", (method) => {
    expect(checkRequestOrigin(request(method))).toEqual({ ok: false, reason: "missing" });
  });

  it.each([
    "https://evil.example",
    "http://portal.example",
    "https://portal.example:8443",
    "https://sub.portal.example",
    "https://portal.example.evil.example",
  ])("rejects POST from %s", (origin) => {
    expect(checkRequestOrigin(request("POST", { Origin: origin }))).toEqual({ ok: false, reason: "foreign" });
  });

  it("passes safe methods without Origin", () => {
    for (const method of ["GET", "HEAD", "OPTIONS"]) {
      expect(checkRequestOrigin(request(method)), method).toEqual({ ok: true });
    }
  });

  it("passes GET from another origin", () => {
    expect(checkRequestOrigin(request("GET", { Origin: "https://evil.example" }))).toEqual({ ok: true });
  });

  it("rejects null origin", () => {
    expect(checkRequestOrigin(request("POST", { Origin: "null" }))).toEqual({ ok: false, reason: "null" });
    expect(checkRequestOrigin(request("POST", { Origin: "null", "Sec-Fetch-Site": "same-origin" }))).toEqual({ ok: false, reason: "null" });
  });

  it("rejects missing Origin despite same-origin fetch site", () => {
    expect(checkRequestOrigin(request("POST", { "Sec-Fetch-Site": "same-origin" }))).toEqual({ ok: false, reason: "missing" });
  });

  it("uses the request URL as own origin", () => {
    const local = new Request("http://127.0.0.1:8806/anmelden", { method: "POST", headers: { Origin: "http://127.0.0.1:8806" } });
    expect(checkRequestOrigin(local)).toEqual({ ok: true });
    const otherPort = new Request("http://127.0.0.1:8806/anmelden", { method: "POST", headers: { Origin: "http://127.0.0.1:8787" } });
    expect(checkRequestOrigin(otherPort)).toEqual({ ok: false, reason: "foreign" });
  });

  it("rejects WebSocket handshake from another origin", () => {
    const upgrade = { Upgrade: "websocket", Connection: "Upgrade" };
    expect(checkRequestOrigin(request("GET", { ...upgrade, Origin: "https://evil.example" }, "/parties/order-room/o1"))).toEqual({
      ok: false,
      reason: "foreign",
    });
    expect(checkRequestOrigin(request("GET", { ...upgrade, Origin: PORTAL }, "/parties/order-room/o1"))).toEqual({ ok: true });
    expect(checkRequestOrigin(request("GET", upgrade, "/parties/order-room/o1"))).toEqual({ ok: true });
  });
});

describe("rejectCrossOriginRequest", () => {
  it("returns null for a same-origin request", () => {
    expect(rejectCrossOriginRequest(request("POST", { Origin: PORTAL }))).toBeNull();
  });

  it("returns 403 JSON for a script", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const response = rejectCrossOriginRequest(request("PUT", { Origin: "https://evil.example", Accept: "*/*" }));

    expect(response?.status).toBe(403);
    expect(response?.headers.get("Content-Type")).toContain("application/json");
    expect(await response?.json()).toEqual({ ok: false, message: foreignOriginMessage });
  });

  it("returns 403 text for a page", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const response = rejectCrossOriginRequest(request("POST", { Accept: "text/html,application/xhtml+xml" }));

    expect(response?.status).toBe(403);
    expect(response?.headers.get("Content-Type")).toBe("text/plain; charset=utf-8");
    expect(await response?.text()).toBe(foreignOriginMessage);
  });

  it("logs the rejection without the token", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    rejectCrossOriginRequest(request("POST", { Origin: "https://evil.example" }, "/passwort/secret-token-123"));

    expect(warn).toHaveBeenCalledTimes(1);
    const [message, fields] = warn.mock.calls[0];
    expect(message).toBe("security: request rejected, origin check failed");
    expect(fields).toMatchObject({ method: "POST", path: "/passwort/<token>", reason: "foreign", origin: "https://evil.example" });
    expect(JSON.stringify(fields)).not.toContain("secret-token-123");
  });
});
