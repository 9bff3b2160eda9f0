import { data, Form, Link, useActionData, useNavigation } from "react-router";

import accountStylesheet from "~/account/account.css?url";
import { EMAIL_MAX, NAME_MAX, parseStaffForm, parseStaffRole, PHONE_MAX, SALUTATIONS, type FieldErrors } from "~/account/forms";
import { formMessages, STAFF_ROLES, staffRoleLabels, teamMessages, type StaffRole } from "~/account/messages";
import { changeStaffRole, createStaffAccount, listStaff, setStaffActive } from "~/account/staff.server";
import adminStylesheet from "~/admin/admin.css?url";
import { requireAdmin } from "~/auth/guard.server";
import { clientHashOf, logClientTag } from "~/auth/rate-limit.server";
import { cloudflareContext } from "~/cloudflare-context";
import { getDb } from "~/db/client.server";

import type { Route } from "./+types/admin-team";

export const links: Route.LinksFunction = () => [
  { rel: "stylesheet", href: adminStylesheet },
  { rel: "stylesheet", href: accountStylesheet },
];

export async function loader({ request, context }: Route.LoaderArgs) {
  const admin = requireAdmin(context, request);
  const { env } = context.get(cloudflareContext);

  const staff = await listStaff(getDb(env));
  return { staff, ownId: admin.id };
}

interface ActionResult {
  intent: string;
  ok: boolean;
  message?: string;
  fieldErrors: FieldErrors;
  values?: Record<string, string>;
  /** The created account, so that the form empties after it. */
  memberId?: string;
}

export async function action({ request, context }: Route.ActionArgs) {
  const admin = requireAdmin(context, request);
  const { env } = context.get(cloudflareContext);
  const db = getDb(env);
  const clientTag = logClientTag(clientHashOf(request));

  const form = Object.fromEntries(await request.formData());
  const intent = String(form.intent ?? "");
  const memberId = String(form.memberId ?? "");
  const reply = (status: number, result: Omit<ActionResult, "intent">) => data<ActionResult>({ intent, ...result }, { status });

  if (intent === "create") {
    const values = Object.fromEntries(Object.entries(form).map(([key, value]) => [key, String(value)]));
    const parsed = parseStaffForm(form);
    if (!parsed.ok) return reply(400, { ok: false, fieldErrors: parsed.fieldErrors, values });

    const created = await createStaffAccount(env, db, admin, parsed.value);
    if (!created.ok) return reply(created.status, { ok: false, fieldErrors: created.fieldErrors, message: created.message, values });
    const followUp = created.firstLoginSent ? teamMessages.firstLoginSent(parsed.value.email) : teamMessages.firstLoginFailed;
    return reply(200, { ok: true, fieldErrors: {}, message: `${teamMessages.created(created.name)} ${followUp}`, memberId: created.memberId });
  }

  if (intent === "role") {
    const role = parseStaffRole(form.role);
    if (!role) return reply(400, { ok: false, fieldErrors: {}, message: teamMessages.roleInvalid });

    const changed = await changeStaffRole(db, admin, memberId, role, clientTag);
    if (!changed.ok) return reply(changed.status, { ok: false, fieldErrors: {}, message: changed.message });
    const message = changed.changed
      ? teamMessages.roleChanged(changed.name, staffRoleLabels[role])
      : teamMessages.roleUnchanged(changed.name, staffRoleLabels[role]);
    return reply(200, { ok: true, fieldErrors: {}, message });
  }

  if (intent === "deactivate" || intent === "reactivate") {
    const active = intent === "reactivate";
    const changed = await setStaffActive(env, db, admin, memberId, active, clientTag);
    if (!changed.ok) return reply(changed.status, { ok: false, fieldErrors: {}, message: changed.message });
    return reply(200, { ok: true, fieldErrors: {}, message: active ? teamMessages.reactivated(changed.name) : teamMessages.deactivated(changed.name) });
  }

  return reply(400, { ok: false, fieldErrors: {}, message: formMessages.requestInvalid });
}

export function meta() {
  return [{ title: "Team" }];
}

type Member = Route.ComponentProps["loaderData"]["staff"][number];

