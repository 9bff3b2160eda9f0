/** @jsxImportSource preact */
import type { ComponentChildren } from "preact";
import { renderToString } from "preact-render-to-string";

import { formatDateTime } from "~/format";
import { listFileTypes } from "~/uploads/file-type";

import { ISLAND_ID, VIEW_DATA_ID } from "./ids";
import { shareStyles } from "./styles";
import { shareTexts } from "./texts";
import { UploadIsland, type UploadView } from "./upload-island";
import type { SharePageView } from "./view";

/**
 * Until the island's script has run and marked the document with the class
 * `js`, the uploader is hidden and a text explains that it needs JavaScript.
 * A plain element rather than `<noscript>`: it also explains when scripts
 * are on but the bundle does not load.
 */
const SCRIPT_STATE_STYLES = "html:not(.js) .needs-script, .js .no-script { display: none; }";

/**
 * Serialises the view for a `<script type="application/json">` element.
 * Escaping `<`, `>` and `&` as JSON unicode escapes keeps a label such as
 * `</script>` or `<!--` from ending the element, and JSON.parse reads them back.
 */
export function serializeView(view: SharePageView): string {
  return JSON.stringify(view).replace(/[<>&\u2028\u2029]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** Renders the neutral share page for a link as a complete HTML document. */
export function renderSharePage(view: SharePageView): string {
  return `<!doctype html>${renderToString(<SharePage view={view} />)}`;
}

function SharePage({ view }: { view: SharePageView }) {
  switch (view.kind) {
    case "upload":
      return <UploadPage view={view} />;
    case "invalid":
      return (
        <Document title={shareTexts.invalidTitle}>
          <p>{shareTexts.invalidText}</p>
        </Document>
      );
    case "rate-limited":
      return (
        <Document title={shareTexts.rateLimitedTitle}>
          <p>{shareTexts.rateLimitedText(view.retryAfterMinutes)}</p>
        </Document>
      );
  }
}

function Document({ title, head, scripts, children }: { title: string; head?: ComponentChildren; scripts?: ComponentChildren; children: ComponentChildren }) {
  return (
    <html lang="de">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <meta name="referrer" content="no-referrer" />
        <title>{title}</title>
        {/* An empty icon, so that the browser does not request /favicon.ico from the portal. */}
        <link rel="icon" href="data:," />
        {/* Inner HTML because text children would be entity-escaped, and `>` is a CSS combinator. */}
        <style dangerouslySetInnerHTML={{ __html: shareStyles }} />
        {head}
      </head>
      <body>
        <main>
          <h1>{title}</h1>
          {children}
        </main>
        {scripts}
      </body>
    </html>
  );
}

function UploadPage({ view }: { view: UploadView }) {
  const head = <style dangerouslySetInnerHTML={{ __html: SCRIPT_STATE_STYLES }} />;
  const scripts = (
    <>
      <script type="application/json" id={VIEW_DATA_ID} dangerouslySetInnerHTML={{ __html: serializeView(view) }} />
      <script type="module" src={view.scriptUrl} />
    </>
  );

  return (
    <Document title={shareTexts.uploadTitle} head={head} scripts={scripts}>
      {view.label ? <p class="label">{view.label}</p> : null}
      <p class="muted">{shareTexts.limits(listFileTypes(view.acceptedTypes), view.maxBytes)}</p>

      <p class="notice no-script">{shareTexts.noScript}</p>
      <div id={ISLAND_ID} class="box needs-script">
        <UploadIsland view={view} />
      </div>

      <section class="box">
        <h2>{shareTexts.filesHeading}</h2>
        <ul>
          {view.encryptedTransfer ? <li>{shareTexts.transferEncrypted}</li> : null}
          {view.storageRegion ? <li>{shareTexts.storedIn(view.storageRegion)}</li> : null}
          {view.retentionDays !== null ? <li>{shareTexts.deletedAfter(view.retentionDays)}</li> : null}
          <li>{shareTexts.whoSees}</li>
        </ul>
        <p class="muted">{shareTexts.personalData}</p>
      </section>

      <p class="muted">{shareTexts.validUntil(formatDateTime(view.expiresAt))}</p>
    </Document>
  );
}
