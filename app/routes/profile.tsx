import { eq } from "drizzle-orm";
import { data, Form, Link, redirect, useActionData, useNavigation } from "react-router";

import { adminMessages } from "~/admin/admin-messages";
import adminStylesheet from "~/admin/admin.css?url";
import { hasChosenFile, IMAGE_ACCEPT, MAX_IMAGE_BYTES, readImageUpload } from "~/admin/images";
import { setStaffPhoto } from "~/admin/images.server";
import { isStaff, requireUser } from "~/auth/guard.server";
import type { SessionUser } from "~/auth/session.server";
import { ChatEmailSwitch } from "~/components/chat-email-switch";
import { cloudflareContext } from "~/cloudflare-context";
import { getDb } from "~/db/client.server";
import { users } from "~/db/schema";
import { formatBytes } from "~/format";
import { parseChatEmailsForm } from "~/notifications/settings-form.server";
import { getChatEmailSettings, setChatEmails } from "~/notifications/settings.server";

import type { Route } from "./+types/profile";

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: adminStylesheet }];

/** A photo and room for the form's other fields; a larger request is refused before it is read. */
const MAX_FORM_BYTES = MAX_IMAGE_BYTES + 16 * 1024;

export async function loader({ request, context }: Route.LoaderArgs) {
  const user = requireUser(context, request);
  const { env } = context.get(cloudflareContext);
  const db = getDb(env);

  const settings = await getChatEmailSettings(db, user.id);
  const photo = isStaff(user) ? await db.select({ r2Key: users.photoR2Key }).from(users).where(eq(users.id, user.id)).get() : null;
  return {
    name: user.name,
    email: user.email,
    chatEmails: settings.allOrders,
    staff: isStaff(user),
    // The key's last part changes with every upload, so the page never shows a cached older photo.
    photoUrl: photo?.r2Key ? `/team/${user.id}/foto?v=${encodeURIComponent(photo.r2Key.split("/").at(-1) ?? "")}` : null,
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const user = requireUser(context, request);
  const { env } = context.get(cloudflareContext);

  if (Number(request.headers.get("Content-Length") ?? "0") > MAX_FORM_BYTES) {
    return data({ photo: true, ok: false, message: adminMessages.imageTooLarge(formatBytes(MAX_IMAGE_BYTES)) }, { status: 413 });
  }
  const form = await request.formData();
  const intent = form.get("intent");
  if (intent === "photo-upload" || intent === "photo-remove") return changePhoto(env, user, intent, form.get("photo"));

  const parsed = parseChatEmailsForm(Object.fromEntries(form));
  if (!parsed.ok) return data({ photo: false, ok: false, message: parsed.message }, { status: 400 });

  await setChatEmails(getDb(env), user.id, null, parsed.enabled);
  console.info("profile: chat e-mails set for all orders", { userId: user.id, enabled: parsed.enabled });
  return redirect("/profil");
}

/** Stores or removes the signed-in staff member's photo. */
async function changePhoto(env: Env, user: SessionUser, intent: "photo-upload" | "photo-remove", file: FormDataEntryValue | null) {
  const fail = (status: number, message: string) => data({ photo: true, ok: false, message }, { status });
  if (!isStaff(user)) return fail(403, adminMessages.photoStaffOnly);

  if (intent === "photo-remove") {
    await setStaffPhoto(env, getDb(env), user, null);
    return data({ photo: true, ok: true, message: adminMessages.photoRemoved });
  }

  if (!hasChosenFile(file)) return fail(400, adminMessages.photoMissing);
  const upload = await readImageUpload(file);
  if (!upload.ok) return fail(400, upload.message);

  await setStaffPhoto(env, getDb(env), user, upload);
  return data({ photo: true, ok: true, message: adminMessages.photoSaved });
}

export function meta() {
  return [{ title: "Profil" }];
}

export default function Profile({ loaderData }: Route.ComponentProps) {
  const actionData = useActionData<typeof action>();
  const photoResult = actionData?.photo ? actionData : null;
  const chatResult = actionData && !actionData.photo ? actionData : null;

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

      {loaderData.staff ? <StaffPhoto photoUrl={loaderData.photoUrl} result={photoResult} /> : null}

      <h2>Benachrichtigungen</h2>
      <ChatEmailSwitch
        enabled={loaderData.chatEmails}
        legend="E-Mails zu neuen Nachrichten (alle Aufträge)"
        hint="Neue Nachrichten, die Sie nicht im Portal gelesen haben, kommen gesammelt per E-Mail, höchstens alle 5 Minuten. Auf der Seite eines Auftrags können Sie das für diesen Auftrag abweichend einstellen."
      />
      {chatResult?.message ? (
        <p className="form-error" role="alert">
          {chatResult.message}
        </p>
      ) : null}
    </section>
  );
}

function StaffPhoto({ photoUrl, result }: { photoUrl: string | null; result: { ok: boolean; message: string } | null }) {
  const navigation = useNavigation();
  const intent = navigation.formData?.get("intent");
  const saving = navigation.state !== "idle" && (intent === "photo-upload" || intent === "photo-remove");

  return (
    <section aria-labelledby="photo-heading">
      <h2 id="photo-heading">Foto</h2>
      {photoUrl ? <img src={photoUrl} alt="Ihr Foto" className="admin-photo-preview" /> : <p className="muted">Kein Foto hinterlegt.</p>}
      {/* The key empties the file input after a save. */}
      <Form method="post" encType="multipart/form-data" className="admin-form" key={photoUrl ?? "none"}>
        <input type="hidden" name="intent" value="photo-upload" />
        <div className="admin-field">
          <label htmlFor="profile-photo">{photoUrl ? "Neues Foto" : "Foto"}</label>
          <input id="profile-photo" type="file" name="photo" accept={IMAGE_ACCEPT} required aria-describedby="profile-photo-hint" />
          <p id="profile-photo-hint" className="hint">
            {adminMessages.photoHint(formatBytes(MAX_IMAGE_BYTES))}
          </p>
        </div>
        <button type="submit" disabled={saving}>
          Foto speichern
        </button>
      </Form>
      {photoUrl ? (
        <Form method="post" encType="multipart/form-data">
          <input type="hidden" name="intent" value="photo-remove" />
          <button type="submit" className="button-link" disabled={saving}>
            Foto entfernen
          </button>
        </Form>
      ) : null}
      {result?.message ? (
        <p className={result.ok ? "form-success" : "form-error"} role={result.ok ? "status" : "alert"}>
          {result.message}
        </p>
      ) : null}
    </section>
  );
}
