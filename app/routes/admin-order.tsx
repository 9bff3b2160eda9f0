import { data, Form, Link, useActionData, useNavigation, type ShouldRevalidateFunctionArgs } from "react-router";

import { documentMessages, MAX_DOCUMENT_BYTES, offerMessages } from "~/admin/offer-messages";
import { FormErrors, OrderFieldInputs, type OrderFieldValues } from "~/admin/offers-fields";
import { handleOrderAction, loadOrderForEdit } from "~/admin/order-edit.server";
import adminStylesheet from "~/admin/admin.css?url";
import stylesheet from "~/admin/offers.css?url";
import { requireStaff } from "~/auth/guard.server";
import { StatusBadge } from "~/components/status-badge";
import { cloudflareContext } from "~/cloudflare-context";
import { getDb } from "~/db/client.server";
import type { DocumentKind } from "~/db/values";
import { formatBytes, formatDate, formatDateTime, formatNumber } from "~/format";
import { documentKindLabels, messages, orderStatusLabels } from "~/messages";

import type { Route } from "./+types/admin-order";

export const links: Route.LinksFunction = () => [
  { rel: "stylesheet", href: adminStylesheet },
  { rel: "stylesheet", href: stylesheet },
];

export async function loader({ request, params, context }: Route.LoaderArgs) {
  requireStaff(context, request);
  const { env } = context.get(cloudflareContext);

  const loaded = await loadOrderForEdit(getDb(env), params.orderId);
  if (!loaded) throw data({ message: messages.orderNotFound }, { status: 404 });
  return loaded;
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const user = requireStaff(context, request);
  const { env } = context.get(cloudflareContext);
  const db = getDb(env);

  const form = await request.formData();
  const result = await handleOrderAction(env, db, user, params.orderId, form);
  if (!result.ok && result.status === 404) throw data({ message: result.message }, { status: 404 });
  return data({ ...result, intent: String(form.get("intent") ?? "") }, { status: result.ok ? 200 : result.status });
}

/** Reloads the order after a version conflict as well, so that the page shows the state the message refers to. */
export function shouldRevalidate({ actionStatus, defaultShouldRevalidate }: ShouldRevalidateFunctionArgs) {
  return actionStatus === 409 || defaultShouldRevalidate;
}

export function meta({ loaderData }: Route.MetaArgs) {
  const number = loaderData?.order.orderNumber ?? loaderData?.order.offerNumber;
  return [{ title: number ? `Verwaltung: Auftrag ${formatNumber(number)}` : "Verwaltung: Auftrag" }];
}

type LoaderData = Route.ComponentProps["loaderData"];

/** Shows the result of the form with this intent, if it was the last one sent. */
function ActionNotice({ intent }: { intent: string }) {
  const actionData = useActionData<typeof action>();
  if (!actionData || actionData.intent !== intent) return null;
  if (actionData.ok) {
    return (
      <p className="form-success" role="status">
        {actionData.message}
      </p>
    );
  }
  return actionData.errors ? (
    <FormErrors errors={actionData.errors} />
  ) : (
    <p className="form-error" role="alert">
      {actionData.message}
    </p>
  );
}

function StatusControls({ order, nextStatuses, submitting }: Pick<LoaderData, "order" | "nextStatuses"> & { submitting: boolean }) {
  const forward = nextStatuses.filter((status) => status !== "withdrawn");
  return (
    <section aria-labelledby="status-heading" className="admin-section">
      <h2 id="status-heading">Status</h2>
      <p>
        Aktueller Status: <StatusBadge status={order.status} />
      </p>
      <ActionNotice intent="status" />
      <ActionNotice intent="withdraw" />
      {nextStatuses.length === 0 ? <p className="muted">{offerMessages.noNextStatus}</p> : null}
      {forward.length > 0 ? (
        <Form method="post" className="admin-inline-form">
          <input type="hidden" name="intent" value="status" />
          <input type="hidden" name="version" value={order.version} />
          {forward.map((status) => (
            <button key={status} type="submit" name="to" value={status} disabled={submitting}>
              Status ändern auf „{orderStatusLabels[status]}“
            </button>
          ))}
        </Form>
      ) : null}
      {nextStatuses.includes("withdrawn") ? (
        <Form
          method="post"
          className="admin-inline-form"
          onSubmit={(event) => {
            if (!window.confirm(offerMessages.withdrawConfirm)) event.preventDefault();
          }}
        >
          <input type="hidden" name="intent" value="withdraw" />
          <input type="hidden" name="version" value={order.version} />
          <button type="submit" className="admin-danger" disabled={submitting}>
            Angebot zurückziehen
          </button>
        </Form>
      ) : null}
    </section>
  );
}

function DocumentUpload({ kind, current, submitting }: { kind: "offer" | "order_confirmation"; current: LoaderData["documents"][number] | undefined; submitting: boolean }) {
  const label = documentKindLabels[kind];
  return (
    <Form method="post" encType="multipart/form-data" className="admin-inline-form" aria-label={`${label} hochladen`}>
      <input type="hidden" name="intent" value="upload-document" />
      <input type="hidden" name="kind" value={kind} />
      <label>
        {current ? `${label} ersetzen (PDF)` : `${label} hochladen (PDF)`}{" "}
        <input type="file" name="file" accept="application/pdf,.pdf" required />
      </label>{" "}
      <button type="submit" disabled={submitting}>
        {current ? "Ersetzen" : "Hochladen"}
      </button>
    </Form>
  );
}

