import { data, Form, Link, useActionData, useNavigation } from "react-router";

import { EMAIL_MAX, NAME_MAX, parsePasswordForm, parseProfileForm, PHONE_MAX, type FieldErrors } from "~/account/forms";
import accountStylesheet from "~/account/account.css?url";
import { formMessages, profileMessages } from "~/account/messages";
import { changePassword, getProfile, updateProfile } from "~/account/profile.server";
import { currentSessionId, endUserSession, listUserSessions } from "~/account/sessions.server";
import { adminMessages } from "~/admin/admin-messages";
import adminStylesheet from "~/admin/admin.css?url";
import { readFormDataWithin } from "~/admin/form-body.server";
import { hasChosenFile, IMAGE_ACCEPT, MAX_IMAGE_BYTES, readImageUpload } from "~/admin/images";
import { setStaffPhoto } from "~/admin/images.server";
import { isStaff, requireUser } from "~/auth/guard.server";
import { PASSWORD_MIN_LENGTH } from "~/auth/password-policy";
import { clientHashOf } from "~/auth/rate-limit.server";
import type { SessionUser } from "~/auth/session.server";
import { ChatEmailSwitch } from "~/components/chat-email-switch";
import { cloudflareContext } from "~/cloudflare-context";
import { getDb } from "~/db/client.server";
import { formatBytes, formatDateTime } from "~/format";
import { parseChatEmailsForm } from "~/notifications/settings-form.server";
import { getChatEmailSettings, setChatEmails } from "~/notifications/settings.server";

import type { Route } from "./+types/profile";

export const links: Route.LinksFunction = () => [
  { rel: "stylesheet", href: adminStylesheet },
  { rel: "stylesheet", href: accountStylesheet },
];

/** A photo and room for the form's other fields; a larger request is refused before it is read. */
const MAX_FORM_BYTES = MAX_IMAGE_BYTES + 16 * 1024;

/** The part of the page an action's result belongs to, so that its message appears there. */
type Section = "profile" | "password" | "sessions" | "photo" | "chat";

interface ActionResult {
  section: Section;
  ok: boolean;
  message?: string;
  fieldErrors?: FieldErrors;
  values?: Record<string, string>;
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const user = requireUser(context, request);
  const { env } = context.get(cloudflareContext);
  const db = getDb(env);

