import { data, Form, Link, useActionData, useNavigation } from "react-router";
import * as v from "valibot";

import { accountMessages } from "~/auth/account-messages";
import { submitLinkForm } from "~/auth/login-tokens.server";
import { clientHashOf } from "~/auth/rate-limit.server";
import { cloudflareContext } from "~/cloudflare-context";
import { getDb } from "~/db/client.server";

import type { Route } from "./+types/password-forgot";

const linkFormSchema = v.object({
  email: v.pipe(v.string(), v.trim(), v.nonEmpty(accountMessages.emailInvalid)),
});

// Passes the action's Retry-After header of a rate-limited attempt on to the page's response.
export function headers({ actionHeaders }: Route.HeadersArgs) {
  return actionHeaders;
}

export async function action({ request, context }: Route.ActionArgs) {
  const { env, ctx } = context.get(cloudflareContext);
  const form = Object.fromEntries(await request.formData());

  const parsed = v.safeParse(linkFormSchema, form);
  if (!parsed.success) {
    return data({ sent: false, message: parsed.issues[0].message, email: String(form.email ?? "") }, { status: 400 });
  }

  const result = await submitLinkForm(
    env,
    getDb(env),
    { email: parsed.output.email, clientHash: clientHashOf(request) },
    Date.now(),
    (work) => ctx.waitUntil(work),
  );
  if (result.status !== 200) {
    const headers: HeadersInit = result.status === 429 ? { "Retry-After": String(result.retryAfterSeconds) } : {};
    return data({ sent: false, message: result.message, email: parsed.output.email }, { status: result.status, headers });
  }
  return { sent: true, message: result.message, email: parsed.output.email };
}

export function meta() {
  return [{ title: "Passwort vergessen" }];
}

export default function PasswordForgot() {
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const submitting = navigation.state === "submitting";

  return (
    <section className="login">
      <h1>Passwort vergessen</h1>
      {actionData?.sent ? (
        <p role="status" className="form-success">
          {actionData.message}
        </p>
      ) : (
        <>
          <p>
            Geben Sie die E-Mail-Adresse ein, die bei uns für Sie hinterlegt ist. Sie erhalten einen Link, mit dem Sie ein
            Passwort vergeben. Das gilt auch, wenn Sie sich zum ersten Mal anmelden und noch kein Passwort haben.
          </p>
          <Form method="post" className="form" noValidate>
            <label>
              E-Mail-Adresse
              <input
                type="email"
                name="email"
                autoComplete="username"
                required
                defaultValue={actionData?.email}
                aria-invalid={actionData?.message ? true : undefined}
              />
            </label>
            {actionData?.message ? (
              <p role="alert" className="form-error">
                {actionData.message}
              </p>
            ) : null}
            <button type="submit" disabled={submitting}>
              {submitting ? "Wird gesendet …" : "Link anfordern"}
            </button>
          </Form>
        </>
      )}
      <p>
        Noch kein Zugang? <Link to="/anfragen">Jetzt anfragen</Link>
      </p>
      <p>
        <Link to="/anmelden">Zur Anmeldung</Link>
      </p>
    </section>
  );
}
