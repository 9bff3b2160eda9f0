import { describe, expect, it } from "vitest";

import { serializeView, renderSharePage } from "./render";
import type { SharePageView } from "./view";

type UploadView = Extract<SharePageView, { kind: "upload" }>;

const uploadView: UploadView = {
  kind: "upload",
  token: "tok_abc123",
  label: "Druckdaten Sommerfest",
  // 15 June 2026, 12:30 UTC, which is 14:30 summer time in Berlin.
  expiresAt: Date.UTC(2026, 5, 15, 12, 30),
  maxBytes: 500 * 1024 * 1024,
  acceptedTypes: ["application/pdf", "image/jpeg", "application/zip"],
  retentionDays: 30,
  storageRegion: "in der EU",
  encryptedTransfer: true,
  scriptUrl: "/share/upload.js",
};

/** Returns the text of the JSON view block, or null when the page has none. */
function viewBlock(html: string): string | null {
  const match = /<script type="application\/json" id="share-view">([\s\S]*?)<\/script>/.exec(html);
  return match ? match[1] : null;
}

describe("renderSharePage upload view", () => {
  const html = renderSharePage(uploadView);

  it("renders a complete German document", () => {
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).toContain('<html lang="de">');
    expect(html).toContain('name="viewport"');
    expect(html).toContain('<meta name="robots" content="noindex"/>');
    expect(html).toContain('<meta name="referrer" content="no-referrer"/>');
    expect(html).toContain("<title>Dateien hochladen</title>");
    expect(html).toContain('<link rel="icon" href="data:,"/>');
    expect(html).toContain("</html>");
  });

  it("loads the island and no inline script", () => {
    expect(html).toContain('<script type="module" src="/share/upload.js"></script>');

    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts).toHaveLength(2);
    for (const tag of scripts) expect(tag).toMatch(/type="application\/json"|src="/);
  });

  it("explains that uploading needs JavaScript until the island has run", () => {
    expect(html).toMatch(/<p class="notice no-script">Zum Hochladen braucht diese Seite JavaScript\./);
    expect(html).toContain("html:not(.js) .needs-script, .js .no-script { display: none; }");
  });

  it("renders the uploader disabled until hydration", () => {
    expect(html).toContain('id="share-upload"');
    expect(html).toContain("Ihr Name (optional)");
    expect(html).toMatch(/<input[^>]*type="file"[^>]*disabled/);
  });

  it("explains what happens to the files", () => {
    expect(html).toContain("verschlüsselt übertragen (TLS)");
    expect(html).toContain("Sie werden in der EU gespeichert.");
    expect(html).toContain("Nach 30 Tagen werden sie gelöscht.");
    expect(html).toContain("die Firma, für die Sie hochladen");
    expect(html).toContain("personenbezogene Daten");
  });

  it("claims encryption only for a page served over https", () => {
    expect(renderSharePage({ ...uploadView, encryptedTransfer: false })).not.toContain("verschlüsselt");
  });

  it("shows expiry in Berlin time", () => {
    expect(html).toContain("Dieser Link gilt bis 15.06.2026, 14:30 Uhr.");
  });

  it("shows the size limit and types", () => {
    expect(html).toContain("Erlaubt sind PDF, JPEG oder ZIP bis 500 MB pro Datei.");
  });

  it("leaves out region and retention when unknown", () => {
    const page = renderSharePage({ ...uploadView, storageRegion: null, retentionDays: null });

    expect(page).not.toContain("gespeichert.");
    expect(page).not.toContain("gelöscht.");
  });

  it("names no shop, order or customer", () => {
    for (const text of ["Lindenblatt", "Auftrag", "Kunde", "#4", "Bestellung", "Angebot"]) {
      expect(renderSharePage({ ...uploadView, label: null })).not.toContain(text);
    }
  });

  it("shows the label only when given", () => {
    expect(html).toContain('<p class="label">Druckdaten Sommerfest</p>');

    const withoutLabel = renderSharePage({ ...uploadView, label: null });
    expect(withoutLabel).not.toContain('class="label"');
    expect(withoutLabel).not.toContain("Sommerfest");
  });

  it("escapes markup in the label", () => {
    const page = renderSharePage({ ...uploadView, label: '<img src=x onerror="alert(1)">' });

    expect(page).not.toContain("<img");
    expect(page).toContain("&lt;img src=x");
  });

  it("keeps the view block inside its script element", () => {
    const label = "</script><script>alert(1)</script><!-- & >";
    const page = renderSharePage({ ...uploadView, label });
    const block = viewBlock(page);

    expect(block).not.toBeNull();
    expect(block).not.toContain("<");
    expect(block).not.toContain(">");
    expect(JSON.parse(block ?? "")).toEqual({ ...uploadView, label });
  });

  it("escapes line separators in the view block", () => {
    expect(serializeView({ ...uploadView, label: "a\u2028b" })).toContain("a\\u2028b");
  });
});

describe("renderSharePage invalid view", () => {
  const html = renderSharePage({ kind: "invalid" });

  it("renders the neutral message", () => {
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).toContain("<title>Link ungültig</title>");
    expect(html).toContain("<h1>Link ungültig</h1>");
    expect(html).toContain("abgelaufen, wurde widerrufen oder ist nicht vollständig");
    expect(html).toContain('<meta name="robots" content="noindex"/>');
  });

  it("loads no script", () => {
    expect(html).not.toContain("<script");
  });
});

describe("renderSharePage rate-limited view", () => {
  it("renders the waiting time", () => {
    const html = renderSharePage({ kind: "rate-limited", retryAfterMinutes: 15 });

    expect(html).toContain("<title>Zu viele Versuche</title>");
    expect(html).toContain("Bitte versuchen Sie es in 15 Minuten erneut.");
    expect(html).not.toContain("<script");
  });

  it("uses the singular for one minute", () => {
    const html = renderSharePage({ kind: "rate-limited", retryAfterMinutes: 1 });

    expect(html).toContain("in einer Minute erneut");
  });
});
