import { asc, ne, sql } from "drizzle-orm";

import { hasPermission } from "~/auth/authorization.server";
import { requestLoginLink } from "~/auth/login-tokens.server";
import type { SessionUser } from "~/auth/session.server";
import type { Database } from "~/db/client.server";
import { users } from "~/db/schema";
import { messages } from "~/messages";

import type { FieldErrors, StaffInput } from "./forms";
import { staffRoleLabels, teamMessages, type StaffRole } from "./messages";

type EmailEnv = Pick<Env, "EMAIL_QUEUE"> & { PORTAL_URL?: string };

export type TeamChange =
  | { ok: true; memberId: string; name: string }
  | { ok: false; status: 400 | 403 | 404 | 409; message?: string; fieldErrors: FieldErrors };

function forbidden(): TeamChange {
  return { ok: false, status: 403, fieldErrors: {}, message: messages.adminOnly };
}

/** Lists the staff accounts (every role but customer) by name. */
export async function listStaff(db: Database) {
  return db
    .select({
      id: users.id,
      salutation: users.salutation,
      name: users.name,
      email: users.email,
      phone: users.phone,
      role: users.role,
      active: users.active,
      hasPassword: sql<number>`${users.passwordHash} IS NOT NULL`.mapWith(Boolean),
    })
    .from(users)
    .where(ne(users.role, "customer"))
    .orderBy(sql`${users.name} COLLATE NOCASE`, asc(users.id));
}

async function findStaffMember(db: Database, memberId: string) {
  return db
    .select({ id: users.id, name: users.name, role: users.role, active: users.active })
    .from(users)
    .where(sql`${users.id} = ${memberId} AND ${users.role} <> 'customer'`)
    .get();
}

/**
 * Creates a staff account without a password and e-mails the first-login
 * link. No other account may have the address, compared trimmed and in
 * lowercase. The insert checks that itself, so two requests at once cannot
 * give one address to two accounts.
 */
export async function createStaffAccount(
  env: Pick<Env, "DB"> & EmailEnv,
  db: Database,
  admin: SessionUser,
  input: StaffInput,
  now = Date.now(),
): Promise<TeamChange & { firstLoginSent?: boolean }> {
  if (!hasPermission(admin, "manageTeam")) return forbidden();

  const memberId = crypto.randomUUID();
  const taken: TeamChange = { ok: false, status: 409, fieldErrors: { email: teamMessages.emailTaken(input.email) } };
  let changes: number;
  try {
    const result = await env.DB.prepare(
      `INSERT INTO users (id, company_id, role, salutation, name, email, phone, password_hash, active, created_at)
       SELECT ?1, NULL, ?2, ?3, ?4, ?5, ?6, NULL, 1, ?7
       WHERE NOT EXISTS (SELECT 1 FROM users WHERE lower(trim(email)) = ?5)`,
    )
      .bind(memberId, input.role, input.salutation, input.name, input.email, input.phone, now)
      .run();
    changes = result.meta.changes;
  } catch (error) {
    if (!String(error).includes("users.email")) throw error;
    changes = 0;
  }
  if (changes !== 1) {
    console.info("team: staff account not created, e-mail address taken", { actorId: admin.id });
    return taken;
  }
  console.info("team: staff account created", { actorId: admin.id, targetId: memberId, role: input.role });

  let firstLoginSent = false;
  try {
    firstLoginSent = (await requestLoginLink(env, db, input.email)) !== null;
  } catch (error) {
    console.error("team: first-login e-mail failed", { targetId: memberId, error: String(error) });
  }
  return { ok: true, memberId, name: input.name, firstLoginSent };
}

/**
 * Changes a staff member's role. Administrators cannot change their own role,
 * so the back office always keeps the administrator who acts. The new role
 * applies from the member's next request, because every request reads the
 * role from the database. Every change is logged with both ids.
 */
export async function changeStaffRole(
  db: Database,
  admin: SessionUser,
  memberId: string,
  role: StaffRole,
  clientTag: string | null,
): Promise<TeamChange & { changed?: boolean }> {
  if (!hasPermission(admin, "manageTeam")) return forbidden();
  if (memberId === admin.id) return { ok: false, status: 409, fieldErrors: {}, message: teamMessages.ownRoleLocked };

  const member = await findStaffMember(db, memberId);
  if (!member) return { ok: false, status: 404, fieldErrors: {}, message: teamMessages.memberNotFound };
  if (member.role === role) return { ok: true, memberId, name: member.name, changed: false };

  const updated = await db
    .update(users)
    .set({ role })
    .where(sql`${users.id} = ${memberId} AND ${users.role} <> 'customer'`)
    .returning({ id: users.id })
    .get();
  if (!updated) return { ok: false, status: 404, fieldErrors: {}, message: teamMessages.memberNotFound };

  console.info("team: role changed", { actorId: admin.id, targetId: memberId, from: member.role, to: role, client: clientTag });
  return { ok: true, memberId, name: member.name, changed: true };
}

/**
 * Deactivates or reactivates a staff account. Deactivating deletes the
 * member's sessions in the same batch, so the member is signed out on the
 * next request. Administrators cannot deactivate themselves.
 */
export async function setStaffActive(
  env: Pick<Env, "DB">,
  db: Database,
  admin: SessionUser,
  memberId: string,
  active: boolean,
  clientTag: string | null,
): Promise<TeamChange & { sessionsEnded?: number }> {
  if (!hasPermission(admin, "manageTeam")) return forbidden();
  if (memberId === admin.id && !active) return { ok: false, status: 409, fieldErrors: {}, message: teamMessages.ownAccountLocked };

  const member = await findStaffMember(db, memberId);
  if (!member) return { ok: false, status: 404, fieldErrors: {}, message: teamMessages.memberNotFound };

  const [updated, ended] = await env.DB.batch([
    env.DB.prepare("UPDATE users SET active = ?2 WHERE id = ?1 AND role <> 'customer'").bind(memberId, active ? 1 : 0),
    // Runs after the update in the same transaction: it deletes only when the member is inactive now.
    env.DB.prepare("DELETE FROM sessions WHERE user_id = ?1 AND EXISTS (SELECT 1 FROM users WHERE id = ?1 AND active = 0)").bind(memberId),
  ]);
  if (updated.meta.changes !== 1) return { ok: false, status: 404, fieldErrors: {}, message: teamMessages.memberNotFound };

  console.info(active ? "team: staff account reactivated" : "team: staff account deactivated", {
    actorId: admin.id,
    targetId: memberId,
    sessionsEnded: ended.meta.changes,
    client: clientTag,
  });
  return { ok: true, memberId, name: member.name, sessionsEnded: ended.meta.changes };
}

/** Returns the German name of a role for messages. */
export function roleLabel(role: StaffRole): string {
  return staffRoleLabels[role];
}