/** Identifies the stored file of a document, so that a form keyed on it starts empty after each successful upload. */
function uploadKey(document: LoaderData["documents"][number] | undefined): string {
  return document ? `${document.id}:${document.updatedAt ?? document.createdAt}` : "none";
}

function Documents({ documents, submitting }: { documents: LoaderData["documents"]; submitting: boolean }) {
  const byKind = (kind: DocumentKind) => documents.find((document) => document.kind === kind);
  const approval = byKind("approval");

  return (
    <section aria-labelledby="documents-heading" className="admin-section">
      <h2 id="documents-heading">Dokumente</h2>
      <ActionNotice intent="upload-document" />
      <ActionNotice intent="remove-document" />
      {documents.length === 0 ? (
        <p className="empty">Zu diesem Auftrag gibt es noch keine Dokumente.</p>
      ) : (
        <ul className="documents admin-documents">
          {documents.map((document) => (
            <li key={document.id}>
              <a href={document.url ?? `/dokumente/${document.id}`} target="_blank" rel="noreferrer">
                {document.title}
              </a>{" "}
              <span className="muted">
                ({documentKindLabels[document.kind]}
                {document.fileName ? `, ${document.fileName}` : ""}, vom {formatDate(document.createdAt)}
                {document.updatedAt ? `, geändert ${formatDateTime(document.updatedAt)}` : ""})
              </span>{" "}
              <Form
                method="post"
                className="admin-inline-form"
                onSubmit={(event) => {
                  if (!window.confirm(documentMessages.removeConfirm(document.title))) event.preventDefault();
                }}
              >
                <input type="hidden" name="intent" value="remove-document" />
                <input type="hidden" name="documentId" value={document.id} />
                <button type="submit" disabled={submitting} aria-label={`${document.title} entfernen`}>
                  Entfernen
                </button>
              </Form>
            </li>
          ))}
        </ul>
      )}
      <p className="muted">PDF-Dateien bis {formatBytes(MAX_DOCUMENT_BYTES)}. Beim Ersetzen bleibt das Dokument dasselbe, nur die Datei wechselt.</p>
      {/* The key empties the file input once an upload has stored the document or changed its file. */}
      <DocumentUpload kind="offer" current={byKind("offer")} submitting={submitting} key={uploadKey(byKind("offer"))} />
      <DocumentUpload
        kind="order_confirmation"
        current={byKind("order_confirmation")}
        submitting={submitting}
        key={uploadKey(byKind("order_confirmation"))}
      />

      <h3>Datenfreigabe</h3>
      <ActionNotice intent="approval-link" />
      <Form method="post" className="admin-inline-form">
        <input type="hidden" name="intent" value="approval-link" />
        <label>
          Link zur Datenfreigabe (https://…){" "}
          <input type="url" name="url" size={50} defaultValue={approval?.url ?? ""} key={approval?.url ?? ""} placeholder="https://" />
        </label>{" "}
        <button type="submit" disabled={submitting}>
          Link speichern
        </button>
      </Form>
      <p className="muted">Ein leeres Feld entfernt den Link.</p>
    </section>
  );
}

export default function AdminOrder({ loaderData }: Route.ComponentProps) {
  const { order, contacts, managers, documents, nextStatuses } = loaderData;
  const navigation = useNavigation();
  const submitting = navigation.state !== "idle" && navigation.formMethod === "POST";

  const values: OrderFieldValues = {
    title: order.title,
    spec: order.spec,
    terms: order.terms ?? "",
    contactId: order.contactId ?? "",
    managerId: order.managerId ?? "",
  };

  return (
    <section className="admin-order">
      <p>
        <Link to="/">← Zur Übersicht</Link> · <Link to={`/auftraege/${order.id}`}>Auftragsseite des Kunden öffnen</Link>
      </p>
      <h1>
        {order.orderNumber ? `Auftrag ${formatNumber(order.orderNumber)}` : `Angebot ${formatNumber(order.offerNumber)}`}: {order.title}
      </h1>
      <dl className="details">
        <dt>Firma</dt>
        <dd>{order.companyName}</dd>
        <dt>Angebotsnummer</dt>
        <dd>{formatNumber(order.offerNumber)}</dd>
        <dt>Auftragsnummer</dt>
        <dd>{order.orderNumber ? formatNumber(order.orderNumber) : "noch keine (Angebot)"}</dd>
        <dt>Angelegt</dt>
        <dd>{formatDateTime(order.createdAt)}</dd>
        <dt>Version</dt>
        <dd>{order.version}</dd>
      </dl>

      <StatusControls order={order} nextStatuses={nextStatuses} submitting={submitting} />

      <section aria-labelledby="edit-heading" className="admin-section">
        <h2 id="edit-heading">Auftragsdaten</h2>
        <ActionNotice intent="update" />
        {/*
          The key resets the fields whenever the loaded version changes, so
          that the hidden version always belongs to the values shown and a
          save never overwrites a change the form did not show.
        */}
        <Form method="post" className="admin-form" key={order.version}>
          <input type="hidden" name="intent" value="update" />
          <input type="hidden" name="version" value={order.version} />
          <OrderFieldInputs values={values} contacts={contacts} managers={managers} />
          <button type="submit" disabled={submitting}>
            Änderungen speichern
          </button>
        </Form>
      </section>

      <Documents documents={documents} submitting={submitting} />
    </section>
  );
}
