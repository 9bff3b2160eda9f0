import { data, Form, Link, redirect, useActionData, useNavigation } from "react-router";
import * as v from "valibot";

import { accountMessages } from "~/auth/account-messages";
import { inspectLoginToken, redeemLoginToken, type LoginTokenState } from "~/auth/login-tokens.server";
import { PASSWORD_MIN_LENGTH, passwordPolicyError } from "~/auth/password-policy";
import { clientHashOf, logClientTag } from "~/auth/rate-limit.server";
import { serializeSessionCookie } from "~/auth/session.server";
import { cloudflareContext } from "~/cloudflare-context";
import { getDb } from "~/db/client.server";

import type { Route } from "./+types/password-set";

// The token is in the URL, so the page must not pass it on: no Referer to
// other sites and no caching. "same-origin" rather than "no-referrer",
// because under "no-referrer" Chromium sends `Origin: null` with a plain form
// POST (before the page's script has loaded), which the Origin check rejects.
const TOKEN_PAGE_HEADERS = { "Referrer-Policy": "same-origin", "Cache-Control": "no-store" };

const passwordFormSchema = v.object({
  password: v.string(accountMessages.passwordTooShort(PASSWORD_MIN_LENGTH)),
  confirmation: v.string(accountMessages.passwordMismatch),
});

type InvalidState = Exclude<LoginTokenState, "valid">;

const INVALID_LINK_MESSAGES: Record<InvalidState, string> = {
  used: accountMessages.linkUsed,
  expired: accountMessages.linkExpired,
  voided: accountMessages.linkVoided,
  unknown: accountMessages.linkUnknown,
};

function invalidLink(state: InvalidState) {
  return data(
    { state, purpose: null, message: INVALID_LINK_MESSAGES[state] },
    { status: state === "unknown" ? 404 : 410, headers: TOKEN_PAGE_HEADERS },
  );
}

export function headers() {
  return TOKEN_PAGE_HEADERS;
}

export async function loader({ params, context }: Route.LoaderArgs) {
  const { env } = context.get(cloudflareContext);
  const inspection = await inspectLoginToken(getDb(env), params.token);
  if (inspection.state !== "valid") return invalidLink(inspection.state);

  return data({ state: "valid" as const, purpose: inspection.purpose, message: null }, { headers: TOKEN_PAGE_HEADERS });
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const { env } = context.get(cloudflareContext);
  const form = Object.fromEntries(await request.formData());

  const parsed = v.safeParse(passwordFormSchema, form);
  if (!parsed.success) return data({ error: parsed.issues[0].message }, { status: 400, headers: TOKEN_PAGE_HEADERS });
  const { password, confirmation } = parsed.output;

  const policyError = passwordPolicyError(password);
  if (policyError) return data({ error: policyError }, { status: 400, headers: TOKEN_PAGE_HEADERS });
  if (password !== confirmation) return data({ error: accountMessages.passwordMismatch }, { status: 400, headers: TOKEN_PAGE_HEADERS });

  const db = getDb(env);
  const result = await redeemLoginToken(env, db, params.token, password, {
    userAgent: request.headers.get("User-Agent"),
    client: logClientTag(clientHashOf(request)),
  });
  if (!result.ok) return invalidLink(result.state);

  // The new session is a browser session: ticking "Angemeldet bleiben" is left to the next login.
  return redirect("/", {
    headers: { ...TOKEN_PAGE_HEADERS, "Set-Cookie": serializeSessionCookie(request, result.sessionToken, null) },
  });
}

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: loaderData?.purpose === "first_login" ? "Passwort vergeben" : "Neues Passwort" }];
}

export default function PasswordSet({ loaderData }: Route.ComponentProps) {
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const submitting = navigation.state === "submitting";

  // An action that found the link used meanwhile returns the state instead of a form error.
  let invalid: { message: string | null } | null = null;
  if (actionData && "state" in actionData) invalid = actionData;
  else if (loaderData.state !== "valid") invalid = loaderData;
  if (invalid) {
    return (
      <section className="login">
        <h1>Link ungültig</h1>
        <p role="alert" className="form-error">
          {invalid.message}
        </p>
        <p>
          <Link to="/passwort-vergessen">Neuen Link anfordern</Link>
        </p>
        <p>
          <Link to="/anmelden">Zur Anmeldung</Link>
        </p>
      </section>
    );
  }

  const firstLogin = loaderData.purpose === "first_login";
  const error = actionData && "error" in actionData ? actionData.error : null;

  return (
    <section className="login">
      <h1>{firstLogin ? "Passwort vergeben" : "Neues Passwort"}</h1>
      <p>
        {firstLogin
          ? "Willkommen im Kundenportal. Vergeben Sie ein Passwort, mit dem Sie sich künftig anmelden."
          : "Vergeben Sie ein neues Passwort. Danach sind Sie auf allen anderen Geräten abgemeldet."}{" "}
        Das Passwort muss mindestens {PASSWORD_MIN_LENGTH} Zeichen lang sein. Sonderzeichen oder Ziffern sind nicht
        nötig, ein kurzer Satz ist ein gutes Passwort. Sehr häufige Passwörter werden abgelehnt.
      </p>
      <Form method="post" className="form" noValidate>
        <label>
          {firstLogin ? "Passwort" : "Neues Passwort"}
          <input
            type="password"
            name="password"
            autoComplete="new-password"
            required
            aria-invalid={error ? true : undefined}
          />
        </label>
        <label>
          Passwort wiederholen
          <input type="password" name="confirmation" autoComplete="new-password" required aria-invalid={error ? true : undefined} />
        </label>
        {error ? (
          <p role="alert" className="form-error">
            {error}
          </p>
        ) : null}
        <button type="submit" disabled={submitting}>
          {submitting ? "Wird gespeichert …" : "Passwort speichern"}
        </button>
      </Form>
    </section>
  );
}
