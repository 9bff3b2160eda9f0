import { data, Link, redirect, useActionData } from "react-router";

import { requireUser } from "~/auth/guard.server";
import { ChatEmailSwitch } from "~/components/chat-email-switch";
import { cloudflareContext } from "~/cloudflare-context";
import { getDb } from "~/db/client.server";
import { parseChatEmailsForm } from "~/notifications/settings-form.server";
import { getChatEmailSettings, setChatEmails } from "~/notifications/settings.server";

import type { Route } from "./+types/profile";

export async function loader({ request, context }: Route.LoaderArgs) {
  const user = requireUser(context, request);
  const { env } = context.get(cloudflareContext);

  const settings = await getChatEmailSettings(getDb(env), user.id);
  return { name: user.name, email: user.email, chatEmails: settings.allOrders };
}

export async function action({ request, context }: Route.ActionArgs) {
  const user = requireUser(context, request);
  const { env } = context.get(cloudflareContext);

  const parsed = parseChatEmailsForm(Object.fromEntries(await request.formData()));
  if (!parsed.ok) return data({ message: parsed.message }, { status: 400 });

  await setChatEmails(getDb(env), user.id, null, parsed.enabled);
  console.info("profile: chat e-mails set for all orders", { userId: user.id, enabled: parsed.enabled });
  return redirect("/profil");
}

export function meta() {
  return [{ title: "Profil" }];
}

export default function Profile({ loaderData }: Route.ComponentProps) {
  const actionData = useActionData<typeof action>();

  return (
    <section className="profile-page" aria-labelledby="profile-heading">
      <p>
        <Link to="/">← Zur Übersicht</Link>
      </p>
      <h1 id="profile-heading">Profil</h1>
      <dl className="details">
        <dt>Name</dt>
        <dd>{loaderData.name}</dd>
        <dt>E-Mail</dt>
        <dd>{loaderData.email}</dd>
      </dl>

      <h2>Benachrichtigungen</h2>
      <ChatEmailSwitch
        enabled={loaderData.chatEmails}
        legend="E-Mails zu neuen Nachrichten (alle Aufträge)"
        hint="Neue Nachrichten, die Sie nicht im Portal gelesen haben, kommen gesammelt per E-Mail, höchstens alle 5 Minuten. Auf der Seite eines Auftrags können Sie das für diesen Auftrag abweichend einstellen."
      />
      {actionData?.message ? (
        <p className="form-error" role="alert">
          {actionData.message}
        </p>
      ) : null}
    </section>
  );
}
