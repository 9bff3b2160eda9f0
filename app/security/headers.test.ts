import { describe, expect, it } from "vitest";

import { buildContentSecurityPolicy } from "./csp";
import { withSecurityHeaders } from "./headers";

const NONCE = "AAAAAAAAAAAAAAAAAAAAAA==";

describe("withSecurityHeaders", () => {
  it("sets every security header", () => {
    const response = withSecurityHeaders(new Response("<p>Hallo</p>", { headers: { "Content-Type": "text/html" } }), NONCE);

    expect(response.headers.get("Content-Security-Policy")).toBe(buildContentSecurityPolicy(NONCE));
    expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(response.headers.get("Referrer-Policy")).toBe("strict-origin-when-cross-origin");
    expect(response.headers.get("X-Frame-Options")).toBe("DENY");
    expect(response.headers.get("Content-Type")).toBe("text/html");
  });

  it("keeps headers the route set", () => {
    const own = { "Content-Security-Policy": "default-src 'none'", "Referrer-Policy": "no-referrer" };
    const response = withSecurityHeaders(new Response(null, { headers: own }), NONCE);

    expect(response.headers.get("Content-Security-Policy")).toBe("default-src 'none'");
    expect(response.headers.get("Referrer-Policy")).toBe("no-referrer");
    expect(response.headers.get("X-Frame-Options")).toBe("DENY");
  });

  it("keeps status, body and cookies of a redirect", async () => {
    const headers = new Headers({ Location: "/anmelden" });
    headers.append("Set-Cookie", "a=1; HttpOnly");
    headers.append("Set-Cookie", "b=2; HttpOnly");
    const response = withSecurityHeaders(new Response("weiter", { status: 302, headers }), NONCE);

    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/anmelden");
    expect(response.headers.getSetCookie()).toEqual(["a=1; HttpOnly", "b=2; HttpOnly"]);
    expect(await response.text()).toBe("weiter");
  });

  it("works on immutable headers", () => {
    const immutable = Response.redirect("https://portal.example/", 303);
    const response = withSecurityHeaders(immutable, NONCE);

    expect(response.status).toBe(303);
    expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
  });
});
