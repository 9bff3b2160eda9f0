import { data, Form, Link, redirect, useActionData, useNavigation } from "react-router";

import accountStylesheet from "~/account/account.css?url";
import { consumeAccessRequestLimit, submitAccessRequest, tooManyRequestsMessage } from "~/account/access-requests.server";
import { COMPANY_NAME_MAX, EMAIL_MAX, NAME_MAX, parseAccessRequestForm, PHONE_MAX, REQUEST_MESSAGE_MAX, type FieldErrors } from "~/account/forms";
import { accessRequestMessages } from "~/account/messages";
import adminStylesheet from "~/admin/admin.css?url";
import { userContext } from "~/auth/user-context";
import { cloudflareContext } from "~/cloudflare-context";
import { getDb } from "~/db/client.server";

import type { Route } from "./+types/access-request";

export const links: Route.LinksFunction = () => [
  { rel: "stylesheet", href: adminStylesheet },
  { rel: "stylesheet", href: accountStylesheet },
];

/** Query parameter of the confirmation page after the form was sent. */
const SENT_PARAM = "gesendet";

export function loader({ request, context }: Route.LoaderArgs) {
  if (context.get(userContext)) throw redirect("/");
  return { sent: new URL(request.url).searchParams.has(SENT_PARAM) };
}

interface ActionResult {
  message: string;
  fieldErrors: FieldErrors;
  values: Record<string, string>;
}

// The response is the same whether or not the address has an account, so the
// form does not reveal who is a customer. Only the confirmation e-mail
// mentions an existing account.
export async function action({ request, context }: Route.ActionArgs) {
  if (context.get(userContext)) throw redirect("/");
  const { env } = context.get(cloudflareContext);

  const form = Object.fromEntries(await request.formData());
  const values = Object.fromEntries(Object.entries(form).map(([key, value]) => [key, String(value)]));
  const parsed = parseAccessRequestForm(form);
  if (!parsed.ok) {
    return data<ActionResult>({ message: accessRequestMessages.formInvalid, fieldErrors: parsed.fieldErrors, values }, { status: 400 });
  }

  const waitMinutes = await consumeAccessRequestLimit(env, request);
  if (waitMinutes !== null) {
    return data<ActionResult>(
      { message: tooManyRequestsMessage(waitMinutes), fieldErrors: {}, values },
      { status: 429, headers: { "Retry-After": String(waitMinutes * 60) } },
    );
  }

  await submitAccessRequest(env, getDb(env), parsed.value);
  return redirect(`/anfragen?${SENT_PARAM}`);
}

export function meta() {
  return [{ title: "Zugang anfragen" }];
}

export default function AccessRequest({ loaderData }: Route.ComponentProps) {
  if (loaderData.sent) {
    return (
      <section className="login" aria-labelledby="access-request-heading">
        <h1 id="access-request-heading">Zugang anfragen</h1>
        <p className="form-success" role="status">
          {accessRequestMessages.received}
        </p>
        <p>
          <Link to="/anmelden">Zur Anmeldung</Link>
        </p>
      </section>
    );
  }
  return <AccessRequestForm />;
}

function AccessRequestForm() {
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const submitting = navigation.state !== "idle";
  const errors = actionData?.fieldErrors ?? {};
  const values = actionData?.values ?? {};
  const field = (name: string) => ({
    name,
    id: `access-${name}`,
    defaultValue: values[name] ?? "",
    "aria-invalid": errors[name] ? true : undefined,
    "aria-describedby": errors[name] ? `access-${name}-error` : undefined,
  });

  return (
    <section aria-labelledby="access-request-heading">
      <h1 id="access-request-heading">Zugang anfragen</h1>
      <p>
        Sie möchten Ihre Aufträge im Kundenportal verfolgen, haben aber noch keinen Zugang? Schicken Sie uns Ihre Angaben. Wir prüfen die
        Anfrage und schicken Ihnen dann einen Link, mit dem Sie Ihr Passwort vergeben.
      </p>
      <p className="muted">
        Sie haben schon einen Zugang? <Link to="/anmelden">Zur Anmeldung</Link> · <Link to="/passwort-vergessen">Passwort vergessen</Link>
      </p>
      {actionData?.message ? (
        <p className="form-error" role="alert">
          {actionData.message}
        </p>
      ) : null}
      <Form method="post" className="admin-form" noValidate>
        <div className="admin-field">
          <label htmlFor="access-name">Name</label>
          <input {...field("name")} autoComplete="name" required maxLength={NAME_MAX} />
          <FieldError id="access-name-error" message={errors.name} />
        </div>
        <div className="admin-field">
          <label htmlFor="access-companyName">Firma</label>
          <input {...field("companyName")} autoComplete="organization" required maxLength={COMPANY_NAME_MAX} />
          <FieldError id="access-companyName-error" message={errors.companyName} />
        </div>
        <div className="admin-field">
          <label htmlFor="access-email">E-Mail-Adresse</label>
          <input {...field("email")} type="email" autoComplete="email" required maxLength={EMAIL_MAX} />
          <FieldError id="access-email-error" message={errors.email} />
        </div>
        <div className="admin-field">
          <label htmlFor="access-phone">Telefon (optional)</label>
          <input {...field("phone")} type="tel" autoComplete="tel" maxLength={PHONE_MAX} />
          <FieldError id="access-phone-error" message={errors.phone} />
        </div>
        <div className="admin-field">
          <label htmlFor="access-message">Nachricht (optional)</label>
          <textarea {...field("message")} rows={4} maxLength={REQUEST_MESSAGE_MAX} />
          <p className="hint">Zum Beispiel Ihre Kundennummer oder Ihr Ansprechpartner bei uns.</p>
          <FieldError id="access-message-error" message={errors.message} />
        </div>
        <button type="submit" disabled={submitting}>
          {submitting ? "Anfrage wird gesendet …" : "Anfrage senden"}
        </button>
      </Form>
    </section>
  );
}

function FieldError({ id, message }: { id: string; message: string | undefined }) {
  return message ? (
    <p id={id} className="form-error">
      {message}
    </p>
  ) : null;
}