  const [profile, settings, sessionList] = await Promise.all([
    getProfile(db, user.id),
    getChatEmailSettings(db, user.id),
    listUserSessions(db, user.id, currentSessionId(request)),
  ]);
  const photoKey = isStaff(user) ? profile?.photoR2Key : null;
  return {
    name: profile?.name ?? user.name,
    email: user.email,
    phone: profile?.phone ?? null,
    chatEmails: settings.allOrders,
    staff: isStaff(user),
    // The key's last part changes with every upload, so the page never shows a cached older photo.
    photoUrl: photoKey ? `/team/${user.id}/foto?v=${encodeURIComponent(photoKey.split("/").at(-1) ?? "")}` : null,
    sessions: sessionList,
    // Passed as data, so that the page's bundle does not import the password rules with their list of common passwords.
    passwordMinLength: PASSWORD_MIN_LENGTH,
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const user = requireUser(context, request);
  const { env } = context.get(cloudflareContext);
  const db = getDb(env);
  const result = (section: Section, status: number, fields: Omit<ActionResult, "section">) =>
    data<ActionResult>({ section, ...fields }, { status });

  const body = await readFormDataWithin(request, MAX_FORM_BYTES);
  if (!body.ok) {
    return result("photo", 413, { ok: false, message: adminMessages.imageTooLarge(formatBytes(MAX_IMAGE_BYTES)) });
  }
  const form = body.form;
  const fields = Object.fromEntries(form);
  const intent = form.get("intent");

  if (intent === "photo-upload" || intent === "photo-remove") return changePhoto(env, user, intent, form.get("photo"));

  if (intent === "profile") {
    const parsed = parseProfileForm(fields);
    const values = { name: String(fields.name ?? ""), phone: String(fields.phone ?? "") };
    if (!parsed.ok) return result("profile", 400, { ok: false, fieldErrors: parsed.fieldErrors, values });

    await updateProfile(db, user, parsed.value);
    return result("profile", 200, { ok: true, message: profileMessages.profileSaved });
  }

  if (intent === "password") {
    const parsed = parsePasswordForm(fields);
    if (!parsed.ok) return result("password", 400, { ok: false, fieldErrors: parsed.fieldErrors });

    const changed = await changePassword(env, db, user, currentSessionId(request), parsed.value, clientHashOf(request));
    if (!changed.ok) return result("password", changed.status, { ok: false, fieldErrors: changed.fieldErrors });
    return result("password", 200, { ok: true, message: profileMessages.passwordChanged(changed.sessionsEnded) });
  }

  if (intent === "session-end") {
    const sessionId = typeof fields.sessionId === "string" ? fields.sessionId : "";
    const ended = await endUserSession(db, user.id, sessionId, currentSessionId(request));
    if (!ended.ok) {
      const message = ended.reason === "current" ? profileMessages.sessionIsCurrent : profileMessages.sessionNotFound;
      return result("sessions", ended.status, { ok: false, message });
    }
    return result("sessions", 200, { ok: true, message: profileMessages.sessionEnded(ended.device) });
  }

  if (intent === "chat-emails") {
    const parsed = parseChatEmailsForm(fields);
    if (!parsed.ok) return result("chat", 400, { ok: false, message: parsed.message });

    await setChatEmails(db, user.id, null, parsed.enabled);
    console.info("profile: chat e-mails set for all orders", { userId: user.id, enabled: parsed.enabled });
    return result("chat", 200, { ok: true });
  }

  return result("profile", 400, { ok: false, message: formMessages.requestInvalid });
}

/** Stores or removes the signed-in staff member's photo. */
async function changePhoto(env: Env, user: SessionUser, intent: "photo-upload" | "photo-remove", file: FormDataEntryValue | null) {
  const fail = (status: number, message: string) => data<ActionResult>({ section: "photo", ok: false, message }, { status });
  if (!isStaff(user)) return fail(403, adminMessages.photoStaffOnly);

  if (intent === "photo-remove") {
    await setStaffPhoto(env, getDb(env), user, null);
    return data<ActionResult>({ section: "photo", ok: true, message: adminMessages.photoRemoved });
  }

  if (!hasChosenFile(file)) return fail(400, adminMessages.photoMissing);
  const upload = await readImageUpload(file);
  if (!upload.ok) return fail(400, upload.message);

  await setStaffPhoto(env, getDb(env), user, upload);
  return data<ActionResult>({ section: "photo", ok: true, message: adminMessages.photoSaved });
}

export function meta() {
  return [{ title: "Profil" }];
}

export default function Profile({ loaderData }: Route.ComponentProps) {
  const actionData = useActionData<typeof action>();
  const resultFor = (section: Section) => (actionData?.section === section ? actionData : undefined);

  return (
    <section className="profile-page" aria-labelledby="profile-heading">
      <p>
        <Link to="/">← Zur Übersicht</Link>
      </p>
      <h1 id="profile-heading">Profil</h1>

      <ProfileForm name={loaderData.name} email={loaderData.email} phone={loaderData.phone} result={resultFor("profile")} />
      <PasswordForm email={loaderData.email} minLength={loaderData.passwordMinLength} result={resultFor("password")} />
      <SessionList sessions={loaderData.sessions} result={resultFor("sessions")} />

      {loaderData.staff ? <StaffPhoto photoUrl={loaderData.photoUrl} result={resultFor("photo") ?? null} /> : null}

      <h2>Benachrichtigungen</h2>
      <ChatEmailSwitch
        enabled={loaderData.chatEmails}
        legend="E-Mails zu neuen Nachrichten (alle Aufträge)"
        hint="Neue Nachrichten, die Sie nicht im Portal gelesen haben, kommen gesammelt per E-Mail, höchstens alle 5 Minuten. Auf der Seite eines Auftrags können Sie das für diesen Auftrag abweichend einstellen."
      />
      {resultFor("chat")?.ok === false ? (
        <p className="form-error" role="alert">
          {resultFor("chat")?.message}
        </p>
      ) : null}
    </section>
  );
}

function useSubmitting(intent: string) {
  const navigation = useNavigation();
  return navigation.state !== "idle" && navigation.formData?.get("intent") === intent;
}

function ResultMessage({ result }: { result: ActionResult | undefined }) {
  if (!result?.message) return null;
  return (
    <p className={result.ok ? "form-success" : "form-error"} role={result.ok ? "status" : "alert"}>
      {result.message}
    </p>
  );
}

function FieldError({ id, message }: { id: string; message: string | undefined }) {
  return message ? (
    <p id={id} className="form-error">
      {message}
    </p>
  ) : null;
}

function ProfileForm({ name, email, phone, result }: { name: string; email: string; phone: string | null; result: ActionResult | undefined }) {
  const submitting = useSubmitting("profile");
  const errors = result?.fieldErrors ?? {};
  const values = result?.values;

  return (
    <section aria-labelledby="profile-data-heading">
      <h2 id="profile-data-heading">Ihre Angaben</h2>
      {/* The key resets the fields to the stored values after a save. */}
      <Form method="post" className="admin-form" noValidate key={`${name}|${phone ?? ""}`}>
        <input type="hidden" name="intent" value="profile" />
        <div className="admin-field">
          <span className="admin-field-label">E-Mail-Adresse</span>
          <span>{email}</span>
          <p className="hint">Die E-Mail-Adresse ist Ihre Anmeldung. Ändern kann sie die Druckerei.</p>
        </div>
        <div className="admin-field">
          <label htmlFor="profile-name">Name</label>
          <input
            id="profile-name"
            name="name"
            autoComplete="name"
            required
            maxLength={NAME_MAX}
            defaultValue={values?.name ?? name}
            aria-invalid={errors.name ? true : undefined}
            aria-describedby={errors.name ? "profile-name-error" : undefined}
          />
          <FieldError id="profile-name-error" message={errors.name} />
        </div>
        <div className="admin-field">
          <label htmlFor="profile-phone">Telefon (optional)</label>
          <input
            id="profile-phone"
            name="phone"
            type="tel"
            autoComplete="tel"
            maxLength={PHONE_MAX}
            defaultValue={values?.phone ?? phone ?? ""}
            aria-invalid={errors.phone ? true : undefined}
            aria-describedby={errors.phone ? "profile-phone-error" : undefined}
          />
          <FieldError id="profile-phone-error" message={errors.phone} />
        </div>
        <button type="submit" disabled={submitting}>
          Angaben speichern
        </button>
      </Form>
      <ResultMessage result={result} />
    </section>
  );
}

function PasswordForm({ email, minLength, result }: { email: string; minLength: number; result: ActionResult | undefined }) {
  const submitting = useSubmitting("password");
  const errors = result?.fieldErrors ?? {};
  const field = (name: string) => ({
    "aria-invalid": errors[name] ? true : undefined,
    "aria-describedby": errors[name] ? `${name}-error` : undefined,
  });

  return (
    <section aria-labelledby="password-heading">
      <h2 id="password-heading">Passwort ändern</h2>
      {/* A new key after a change empties the fields. */}
      <Form method="post" className="admin-form" noValidate key={result?.ok ? result.message : "password"}>
        <input type="hidden" name="intent" value="password" />
        {/* Tells password managers which account the new password belongs to. */}
        <input type="email" name="username" autoComplete="username" value={email} readOnly hidden maxLength={EMAIL_MAX} />
        <div className="admin-field">
          <label htmlFor="currentPassword">Aktuelles Passwort</label>
          <input id="currentPassword" name="currentPassword" type="password" autoComplete="current-password" required {...field("currentPassword")} />
          <FieldError id="currentPassword-error" message={errors.currentPassword} />
        </div>
        <div className="admin-field">
          <label htmlFor="newPassword">Neues Passwort</label>
          <input
            id="newPassword"
            name="newPassword"
            type="password"
            autoComplete="new-password"
            required
            minLength={minLength}
            {...field("newPassword")}
            aria-describedby={errors.newPassword ? "newPassword-error" : "newPassword-hint"}
          />
          <p id="newPassword-hint" className="hint">
            Mindestens {minLength} Zeichen. Ein langer Satz ist gut zu merken und schwer zu erraten.
          </p>
          <FieldError id="newPassword-error" message={errors.newPassword} />
        </div>
        <div className="admin-field">
          <label htmlFor="newPasswordRepeat">Neues Passwort wiederholen</label>
          <input
            id="newPasswordRepeat"
            name="newPasswordRepeat"
            type="password"
            autoComplete="new-password"
            required
            {...field("newPasswordRepeat")}
          />
          <FieldError id="newPasswordRepeat-error" message={errors.newPasswordRepeat} />
        </div>
        <p className="hint">Nach der Änderung werden Sie auf allen anderen Geräten abgemeldet.</p>
        <button type="submit" disabled={submitting}>
          Passwort ändern
        </button>
      </Form>
      <ResultMessage result={result?.ok ? result : undefined} />
    </section>
  );
}

type SessionRow = Awaited<ReturnType<typeof loader>>["sessions"][number];

function SessionList({ sessions, result }: { sessions: SessionRow[]; result: ActionResult | undefined }) {
  const navigation = useNavigation();
  const endingId = navigation.formData?.get("intent") === "session-end" ? navigation.formData.get("sessionId") : null;

  return (
    <section aria-labelledby="sessions-heading">
      <h2 id="sessions-heading">Angemeldete Geräte</h2>
      <p className="muted">Hier sehen Sie, wo Sie angemeldet sind. Eine Anmeldung, die Sie nicht kennen, beenden Sie mit „Abmelden“ und ändern dann Ihr Passwort.</p>
      <div className="table-scroll">
        <table className="admin-table account-sessions" aria-labelledby="sessions-heading">
          <thead>
            <tr>
              <th scope="col">Gerät</th>
              <th scope="col">Angemeldet seit</th>
              <th scope="col">Zuletzt aktiv</th>
              <th scope="col">
                <span className="visually-hidden">Aktion</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((session) => (
              <tr key={session.id}>
                <td>{session.device}</td>
                <td>{formatDateTime(session.createdAt)}</td>
                <td>{formatDateTime(session.lastUsedAt)}</td>
                <td>
                  {session.current ? (
                    <strong>Dieses Gerät</strong>
                  ) : (
                    <Form method="post">
                      <input type="hidden" name="intent" value="session-end" />
                      <input type="hidden" name="sessionId" value={session.id} />
                      <button type="submit" className="button-link" disabled={endingId === session.id}>
                        Abmelden
                      </button>
                    </Form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ResultMessage result={result} />
    </section>
  );
}

function StaffPhoto({ photoUrl, result }: { photoUrl: string | null; result: ActionResult | null }) {
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
      <ResultMessage result={result ?? undefined} />
    </section>
  );
}
