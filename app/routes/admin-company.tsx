import { data, Form, Link, useActionData, useNavigation } from "react-router";

import { adminMessages } from "~/admin/admin-messages";
import adminStylesheet from "~/admin/admin.css?url";
import { COMPANY_NAME_MAX, CUSTOMER_NUMBER_MAX, parseCompanyForm, type FieldErrors } from "~/admin/companies-form";
import { canEditCompanies, getCompany, listCompanyOrders, updateCompany } from "~/admin/companies.server";
import { CONTACT_NAME_MAX, EMAIL_MAX, parseContactForm, PHONE_MAX, SALUTATIONS } from "~/admin/contacts-form";
import { createContact, listCompanyContacts, updateContact } from "~/admin/contacts.server";
import { requireStaff } from "~/auth/guard.server";
import { StatusBadge } from "~/components/status-badge";
import { cloudflareContext } from "~/cloudflare-context";
import { getDb } from "~/db/client.server";
import { formatDate, formatNumber } from "~/format";

import type { Route } from "./+types/admin-company";

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: adminStylesheet }];

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const user = requireStaff(context, request);
  const { env } = context.get(cloudflareContext);
  const db = getDb(env);

  const company = await getCompany(db, params.companyId);
  if (!company) throw data({ message: adminMessages.companyNotFound }, { status: 404 });
  const [contacts, orderList] = await Promise.all([listCompanyContacts(db, company.id), listCompanyOrders(db, company.id)]);

  return {
    company: { id: company.id, name: company.name, customerNumber: company.customerNumber },
    contacts,
    orders: orderList.orders,
    ordersTruncated: orderList.truncated,
    canEdit: canEditCompanies(user),
  };
}

type ActionResult = {
  intent: string;
  contactId?: string;
  fieldErrors: FieldErrors;
  values?: Record<string, string>;
  message?: string;
  ok?: boolean;
};

export async function action({ request, params, context }: Route.ActionArgs) {
  const user = requireStaff(context, request);
  if (!canEditCompanies(user)) throw data({ message: adminMessages.editForbidden }, { status: 403 });
  const { env } = context.get(cloudflareContext);
  const db = getDb(env);

  const form = Object.fromEntries(await request.formData());
  const values = Object.fromEntries(Object.entries(form).map(([key, value]) => [key, String(value)]));
  const intent = String(form.intent ?? "");
  const contactId = typeof form.contactId === "string" ? form.contactId : undefined;
  const fail = (status: number, result: Omit<ActionResult, "intent" | "contactId" | "values">) =>
    data<ActionResult>({ intent, contactId, values, ...result }, { status });

  if (intent === "company") {
    const parsed = parseCompanyForm(form);
    if (!parsed.ok) return fail(400, { fieldErrors: parsed.fieldErrors });
    const saved = await updateCompany(env, db, user, params.companyId, parsed.value);
    if (!saved.ok) return fail(saved.status, saved);
    return data<ActionResult>({ intent, ok: true, fieldErrors: {}, message: adminMessages.companySaved });
  }

  if (intent === "contact-create" || (intent === "contact-update" && contactId)) {
    const parsed = parseContactForm(form);
    if (!parsed.ok) return fail(400, { fieldErrors: parsed.fieldErrors });
    const saved =
      intent === "contact-create"
        ? await createContact(env, db, user, params.companyId, parsed.value)
        : await updateContact(env, db, user, params.companyId, contactId ?? "", parsed.value);
    if (!saved.ok) return fail(saved.status, saved);

    const message =
      intent === "contact-create"
        ? adminMessages.contactCreated(parsed.value.name, parsed.value.active)
        : parsed.value.active
          ? adminMessages.contactSaved(parsed.value.name)
          : adminMessages.contactDeactivated(parsed.value.name);
    return data<ActionResult>({ intent, contactId: saved.contactId, ok: true, fieldErrors: {}, message });
  }

  return fail(400, { fieldErrors: {}, message: adminMessages.requestInvalid });
}

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: loaderData ? `Firma ${loaderData.company.name}` : "Firma" }];
}

