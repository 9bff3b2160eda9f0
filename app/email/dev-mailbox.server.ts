import { desc, eq } from "drizzle-orm";

import { isStaff } from "~/auth/guard.server";
import type { SessionUser } from "~/auth/session.server";
import type { Database } from "~/db/client.server";
import { outboxEmails } from "~/db/schema";

import { isLocalEmailProvider } from "./providers.server";

/** Most e-mails the dev mailbox lists. */
const MAILBOX_LIMIT = 100;

/**
 * Decides who may open the dev mailbox. It exists only while the local provider
 * is active, so with a mail API configured it is "not-found" for everyone.
 * Staff may open it; customers get "not-found" as for any page that does not exist.
 */
export function devMailboxAccess(env: object, user: SessionUser | null): "allowed" | "sign-in" | "not-found" {
  if (!isLocalEmailProvider(env)) return "not-found";
  if (!user) return "sign-in";
  return isStaff(user) ? "allowed" : "not-found";
}

/** Lists the outbox, newest first, without the bodies. */
export async function listOutboxEmails(db: Database) {
  return db
    .select({
      id: outboxEmails.id,
      kind: outboxEmails.kind,
      toAddress: outboxEmails.toAddress,
      toName: outboxEmails.toName,
      subject: outboxEmails.subject,
      state: outboxEmails.state,
      attempts: outboxEmails.attempts,
      createdAt: outboxEmails.createdAt,
    })
    .from(outboxEmails)
    .orderBy(desc(outboxEmails.createdAt), desc(outboxEmails.id))
    .limit(MAILBOX_LIMIT)
    .all();
}

export async function getOutboxEmail(db: Database, emailId: string) {
  return db.select().from(outboxEmails).where(eq(outboxEmails.id, emailId)).get();
}
