import { describe, expect, it } from "vitest";

import { contentDisposition } from "./content-disposition";

describe("contentDisposition", () => {
  it("keeps an ASCII name as it is", () => {
    expect(contentDisposition("inline", "Angebot-42793.pdf")).toBe(
      "inline; filename=\"Angebot-42793.pdf\"; filename*=UTF-8''Angebot-42793.pdf",
    );
  });

  it("encodes umlauts and gives a fallback without them", () => {
    expect(contentDisposition("attachment", "Auftragsbestätigung Müller.pdf")).toBe(
      "attachment; filename=\"Auftragsbestatigung Muller.pdf\"; filename*=UTF-8''Auftragsbest%C3%A4tigung%20M%C3%BCller.pdf",
    );
  });

  it("replaces quotes and semicolons in the fallback", () => {
    const header = contentDisposition("attachment", 'a"b;c.pdf');
    expect(header).toContain('filename="a_b_c.pdf"');
    expect(header).toContain("filename*=UTF-8''a%22b%3Bc.pdf");
  });

  it("encodes emoji and apostrophes", () => {
    const header = contentDisposition("inline", "Flyer 🎉 O'Neil.pdf");
    expect(header).toContain("filename*=UTF-8''Flyer%20%F0%9F%8E%89%20O%27Neil.pdf");
    expect(header).toMatch(/filename="Flyer _+ O'Neil\.pdf"/);
  });
});