export default function AdminCompany({ loaderData }: Route.ComponentProps) {
  const { company, contacts, orders, ordersTruncated, canEdit } = loaderData;
  const actionData = useActionData<typeof action>();
  const result = actionData?.intent ? actionData : undefined;
  const resultFor = (intent: string, contactId?: string) =>
    result && result.intent === intent && (contactId === undefined || result.contactId === contactId) ? result : undefined;
  // Messages of a form on this page appear in that form; the others (unknown intent, unknown contact) at the top.
  const shownInForm =
    result?.intent === "company" || result?.intent === "contact-create" || contacts.some((contact) => contact.id === result?.contactId);

  return (
    <div>
      <p>
        <Link to="/verwaltung/firmen">← Firmen</Link>
      </p>
      <h1>{company.name}</h1>
      {company.customerNumber ? <p className="muted">Kundennummer {company.customerNumber}</p> : null}
      {result && !result.ok && result.message && !shownInForm ? (
        <p className="form-error" role="alert">
          {result.message}
        </p>
      ) : null}

      {canEdit ? <CompanyForm company={company} result={resultFor("company")} /> : null}

      <section aria-labelledby="contacts-heading">
        <h2 id="contacts-heading">Kontakte</h2>
        {contacts.length === 0 ? <p className="empty">{adminMessages.contactsEmpty}</p> : null}
        <ul className="admin-contacts" aria-label="Kontakte">
          {contacts.map((contact) => (
            <li key={contact.id} className={`admin-contact${contact.active ? "" : " admin-inactive"}`}>
              <strong>{[contact.salutation, contact.name].filter(Boolean).join(" ")}</strong> · {contact.email}
              {contact.phone ? ` · ${contact.phone}` : ""} · {contact.active ? "aktiv" : "inaktiv"}
              {contact.hasPassword ? null : <span className="muted"> · noch kein Passwort</span>}
              {canEdit ? (
                // The key closes the form once the saved values come back.
                <details key={JSON.stringify(contact)} open={resultFor("contact-update", contact.id)?.ok === false || undefined}>
                  <summary>Bearbeiten</summary>
                  <ContactForm
                    intent="contact-update"
                    contact={contact}
                    result={resultFor("contact-update", contact.id)?.ok ? undefined : resultFor("contact-update", contact.id)}
                  />
                </details>
              ) : null}
            </li>
          ))}
        </ul>
        {resultFor("contact-update")?.ok ? (
          <p className="form-success" role="status">
            {resultFor("contact-update")?.message}
          </p>
        ) : null}

        {canEdit ? (
          <>
            <h3 id="new-contact-heading">Neuer Kontakt</h3>
            <p className="muted">{adminMessages.contactPasswordHint}</p>
            {/* A new key after each created contact empties the form. */}
            <ContactForm
              key={resultFor("contact-create")?.ok ? resultFor("contact-create")?.contactId : "new"}
              intent="contact-create"
              result={resultFor("contact-create")}
            />
          </>
        ) : null}
      </section>

      <section aria-labelledby="orders-heading">
        <h2 id="orders-heading">Angebote und Aufträge</h2>
        {orders.length === 0 ? (
          <p className="empty">{adminMessages.ordersEmpty}</p>
        ) : (
          <div className="table-scroll">
            <table className="admin-table" aria-labelledby="orders-heading">
              <thead>
                <tr>
                  <th scope="col">Datum</th>
                  <th scope="col">Angebotsnummer</th>
                  <th scope="col">Auftragsnummer</th>
                  <th scope="col">Beschreibung</th>
                  <th scope="col">Status</th>
                  <th scope="col">
                    <span className="visually-hidden">Links</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {orders.map((order) => (
                  <tr key={order.id}>
                    <td>{formatDate(order.createdAt)}</td>
                    <td>{formatNumber(order.offerNumber)}</td>
                    <td>{formatNumber(order.orderNumber) || "–"}</td>
                    <td>{order.title}</td>
                    <td>
                      <StatusBadge status={order.status} />
                    </td>
                    <td>
                      <Link to={`/auftraege/${order.id}`}>zum Auftrag</Link> ·{" "}
                      <Link to={`/verwaltung/auftraege/${order.id}`}>bearbeiten</Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {ordersTruncated ? <p className="muted">{adminMessages.ordersTruncated(orders.length)}</p> : null}
      </section>
    </div>
  );
}

function useSubmitting(intent: string, contactId?: string) {
  const navigation = useNavigation();
  return (
    navigation.state !== "idle" &&
    navigation.formData?.get("intent") === intent &&
    (contactId === undefined || navigation.formData?.get("contactId") === contactId)
  );
}

function FieldError({ id, message }: { id: string; message: string | undefined }) {
  return message ? (
    <p id={id} className="form-error">
      {message}
    </p>
  ) : null;
}

function CompanyForm({ company, result }: { company: { name: string; customerNumber: string | null }; result: ActionResult | undefined }) {
  const submitting = useSubmitting("company");
  const errors = result?.fieldErrors ?? {};

  return (
    <section aria-labelledby="company-form-heading">
      <h2 id="company-form-heading">Firmendaten</h2>
      <Form method="post" className="admin-form" noValidate>
        <input type="hidden" name="intent" value="company" />
        <div className="admin-field">
          <label htmlFor="company-name">Name</label>
          <input
            id="company-name"
            name="name"
            required
            maxLength={COMPANY_NAME_MAX}
            defaultValue={company.name}
            aria-invalid={errors.name ? true : undefined}
            aria-describedby={errors.name ? "company-name-error" : undefined}
          />
          <FieldError id="company-name-error" message={errors.name} />
        </div>
        <div className="admin-field">
          <label htmlFor="company-number">Kundennummer (optional)</label>
          <input
            id="company-number"
            name="customerNumber"
            maxLength={CUSTOMER_NUMBER_MAX}
            defaultValue={company.customerNumber ?? ""}
            aria-invalid={errors.customerNumber ? true : undefined}
            aria-describedby={errors.customerNumber ? "company-number-error" : undefined}
          />
          <FieldError id="company-number-error" message={errors.customerNumber} />
        </div>
        {result?.message ? (
          <p className={result.ok ? "form-success" : "form-error"} role={result.ok ? "status" : "alert"}>
            {result.message}
          </p>
        ) : null}
        <button type="submit" disabled={submitting}>
          Firmendaten speichern
        </button>
      </Form>
    </section>
  );
}

interface ContactValues {
  id: string;
  salutation: string | null;
  name: string;
  email: string;
  phone: string | null;
  active: boolean;
}

function ContactForm({
  intent,
  contact,
  result,
}: {
  intent: "contact-create" | "contact-update";
  contact?: ContactValues;
  result: ActionResult | undefined;
}) {
  const submitting = useSubmitting(intent, contact?.id);
  const errors = result?.ok ? {} : (result?.fieldErrors ?? {});
  const prefix = contact ? `contact-${contact.id}` : "new-contact";
  const field = (name: string) => ({
    id: `${prefix}-${name}`,
    name,
    "aria-invalid": errors[name] ? true : undefined,
    "aria-describedby": errors[name] ? `${prefix}-${name}-error` : undefined,
  });

  return (
    <Form method="post" className="admin-form" noValidate aria-label={contact ? `Kontakt ${contact.name} bearbeiten` : "Neuer Kontakt"}>
      <input type="hidden" name="intent" value={intent} />
      {contact ? <input type="hidden" name="contactId" value={contact.id} /> : null}
      <div className="admin-field">
        <label htmlFor={`${prefix}-salutation`}>Anrede</label>
        <select {...field("salutation")} defaultValue={contact?.salutation ?? ""}>
          <option value="">keine</option>
          {SALUTATIONS.map((salutation) => (
            <option key={salutation} value={salutation}>
              {salutation}
            </option>
          ))}
        </select>
        <FieldError id={`${prefix}-salutation-error`} message={errors.salutation} />
      </div>
      <div className="admin-field">
        <label htmlFor={`${prefix}-name`}>Name</label>
        <input {...field("name")} required maxLength={CONTACT_NAME_MAX} defaultValue={contact?.name} />
        <FieldError id={`${prefix}-name-error`} message={errors.name} />
      </div>
      <div className="admin-field">
        <label htmlFor={`${prefix}-email`}>E-Mail-Adresse</label>
        <input {...field("email")} type="email" required maxLength={EMAIL_MAX} defaultValue={contact?.email} />
        <FieldError id={`${prefix}-email-error`} message={errors.email} />
      </div>
      <div className="admin-field">
        <label htmlFor={`${prefix}-phone`}>Telefon (optional)</label>
        <input {...field("phone")} type="tel" maxLength={PHONE_MAX} defaultValue={contact?.phone ?? ""} />
        <FieldError id={`${prefix}-phone-error`} message={errors.phone} />
      </div>
      <div className="admin-field">
        <label>
          <input type="checkbox" name="active" defaultChecked={contact ? contact.active : true} /> Aktiv
        </label>
        <p className="hint">Inaktive Kontakte können sich nicht anmelden. Beim Deaktivieren wird der Kontakt sofort abgemeldet.</p>
      </div>
      {result?.message ? (
        <p className={result.ok ? "form-success" : "form-error"} role={result.ok ? "status" : "alert"}>
          {result.message}
        </p>
      ) : null}
      <button type="submit" disabled={submitting}>
        {contact ? "Kontakt speichern" : "Kontakt anlegen"}
      </button>
    </Form>
  );
}
