import { data, Link } from "react-router";

import { requireUser } from "~/auth/guard.server";
import { userContext } from "~/auth/user-context";
import { cloudflareContext } from "~/cloudflare-context";
import { getDb } from "~/db/client.server";
import { devMailboxAccess, getOutboxEmail, listOutboxEmails } from "~/email/dev-mailbox.server";
import { formatDateTime } from "~/format";
import { messages } from "~/messages";

import type { Route } from "./+types/dev-mailbox";

const stateLabels = { pending: "wartet", sent: "zugestellt (lokal)", failed: "fehlgeschlagen" } as const;

// The outbox of the local mail provider, for development: every e-mail the
// portal would send, with its text and HTML. Only staff see it, and only while
// no mail API is configured.
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const { env } = context.get(cloudflareContext);
  const access = devMailboxAccess(env, context.get(userContext));
  if (access === "not-found") throw data({ message: messages.pageNotFound }, { status: 404 });
  if (access === "sign-in") requireUser(context, request);

  const db = getDb(env);
  const [emails, selected] = await Promise.all([
    listOutboxEmails(db),
    params.emailId ? getOutboxEmail(db, params.emailId) : Promise.resolve(null),
  ]);
  if (params.emailId && !selected) throw data({ message: messages.pageNotFound }, { status: 404 });

  return { emails, selected: selected ?? null };
}

export function meta() {
  return [{ title: "Postfach (Entwicklung)" }, { name: "robots", content: "noindex" }];
}

export default function DevMailbox({ loaderData }: Route.ComponentProps) {
  const { emails, selected } = loaderData;

  return (
    <section className="dev-mailbox" aria-labelledby="dev-mailbox-heading">
      <h1 id="dev-mailbox-heading">Postfach (Entwicklung)</h1>
      <p className="muted">
        Ohne Mail-Anbieter verschickt das Portal keine E-Mails, sondern legt sie hier ab. Die neuesten stehen oben.
      </p>

      {selected ? (
        <article className="dev-mailbox-email" aria-labelledby="dev-mailbox-subject">
          <h2 id="dev-mailbox-subject">{selected.subject}</h2>
          <dl className="details">
            <dt>An</dt>
            <dd>{selected.toName ? `${selected.toName} <${selected.toAddress}>` : selected.toAddress}</dd>
            <dt>Art</dt>
            <dd>{EMAIL_KIND_LABELS[selected.kind] ?? selected.kind}</dd>
            <dt>Status</dt>
            <dd>
              {stateLabels[selected.state]}
              {selected.lastError ? ` (${selected.lastError})` : ""}
            </dd>
            <dt>Erstellt</dt>
            <dd>{formatDateTime(selected.createdAt)}</dd>
          </dl>
          <h3>HTML</h3>
          {/* An empty sandbox runs no scripts and gives the e-mail no access to the portal's origin. */}
          <iframe className="dev-mailbox-html" title="HTML-Fassung der E-Mail" sandbox="" srcDoc={selected.htmlBody} />
          <h3>Text</h3>
          <pre className="dev-mailbox-text">{selected.textBody}</pre>
          <p>
            <Link to="/dev/postfach">← Alle E-Mails</Link>
          </p>
        </article>
      ) : null}

      {emails.length === 0 ? (
        <p className="empty">Noch keine E-Mails.</p>
      ) : (
        <table className="dev-mailbox-list">
          <thead>
            <tr>
              <th scope="col">Erstellt</th>
              <th scope="col">An</th>
              <th scope="col">Betreff</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {emails.map((email) => (
              <tr key={email.id} aria-current={email.id === selected?.id ? "true" : undefined}>
                <td>{formatDateTime(email.createdAt)}</td>
                <td>{email.toAddress}</td>
                <td>
                  <Link to={`/dev/postfach/${encodeURIComponent(email.id)}`}>{email.subject}</Link>
                </td>
                <td>{stateLabels[email.state]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** German names of the outbox's e-mail kinds; an unknown kind shows its id. */
const EMAIL_KIND_LABELS: Record<string, string> = {
  "chat-digest": "Neue Nachrichten (Sammelmail)",
  "offer-accepted": "Angebot angenommen",
  "order-confirmation": "Bestellbestätigung an den Kunden",
  "print-ready": "Druckfrei erklärt",
  "first-login": "Erste Anmeldung (Link)",
  "password-reset": "Neues Passwort (Link)",
  "access-request-received": "Zugangsanfrage (an die Druckerei)",
  "access-request-confirmation": "Eingangsbestätigung Zugangsanfrage",
  "access-request-declined": "Zugangsanfrage abgelehnt",
};