export default function AdminTeam({ loaderData }: Route.ComponentProps) {
  const { staff, ownId } = loaderData;
  const actionData = useActionData<typeof action>();
  const createResult = actionData?.intent === "create" ? actionData : undefined;
  const otherResult = actionData && actionData.intent !== "create" ? actionData : undefined;

  return (
    <div>
      <p>
        <Link to="/verwaltung">← Verwaltung</Link>
      </p>
      <h1>Team</h1>
      <p className="muted">
        Zugänge der Mitarbeiter. Auftragsmanager bearbeiten Firmen, Angebote und Aufträge, die Druckvorstufe prüft Druckdaten, Administratoren
        verwalten zusätzlich Einstellungen und Team.
      </p>
      {otherResult?.message ? (
        <p className={otherResult.ok ? "form-success" : "form-error"} role={otherResult.ok ? "status" : "alert"}>
          {otherResult.message}
        </p>
      ) : null}

      <section aria-labelledby="team-heading">
        <h2 id="team-heading">Mitarbeiter</h2>
        {staff.length === 0 ? (
          <p className="empty">{teamMessages.empty}</p>
        ) : (
          <div className="table-scroll">
            <table className="admin-table" aria-labelledby="team-heading">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">E-Mail</th>
                  <th scope="col">Rolle</th>
                  <th scope="col">Status</th>
                  <th scope="col">
                    <span className="visually-hidden">Aktion</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {staff.map((member) => (
                  <MemberRow key={`${member.id}-${member.role}-${member.active}`} member={member} own={member.id === ownId} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="new-member-heading">
        <h2 id="new-member-heading">Neuer Zugang</h2>
        <p className="muted">Der neue Mitarbeiter bekommt per E-Mail einen Link, mit dem er sein Passwort vergibt.</p>
        <CreateForm key={createResult?.ok ? createResult.memberId : "new"} result={createResult} />
      </section>
    </div>
  );
}

function MemberRow({ member, own }: { member: Member; own: boolean }) {
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formData?.get("memberId") === member.id;
  const role = member.role as StaffRole;

  return (
    <tr className={member.active ? undefined : "admin-inactive"}>
      <td>
        {[member.salutation, member.name].filter(Boolean).join(" ")}
        {own ? " (Sie)" : ""}
      </td>
      <td>{member.email}</td>
      <td>
        {own ? (
          staffRoleLabels[role]
        ) : (
          <Form method="post" className="account-choice">
            <input type="hidden" name="intent" value="role" />
            <input type="hidden" name="memberId" value={member.id} />
            <label htmlFor={`role-${member.id}`} className="visually-hidden">
              Rolle von {member.name}
            </label>
            <select id={`role-${member.id}`} name="role" defaultValue={role}>
              {STAFF_ROLES.map((option) => (
                <option key={option} value={option}>
                  {staffRoleLabels[option]}
                </option>
              ))}
            </select>
            <button type="submit" className="button-link" disabled={busy}>
              Rolle ändern
            </button>
          </Form>
        )}
      </td>
      <td>
        {member.active ? "aktiv" : "inaktiv"}
        {member.hasPassword ? "" : ", noch kein Passwort"}
      </td>
      <td>
        {own ? null : (
          <Form method="post" className="account-inline-form">
            <input type="hidden" name="intent" value={member.active ? "deactivate" : "reactivate"} />
            <input type="hidden" name="memberId" value={member.id} />
            <button type="submit" className="button-link" disabled={busy}>
              {member.active ? "Deaktivieren" : "Aktivieren"}
            </button>
          </Form>
        )}
      </td>
    </tr>
  );
}

function CreateForm({ result }: { result: ActionResult | undefined }) {
  const navigation = useNavigation();
  const submitting = navigation.state !== "idle" && navigation.formData?.get("intent") === "create";
  const errors = result?.fieldErrors ?? {};
  const values = result?.ok ? {} : (result?.values ?? {});
  const field = (name: string) => ({
    name,
    id: `member-${name}`,
    defaultValue: values[name] ?? "",
    "aria-invalid": errors[name] ? true : undefined,
    "aria-describedby": errors[name] ? `member-${name}-error` : undefined,
  });

  return (
    <>
      <Form method="post" className="admin-form" noValidate>
        <input type="hidden" name="intent" value="create" />
        <div className="admin-field">
          <label htmlFor="member-salutation">Anrede (optional)</label>
          <select {...field("salutation")}>
            <option value="">–</option>
            {SALUTATIONS.map((salutation) => (
              <option key={salutation} value={salutation}>
                {salutation}
              </option>
            ))}
          </select>
          <FieldError id="member-salutation-error" message={errors.salutation} />
        </div>
        <div className="admin-field">
          <label htmlFor="member-name">Name</label>
          <input {...field("name")} required maxLength={NAME_MAX} />
          <FieldError id="member-name-error" message={errors.name} />
        </div>
        <div className="admin-field">
          <label htmlFor="member-email">E-Mail-Adresse</label>
          <input {...field("email")} type="email" required maxLength={EMAIL_MAX} />
          <FieldError id="member-email-error" message={errors.email} />
        </div>
        <div className="admin-field">
          <label htmlFor="member-phone">Telefon (optional)</label>
          <input {...field("phone")} type="tel" maxLength={PHONE_MAX} />
          <FieldError id="member-phone-error" message={errors.phone} />
        </div>
        <div className="admin-field">
          <label htmlFor="member-role">Rolle</label>
          <select {...field("role")} defaultValue={values.role ?? "manager"}>
            {STAFF_ROLES.map((role) => (
              <option key={role} value={role}>
                {staffRoleLabels[role]}
              </option>
            ))}
          </select>
          <FieldError id="member-role-error" message={errors.role} />
        </div>
        <button type="submit" disabled={submitting}>
          Zugang anlegen
        </button>
      </Form>
      {result?.message ? (
        <p className={result.ok ? "form-success" : "form-error"} role={result.ok ? "status" : "alert"}>
          {result.message}
        </p>
      ) : null}
    </>
  );
}

function FieldError({ id, message }: { id: string; message: string | undefined }) {
  return message ? (
    <p id={id} className="form-error">
      {message}
    </p>
  ) : null;
}
