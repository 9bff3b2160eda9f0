import { eq } from "drizzle-orm";
import { data, Form, redirect, useActionData, useNavigation, useSearchParams } from "react-router";
import * as v from "valibot";

import { verifyPassword } from "~/auth/password.server";
import { createSession, generateSessionToken, serializeSessionCookie } from "~/auth/session.server";
import { userContext } from "~/auth/user-context";
import { cloudflareContext } from "~/cloudflare-context";
import { getDb } from "~/db/client.server";
import { users } from "~/db/schema";
import { messages } from "~/messages";

import type { Route } from "./+types/login";

const loginSchema = v.object({
  email: v.pipe(v.string(), v.trim(), v.toLowerCase(), v.email(messages.loginEmailInvalid)),
  password: v.pipe(v.string(), v.minLength(1, messages.loginPasswordMissing)),
  redirectTo: v.optional(v.string()),
});

/** Accepts only paths within the portal, so a login link cannot send users elsewhere. */
function safeRedirectTarget(target: string | undefined): string {
  if (!target || !target.startsWith("/") || target.startsWith("//") || target.startsWith("/\\")) return "/";
  return target;
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
    return data({ error: parsed.issues[0].message, email: String(form.email ?? "") }, { status: 400 });
  }
  const { email, password, redirectTo } = parsed.output;

  const db = getDb(env);
  const user = await db.select().from(users).where(eq(users.email, email)).get();
  const passwordMatches = await verifyPassword(user?.passwordHash ?? null, password);
  if (!user || !user.active || !passwordMatches) {
    console.info("login: rejected", { userId: user?.id ?? null });
    return data({ error: messages.loginFailed, email }, { status: 400 });
  }

  const token = generateSessionToken();
  const session = await createSession(db, token, user.id);
  console.info("login: signed in", { userId: user.id });

  return redirect(safeRedirectTarget(redirectTo), {
    headers: { "Set-Cookie": serializeSessionCookie(request, token, session.expiresAt) },
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
        {actionData?.error ? (
          <p role="alert" className="form-error">
            {actionData.error}
          </p>
        ) : null}
        <button type="submit" disabled={submitting}>
          {submitting ? "Anmeldung läuft …" : "Anmelden"}
        </button>
      </Form>
    </section>
  );
}
