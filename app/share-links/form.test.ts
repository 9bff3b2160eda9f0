import { describe, expect, it } from "vitest";

import { parseShareLinkForm, shareLinkBaseUrl } from "./form.server";
import { shareLinkMessages } from "./messages";

describe("parseShareLinkForm", () => {
  it("applies the defaults to an empty form", () => {
    expect(parseShareLinkForm({})).toEqual({ ok: true, value: { label: null, showLabel: false, expiresInDays: 14, maxBytes: null } });
  });

  it("reads label, checkbox, days and a decimal comma", () => {
    const parsed = parseShareLinkForm({ label: " Agentur ", showLabel: "on", expiresInDays: "30", maxMegabytes: "1,5" });
    expect(parsed).toEqual({ ok: true, value: { label: "Agentur", showLabel: true, expiresInDays: 30, maxBytes: 1.5 * 1024 * 1024 } });
  });

  it("rejects a size limit that is no positive number", () => {
    for (const maxMegabytes of ["abc", "-5", "0"]) {
      expect(parseShareLinkForm({ maxMegabytes })).toEqual({ ok: false, message: shareLinkMessages.sizeNotNumber });
    }
  });

  it("rejects days that are no whole number", () => {
    expect(parseShareLinkForm({ expiresInDays: "2,5" })).toEqual({ ok: false, message: shareLinkMessages.expiryInvalid(90) });
  });
});

describe("shareLinkBaseUrl", () => {
  it("uses the portal's origin without SHARE_HOST", () => {
    expect(shareLinkBaseUrl(new Request("http://127.0.0.1:8787/auftraege/x/links"), {})).toBe("http://127.0.0.1:8787");
  });

  it("uses the share host when set", () => {
    expect(shareLinkBaseUrl(new Request("https://portal.example.test/x"), { SHARE_HOST: "upload.example.test" })).toBe(
      "https://upload.example.test",
    );
  });
});
