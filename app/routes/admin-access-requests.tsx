import { data, Form, Link, useActionData, useNavigation } from "react-router";

import accountStylesheet from "~/account/account.css?url";
import {
  acceptAccessRequest,
  canReviewAccessRequests,
  declineAccessRequest,
  listAccessRequests,
  listCompanyChoices,
  type CompanyChoice,
} from "~/account/access-requests.server";
import { accessRequestMessages, formMessages, staffRoleLabels } from "~/account/messages";
import adminStylesheet from "~/admin/admin.css?url";
import { requireStaff } from "~/auth/guard.server";
import { cloudflareContext } from "~/cloudflare-context";
import { getDb } from "~/db/client.server";
import { formatDateTime } from "~/format";

import type { Route } from "./+types/admin-access-requests";

export const links: Route.LinksFunction = () => [
  { rel: "stylesheet", href: adminStylesheet },
  { rel: "stylesheet", href: accountStylesheet },
];

/** Value of the company choice that creates a new company from the request's company name. */
const NEW_COMPANY = "neu";

function requireReviewer(context: Route.LoaderArgs["context"], request: Request) {
  const user = requireStaff(context, request);
  if (!canReviewAccessRequests(user)) throw data({ message: accessRequestMessages.reviewForbidden }, { status: 403 });
  return user;
}

export async function loader({ request, context }: Route.LoaderArgs) {
  requireReviewer(context, request);
  const { env } = context.get(cloudflareContext);
  const db = getDb(env);

  const [requests, companyChoices] = await Promise.all([listAccessRequests(db), listCompanyChoices(db)]);
  return { ...requests, companies: companyChoices };
}

interface ActionResult {
  ok: boolean;
  message: string;
  requestId: string;
}

export async function action({ request, context }: Route.ActionArgs) {
  const user = requireReviewer(context, request);
  const { env } = context.get(cloudflareContext);
  const db = getDb(env);

  const form = await request.formData();
  const intent = form.get("intent");
  const requestId = String(form.get("requestId") ?? "");
  const reply = (status: number, ok: boolean, message: string) => data<ActionResult>({ ok, message, requestId }, { status });

  if (intent === "accept") {
    const company = String(form.get("company") ?? "");
    if (company === "") return reply(400, false, accessRequestMessages.companyChoiceMissing);
    const choice: CompanyChoice = company === NEW_COMPANY ? { kind: "new" } : { kind: "existing", companyId: company };

    const accepted = await acceptAccessRequest(env, db, user, requestId, choice);
    if (!accepted.ok) return reply(accepted.status, false, accepted.message);

    const followUp = {
      sent: accessRequestMessages.firstLoginSent(accepted.contactEmail),
      "not-needed": accessRequestMessages.firstLoginNotNeeded,
      failed: accessRequestMessages.firstLoginFailed,
    }[accepted.firstLogin];
    return reply(200, true, `${accessRequestMessages.accepted(accepted.contactName, accepted.companyName)} ${followUp}`);
  }

  if (intent === "decline") {
    const notify = form.get("notify") === "on";
    const declined = await declineAccessRequest(env, db, user, requestId, notify);
    if (!declined.ok) return reply(declined.status, false, declined.message);

    if (!notify) return reply(200, true, accessRequestMessages.declined(declined.name));
    if (!declined.notified) return reply(200, true, accessRequestMessages.declineEmailFailed(declined.name));
    return reply(200, true, accessRequestMessages.declinedNotified(declined.name, declined.email));
  }

  return reply(400, false, formMessages.requestInvalid);
}

export function meta() {
  return [{ title: "Zugangsanfragen" }];
}

type LoaderData = Route.ComponentProps["loaderData"];

