import { describe, expect, it } from "vitest";

import { buildContentSecurityPolicy, createNonce } from "./csp";

/** Parses a policy into directive name → source list. */
function parsePolicy(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(";").map((directive) => {
      const [name, ...sources] = directive.trim().split(/\s+/);
      return [name, sources];
    }),
  );
}

describe("createNonce", () => {
  it("returns 16 random bytes in base64", () => {
    const nonce = createNonce();
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(atob(nonce)).toHaveLength(16);
  });

  it("returns a new value each call", () => {
    const nonces = new Set(Array.from({ length: 100 }, createNonce));
    expect(nonces.size).toBe(100);
  });
});

describe("buildContentSecurityPolicy", () => {
  const policy = parsePolicy(buildContentSecurityPolicy("AAAAAAAAAAAAAAAAAAAAAA=="));

  it("allows scripts only from self and with the nonce", () => {
    expect(policy.get("script-src")).toEqual(["'self'", "'nonce-AAAAAAAAAAAAAAAAAAAAAA=='"]);
    expect(policy.get("default-src")).toEqual(["'self'"]);
  });

  it("has no unsafe source for scripts", () => {
    for (const [name, sources] of policy) {
      if (name === "style-src-attr") continue;
      expect(sources, name).not.toContain("'unsafe-inline'");
      expect(sources, name).not.toContain("'unsafe-eval'");
    }
  });

  it("forbids framing, plugins and foreign forms", () => {
    expect(policy.get("frame-ancestors")).toEqual(["'none'"]);
    expect(policy.get("object-src")).toEqual(["'none'"]);
    expect(policy.get("base-uri")).toEqual(["'self'"]);
    expect(policy.get("form-action")).toEqual(["'self'"]);
  });

  it("allows what pdf.js and the sockets need", () => {
    expect(policy.get("img-src")).toEqual(["'self'", "data:", "blob:"]);
    expect(policy.get("worker-src")).toEqual(["'self'"]);
    expect(policy.get("connect-src")).toEqual(["'self'"]);
  });

  it("allows style attributes but no style elements", () => {
    expect(policy.get("style-src")).toEqual(["'self'"]);
    expect(policy.get("style-src-attr")).toEqual(["'unsafe-inline'"]);
  });

  it("allows inline styles only in development", () => {
    const development = parsePolicy(buildContentSecurityPolicy("AAAAAAAAAAAAAAAAAAAAAA==", { development: true }));
    expect(development.get("style-src")).toEqual(["'self'", "'unsafe-inline'"]);
    expect(development.get("script-src")).toEqual(["'self'", "'nonce-AAAAAAAAAAAAAAAAAAAAAA=='"]);
  });

  it("rejects a nonce that could inject a source", () => {
    expect(() => buildContentSecurityPolicy("abc' 'unsafe-inline")).toThrow("CSP nonce must be base64");
    expect(() => buildContentSecurityPolicy("abc; script-src *")).toThrow("CSP nonce must be base64");
    expect(() => buildContentSecurityPolicy("")).toThrow("CSP nonce must be base64");
  });
});
