import { data, Form, Link, redirect, useActionData, useNavigation, useSearchParams } from "react-router";
import * as v from "valibot";

import { accountMessages } from "~/auth/account-messages";
import { logIn } from "~/auth/login.server";
import { clientHashOf } from "~/auth/rate-limit.server";
import { serializeSessionCookie } from "~/auth/session.server";
import { userContext } from "~/auth/user-context";
import { cloudflareContext } from "~/cloudflare-context";
import { getDb } from "~/db/client.server";

import type { Route } from "./+types/login";

const loginSchema = v.object({
  email: v.pipe(v.string(), v.trim(), v.nonEmpty(accountMessages.emailInvalid)),
  password: v.pipe(v.string(), v.minLength(1, accountMessages.passwordMissing)),
  // A checkbox sends "on" when ticked and nothing otherwise.
  remember: v.optional(v.literal("on")),
  redirectTo: v.optional(v.string()),
});

/** Accepts only paths within the portal, so a login link cannot send users elsewhere. */
function safeRedirectTarget(target: string | undefined): string {
  if (!target || !target.startsWith("/") || target.startsWith("//") || target.startsWith("/\\")) return "/";
  return target;
}

// Passes the action's Retry-After header of a rate-limited attempt on to the page's response.
export function headers({ actionHeaders }: Route.HeadersArgs) {
  return actionHeaders;
}

export function loader({ context }: Route.LoaderArgs) {
  if (context.get(userContext)) throw redirect("/");
  return null;
}

export async function action({ request, context }: Route.ActionArgs) {
  const { env } = context.get(cloudflareContext);
  const form = Object.fromEntries(await request.formData());

  const parsed = v.safeParse(loginSchema, form);
  if (!parsed.success) {
    return data({ error: parsed.issues[0].message, email: String(form.email ?? ""), remember: form.remember === "on" }, { status: 400 });
  }
  const { email, password, remember, redirectTo } = parsed.output;

  const result = await logIn(env, getDb(env), {
    email,
    password,
    remember: remember === "on",
    clientHash: clientHashOf(request),
    userAgent: request.headers.get("User-Agent"),
  });
  if (!result.ok) {
    const headers: HeadersInit = result.retryAfterSeconds ? { "Retry-After": String(result.retryAfterSeconds) } : {};
    return data({ error: result.message, email, remember: remember === "on" }, { status: result.status, headers });
  }

  return redirect(safeRedirectTarget(redirectTo), {
    headers: { "Set-Cookie": serializeSessionCookie(request, result.sessionToken, result.cookieExpiresAt) },
  });
}

export function meta() {
  return [{ title: "Anmelden" }];
}

export default function Login() {
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [searchParams] = useSearchParams();
  const submitting = navigation.state === "submitting";

  return (
    <section className="login">
      <h1>Anmelden</h1>
      <p>Melden Sie sich mit der E-Mail-Adresse an, die bei uns für Sie hinterlegt ist.</p>
      <Form method="post" className="form" noValidate>
        <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? ""} />
        <label>
          E-Mail-Adresse
          <input
            type="email"
            name="email"
            autoComplete="username"
            required
            defaultValue={actionData?.email}
            aria-invalid={actionData?.error ? true : undefined}
          />
        </label>
        <label>
          Passwort
          <input type="password" name="password" autoComplete="current-password" required />
        </label>
        <label className="checkbox">
          <input type="checkbox" name="remember" defaultChecked={actionData?.remember} />
          Angemeldet bleiben (30 Tage)
        </label>
        {actionData?.error ? (
          <p role="alert" className="form-error">
            {actionData.error}
          </p>
        ) : null}
        <button type="submit" disabled={submitting}>
          {submitting ? "Anmeldung läuft …" : "Anmelden"}
        </button>
      </Form>
      <p>
        <Link to="/passwort-vergessen">Passwort vergessen oder noch keines vergeben?</Link>
      </p>
      <p>
        <Link to="/anfragen">Noch kein Zugang? Jetzt anfragen</Link>
      </p>
    </section>
  );
}
