import { useEffect, useState } from "react";
import { useFetcher } from "react-router";

import { formatBytes, formatDateTime } from "~/format";

// The order page's "Externer Link" box: create a link for someone without an
// account to upload into the order, copy it once, and see and revoke the
// order's links. The server keeps only a hash of each link's token, so the
// full link is shown only right after it was created.

export interface ShareLinkItem {
  id: string;
  label: string | null;
  showLabel: boolean;
  maxBytes: number | null;
  expiresAt: number;
  createdAt: number;
  createdByName: string | null;
  revokedAt: number | null;
  revokedByName: string | null;
  state: "active" | "expired" | "revoked";
  uploads: number;
}

type CreateResult = { ok: true; message: string; link: { id: string; url: string } } | { ok: false; message: string };
type RevokeResult = { ok: true; message: string; linkId: string } | { ok: false; message: string };

const STATE_LABELS: Record<ShareLinkItem["state"], string> = {
  active: "Aktiv",
  expired: "Abgelaufen",
  revoked: "Widerrufen",
};

export function ShareLinks({
  orderId,
  links,
  defaultDays,
  maxDays,
  shopMaxBytes,
  staff,
}: {
  orderId: string;
  links: ShareLinkItem[];
  defaultDays: number;
  maxDays: number;
  shopMaxBytes: number;
  staff: boolean;
}) {
  const create = useFetcher<CreateResult>();
  const [formOpen, setFormOpen] = useState(false);
  const created = create.data?.ok ? create.data : null;
  const creating = create.state !== "idle";

  // A created link closes the form; its URL is shown above the list instead.
  useEffect(() => {
    if (create.data?.ok) setFormOpen(false);
  }, [create.data]);

  return (
    <section aria-labelledby="share-links-heading" className="share-links">
      <h2 id="share-links-heading">Externer Link</h2>
      <p className="muted">
        Jemand ohne Zugang zum Portal, zum Beispiel {staff ? "die Agentur des Kunden" : "Ihre Agentur"}, kann über einen Link
        Druckdaten in diesen Auftrag hochladen. Die Seite hinter dem Link zeigt weder die Druckerei noch den Auftrag.
      </p>

      {created ? <CreatedLink url={created.link.url} message={created.message} /> : null}

      {formOpen ? (
        <create.Form method="post" action={`/auftraege/${orderId}/links`} className="share-link-form">
          <label>
            Bezeichnung (optional)
            <input name="label" maxLength={100} placeholder="z. B. Agentur Nordlicht, Umschlag" />
          </label>
          <label className="checkbox">
            <input type="checkbox" name="showLabel" /> Bezeichnung auf der Upload-Seite anzeigen
          </label>
          <label>
            Gültig für (Tage)
            <input name="expiresInDays" type="number" min={1} max={maxDays} defaultValue={defaultDays} required />
          </label>
          <label>
            Größenlimit pro Datei in MB (optional, höchstens {formatBytes(shopMaxBytes)})
            <input name="maxMegabytes" inputMode="decimal" placeholder="leer = ohne eigenes Limit" />
          </label>
          {create.data && !create.data.ok ? (
            <p role="alert" className="form-error">
              {create.data.message}
            </p>
          ) : null}
          <div className="actions">
            <button type="submit" disabled={creating}>
              {creating ? "Wird erstellt …" : "Link erstellen"}
            </button>{" "}
            <button type="button" className="secondary" onClick={() => setFormOpen(false)}>
              Abbrechen
            </button>
          </div>
        </create.Form>
      ) : (
        <button type="button" onClick={() => setFormOpen(true)}>
          Neuen Link erstellen
        </button>
      )}

      {links.length === 0 ? (
        <p className="muted">Für diesen Auftrag gibt es noch keinen Link.</p>
      ) : (
        <ul className="share-link-list">
          {links.map((link) => (
            <ShareLinkRow key={link.id} orderId={orderId} link={link} />
          ))}
        </ul>
      )}
    </section>
  );
}

function CreatedLink({ url, message }: { url: string; message: string }) {
  const [copied, setCopied] = useState<"idle" | "done" | "failed">("idle");

  async function copy() {
    try {
      await navigator.clipboard.writeText(url);
      setCopied("done");
    } catch {
      setCopied("failed");
    }
  }

  return (
    <div className="share-link-created" role="status">
      <p>{message}</p>
      <div className="share-link-url">
        <input readOnly value={url} aria-label="Link zum Hochladen" onFocus={(event) => event.currentTarget.select()} />
        <button type="button" onClick={copy}>
          Link kopieren
        </button>
      </div>
      {copied === "done" ? <p className="muted">Der Link ist in der Zwischenablage.</p> : null}
      {copied === "failed" ? <p className="muted">Kopieren war nicht möglich. Bitte markieren Sie den Link und kopieren Sie ihn selbst.</p> : null}
    </div>
  );
}

function ShareLinkRow({ orderId, link }: { orderId: string; link: ShareLinkItem }) {
  const revoke = useFetcher<RevokeResult>();
  const [confirming, setConfirming] = useState(false);
  const name = link.label ?? "Ohne Bezeichnung";

  return (
    <li className={`share-link share-link-${link.state}`} data-link-id={link.id}>
      <div>
        <strong>{name}</strong> <span className={`share-link-state share-link-state-${link.state}`}>{STATE_LABELS[link.state]}</span>
      </div>
      <div className="muted">
        {link.state === "revoked" && link.revokedAt !== null
          ? `Widerrufen am ${formatDateTime(link.revokedAt)}${link.revokedByName ? ` von ${link.revokedByName}` : ""}`
          : `${link.state === "expired" ? "Abgelaufen am" : "Gültig bis"} ${formatDateTime(link.expiresAt)}`}
        {link.maxBytes !== null ? ` · bis ${formatBytes(link.maxBytes)} pro Datei` : ""}
        {link.showLabel ? " · Bezeichnung sichtbar" : ""}
      </div>
      <div className="muted">
        Erstellt {link.createdByName ? `von ${link.createdByName} ` : ""}am {formatDateTime(link.createdAt)} ·{" "}
        {link.uploads === 1 ? "1 Datei hochgeladen" : `${link.uploads} Dateien hochgeladen`}
      </div>

      {link.state === "active" ? (
        confirming ? (
          <revoke.Form method="post" action={`/auftraege/${orderId}/links/${link.id}/widerrufen`} className="actions">
            <span>Link „{name}“ widerrufen? Danach kann niemand mehr über ihn hochladen.</span>{" "}
            <button type="submit" className="danger" disabled={revoke.state !== "idle"}>
              Endgültig widerrufen
            </button>{" "}
            <button type="button" className="secondary" onClick={() => setConfirming(false)}>
              Abbrechen
            </button>
          </revoke.Form>
        ) : (
          <button type="button" className="secondary" onClick={() => setConfirming(true)}>
            Widerrufen
          </button>
        )
      ) : null}
      {revoke.data && !revoke.data.ok ? (
        <p role="alert" className="form-error">
          {revoke.data.message}
        </p>
      ) : null}
    </li>
  );
}