export default function AdminAccessRequests({ loaderData }: Route.ComponentProps) {
  const { open, decided, companies } = loaderData;
  const actionData = useActionData<typeof action>();

  return (
    <div>
      <p>
        <Link to="/verwaltung">← Verwaltung</Link>
      </p>
      <h1>Zugangsanfragen</h1>
      <p className="muted">Anfragen über „Jetzt anfragen“ auf der Anmeldeseite. Beim Annehmen bekommt der Kontakt per E-Mail einen Link für die erste Anmeldung.</p>
      {actionData?.message ? (
        <p className={actionData.ok ? "form-success" : "form-error"} role={actionData.ok ? "status" : "alert"}>
          {actionData.message}
        </p>
      ) : null}

      <section aria-labelledby="open-requests-heading">
        <h2 id="open-requests-heading">Offen ({open.length})</h2>
        {open.length === 0 ? <p className="empty">{accessRequestMessages.openEmpty}</p> : null}
        {open.map((request) => (
          <OpenRequest key={request.id} request={request} companies={companies} />
        ))}
      </section>

      <section aria-labelledby="decided-requests-heading">
        <h2 id="decided-requests-heading">Entschieden</h2>
        {decided.length === 0 ? (
          <p className="empty">{accessRequestMessages.decidedEmpty}</p>
        ) : (
          <div className="table-scroll">
            <table className="admin-table" aria-labelledby="decided-requests-heading">
              <thead>
                <tr>
                  <th scope="col">Eingang</th>
                  <th scope="col">Name</th>
                  <th scope="col">Firma</th>
                  <th scope="col">E-Mail</th>
                  <th scope="col">Entscheidung</th>
                </tr>
              </thead>
              <tbody>
                {decided.map((request) => (
                  <tr key={request.id}>
                    <td>{formatDateTime(request.createdAt)}</td>
                    <td>{request.name}</td>
                    <td>{request.contactCompanyName ?? request.companyName}</td>
                    <td>{request.email}</td>
                    <td>
                      {request.state === "accepted" ? "angenommen" : "abgelehnt"}
                      {request.decidedAt ? ` am ${formatDateTime(request.decidedAt)}` : ""}
                      {request.deciderName ? ` von ${request.deciderName}` : ""}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}

function OpenRequest({ request, companies }: { request: LoaderData["open"][number]; companies: LoaderData["companies"] }) {
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formData?.get("requestId") === request.id;
  const headingId = `request-${request.id}`;
  // Preselects a company whose name matches the request's, ignoring case.
  const matching = companies.find((company) => company.name.toLowerCase() === request.companyName.toLowerCase());

  return (
    <article className="account-request" aria-labelledby={headingId}>
      <h3 id={headingId}>
        {request.name}, {request.companyName}
      </h3>
      <dl className="details">
        <dt>Eingang</dt>
        <dd>{formatDateTime(request.createdAt)}</dd>
        <dt>E-Mail</dt>
        <dd>{request.email}</dd>
        <dt>Telefon</dt>
        <dd>{request.phone ?? "–"}</dd>
        <dt>Nachricht</dt>
        <dd className="account-request-message">{request.message ?? "–"}</dd>
        {request.accountRole ? (
          <>
            <dt>Bestehender Zugang</dt>
            <dd>
              {request.accountRole === "customer"
                ? `Kontakt der Firma „${request.accountCompanyName ?? ""}“`
                : `Mitarbeiter (${staffRoleLabels[request.accountRole]})`}
              {request.accountActive ? "" : ", inaktiv"}
            </dd>
          </>
        ) : null}
      </dl>
      <div className="account-request-actions">
        <Form method="post" className="admin-form">
          <input type="hidden" name="intent" value="accept" />
          <input type="hidden" name="requestId" value={request.id} />
          <div className="admin-field">
            <label htmlFor={`company-${request.id}`}>Firma</label>
            <select id={`company-${request.id}`} name="company" defaultValue={matching?.id ?? ""}>
              <option value="">Bitte wählen …</option>
              <option value={NEW_COMPANY}>Neue Firma „{request.companyName}“ anlegen</option>
              {companies.map((company) => (
                <option key={company.id} value={company.id}>
                  {company.name}
                  {company.customerNumber ? ` (${company.customerNumber})` : ""}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" disabled={busy}>
            Annehmen
          </button>
        </Form>
        <Form method="post" className="admin-form">
          <input type="hidden" name="intent" value="decline" />
          <input type="hidden" name="requestId" value={request.id} />
          <label className="account-choice">
            <input type="checkbox" name="notify" defaultChecked /> Person per E-Mail benachrichtigen
          </label>
          <button type="submit" disabled={busy}>
            Ablehnen
          </button>
        </Form>
      </div>
    </article>
  );
}
