import { and, asc, count, desc, eq, ne, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";

import { accountMessages } from "~/auth/account-messages";
import { hasPermission } from "~/auth/authorization.server";
import { requestLoginLink } from "~/auth/login-tokens.server";
import { findUserByEmail } from "~/auth/login.server";
import { clientHashOf, consumeRequest, logClientTag, waitingMinutes } from "~/auth/rate-limit.server";
import type { SessionUser } from "~/auth/session.server";
import type { Database } from "~/db/client.server";
import { accessRequests, companies, users } from "~/db/schema";
import { portalBaseUrl } from "~/email/layout.server";
import { enqueueEmail } from "~/email/outbox.server";
import { getShopSettings } from "~/shop-settings.server";

import {
  renderAccessRequestConfirmationEmail,
  renderAccessRequestDeclinedEmail,
  renderAccessRequestReceivedEmail,
} from "./access-request-emails.server";
import type { AccessRequestInput } from "./forms";
import { accessRequestMessages } from "./messages";

type EmailEnv = Pick<Env, "EMAIL_QUEUE"> & { PORTAL_URL?: string };

const DAY_MS = 24 * 60 * 60 * 1000;

/** Most decided requests the review page lists, newest first. */
export const DECIDED_LIST_LIMIT = 50;

/** Most companies the review page offers in its company choice. */
export const COMPANY_CHOICE_LIMIT = 1000;

/** True for the staff who review access requests: order managers and administrators. */
export function canReviewAccessRequests(user: SessionUser): boolean {
  return hasPermission(user, "reviewAccessRequests");
}

/**
 * Counts one access request of the request's client (hashed IP address).
 * Returns the waiting time in minutes when the client sent too many in the
 * last hour (the request must be rejected), or null.
 */
export async function consumeAccessRequestLimit(env: Pick<Env, "RateLimiter">, request: Request, now = Date.now()): Promise<number | null> {
  const clientHash = clientHashOf(request);
  const retryAfterMs = await consumeRequest(env, [{ bucket: "accessRequestClient", subjectHash: clientHash }], now);
  if (retryAfterMs === null) return null;

  console.warn("access request: rate limited", { client: logClientTag(clientHash) });
  return waitingMinutes(retryAfterMs);
}

/** Returns the German message for a client that sent too many requests. */
export function tooManyRequestsMessage(minutes: number): string {
  return accountMessages.tooManyRequests(minutes);
}

/**
 * Stores an access request and e-mails the shop and the requester. An address
 * has at most one open request: sending the form again updates the open
 * request instead of adding one. The e-mails' idempotency keys contain the
 * request and the day, so a repeated form on the same day (UTC) sends no
 * second e-mail, while a renewed request on a later day does. Returns the
 * request's id and whether it is new. The caller shows the same response
 * whether or not the address has an account.
 */
export async function submitAccessRequest(
  env: Pick<Env, "DB"> & EmailEnv,
  db: Database,
  input: AccessRequestInput,
  now = Date.now(),
): Promise<{ requestId: string; created: boolean }> {
  const newId = crypto.randomUUID();
  const openWithEmail = "SELECT 1 FROM access_requests WHERE email = ?1 AND state = 'open'";
  // One batch runs as one transaction, so two identical forms at once still leave one open request.
  const [updated, inserted] = await env.DB.batch([
    env.DB.prepare(
      "UPDATE access_requests SET name = ?2, company_name = ?3, phone = ?4, message = ?5 WHERE email = ?1 AND state = 'open'",
    ).bind(input.email, input.name, input.companyName, input.phone, input.message),
    env.DB.prepare(
      `INSERT INTO access_requests (id, name, company_name, email, phone, message, state, created_at)
       SELECT ?2, ?3, ?4, ?1, ?5, ?6, 'open', ?7 WHERE NOT EXISTS (${openWithEmail})`,
    ).bind(input.email, newId, input.name, input.companyName, input.phone, input.message, now),
  ]);
  const created = inserted.meta.changes === 1;

  const open = await db
    .select({ id: accessRequests.id })
    .from(accessRequests)
    .where(and(eq(accessRequests.email, input.email), eq(accessRequests.state, "open")))
    .get();
  if (!open) throw new Error("access request vanished right after it was stored");
  console.info(created ? "access request: stored" : "access request: open request updated", {
    requestId: open.id,
    updated: updated.meta.changes,
  });

  try {
    await sendAccessRequestEmails(env, db, open.id, input, now);
  } catch (error) {
    // The request is stored and staff see it, so the requester still gets the confirmation page.
    console.error("access request: e-mails not queued", { requestId: open.id, error: String(error) });
  }
  return { requestId: open.id, created };
}

async function sendAccessRequestEmails(env: EmailEnv, db: Database, requestId: string, input: AccessRequestInput, now: number) {
  const shop = await getShopSettings(db);
  const baseUrl = portalBaseUrl(env);
  const day = Math.floor(now / DAY_MS);

  const account = await findUserByEmail(db, input.email);
  const hasAccount = Boolean(account?.active);

  await enqueueEmail(env, db, {
    idempotencyKey: `access-request:${requestId}:${day}:shop`,
    kind: "access-request-received",
    to: shop.email,
    toName: shop.name,
    ...renderAccessRequestReceivedEmail(shop, input, `${baseUrl}/verwaltung/anfragen`),
  });
  await enqueueEmail(env, db, {
    idempotencyKey: `access-request:${requestId}:${day}:confirmation`,
    kind: "access-request-confirmation",
    to: input.email,
    toName: input.name,
    ...renderAccessRequestConfirmationEmail(shop, input, { hasAccount, passwordForgotUrl: `${baseUrl}/passwort-vergessen` }),
  });
}

/** Lists the open requests (oldest first), then the newest decided ones, with what the review page shows. */
export async function listAccessRequests(db: Database) {
  const decider = alias(users, "decider");
  const contact = alias(users, "contact");
  const account = alias(users, "account");
  const accountCompany = alias(companies, "account_company");
  const contactCompany = alias(companies, "contact_company");

  const columns = {
    id: accessRequests.id,
    name: accessRequests.name,
    companyName: accessRequests.companyName,
    email: accessRequests.email,
    phone: accessRequests.phone,
    message: accessRequests.message,
    state: accessRequests.state,
    createdAt: accessRequests.createdAt,
    decidedAt: accessRequests.decidedAt,
  };

  const open = await db
    .select({
      ...columns,
      // An account already registered under the address, which accepting would link.
      accountRole: account.role,
      accountCompanyName: accountCompany.name,
      accountActive: account.active,
    })
    .from(accessRequests)
    .leftJoin(account, eq(account.email, accessRequests.email))
    .leftJoin(accountCompany, eq(accountCompany.id, account.companyId))
    .where(eq(accessRequests.state, "open"))
    .orderBy(asc(accessRequests.createdAt), asc(accessRequests.id));

  const decided = await db
    .select({ ...columns, deciderName: decider.name, contactName: contact.name, contactCompanyName: contactCompany.name })
    .from(accessRequests)
    .leftJoin(decider, eq(decider.id, accessRequests.decidedBy))
    .leftJoin(contact, eq(contact.id, accessRequests.userId))
    .leftJoin(contactCompany, eq(contactCompany.id, contact.companyId))
    .where(ne(accessRequests.state, "open"))
    .orderBy(desc(accessRequests.decidedAt), desc(accessRequests.id))
    .limit(DECIDED_LIST_LIMIT);

  return { open, decided };
}

/** Counts the open requests, for the back office's start page. */
export async function countOpenAccessRequests(db: Database): Promise<number> {
  const row = await db.select({ open: count() }).from(accessRequests).where(eq(accessRequests.state, "open")).get();
  return row?.open ?? 0;
}

/** Lists the companies the review page offers, by name. */
export async function listCompanyChoices(db: Database) {
  return db
    .select({ id: companies.id, name: companies.name, customerNumber: companies.customerNumber })
    .from(companies)
    .orderBy(sql`${companies.name} COLLATE NOCASE`, asc(companies.id))
    .limit(COMPANY_CHOICE_LIMIT);
}

export type CompanyChoice = { kind: "existing"; companyId: string } | { kind: "new" };

export type DecisionFailure = { ok: false; status: 403 | 404 | 409; message: string };

export type AcceptResult =
  | {
      ok: true;
      userId: string;
      companyId: string;
      companyName: string;
      contactName: string;
      contactEmail: string;
      /** Whether the first-login e-mail went out; "not-needed" when the linked contact has a password already. */
      firstLogin: "sent" | "not-needed" | "failed";
    }
  | DecisionFailure;

async function loadRequest(db: Database, requestId: string) {
  return db.select().from(accessRequests).where(eq(accessRequests.id, requestId)).get();
}

/** Explains why a request could not be decided: it does not exist, or it was decided already. */
async function decisionFailure(db: Database, requestId: string): Promise<DecisionFailure> {
  const request = await loadRequest(db, requestId);
  if (!request) return { ok: false, status: 404, message: accessRequestMessages.requestNotFound };
  const state = request.state === "declined" ? "declined" : "accepted";
  return { ok: false, status: 409, message: accessRequestMessages.alreadyDecided(state) };
}

/**
 * Accepts an open request in one batch. It takes an existing company or
 * creates one with the request's company name. It creates the contact (a
 * customer without a password) or links the customer already registered
 * under the address at that company, and marks the request accepted. Then
 * e-mails the contact the first-login link, unless the contact has a
 * password. A request decided already changes nothing (409).
 */
export async function acceptAccessRequest(
  env: Pick<Env, "DB"> & EmailEnv,
  db: Database,
  reviewer: SessionUser,
  requestId: string,
  choice: CompanyChoice,
  now = Date.now(),
): Promise<AcceptResult> {
  if (!canReviewAccessRequests(reviewer)) return { ok: false, status: 403, message: accessRequestMessages.reviewForbidden };

  const request = await loadRequest(db, requestId);
  if (!request || request.state !== "open") return decisionFailure(db, requestId);

  let company: { id: string; name: string; isNew: boolean };
  if (choice.kind === "existing") {
    const existing = await db.select({ id: companies.id, name: companies.name }).from(companies).where(eq(companies.id, choice.companyId)).get();
    if (!existing) return { ok: false, status: 404, message: accessRequestMessages.companyNotFound };
    company = { ...existing, isNew: false };
  } else {
    company = { id: crypto.randomUUID(), name: request.companyName, isNew: true };
  }

  const account = await findUserByEmail(db, request.email);
  if (account) {
    const rejection = await linkingRejection(db, account, company.id, request.email);
    if (rejection) return rejection;
  }
  const userId = account?.id ?? crypto.randomUUID();

  const requestOpen = "EXISTS (SELECT 1 FROM access_requests WHERE id = ?1 AND state = 'open')";
  const statements: D1PreparedStatement[] = [];
  if (company.isNew) {
    statements.push(
      env.DB.prepare(`INSERT INTO companies (id, name, customer_number, created_at) SELECT ?2, ?3, NULL, ?4 WHERE ${requestOpen}`).bind(
        requestId,
        company.id,
        company.name,
        now,
      ),
    );
  }
  if (!account) {
    statements.push(
      env.DB.prepare(
        `INSERT INTO users (id, company_id, role, salutation, name, email, phone, password_hash, active, created_at)
         SELECT ?2, ?3, 'customer', NULL, ?4, ?5, ?6, NULL, 1, ?7
         WHERE ${requestOpen} AND NOT EXISTS (SELECT 1 FROM users WHERE lower(trim(email)) = ?5)`,
      ).bind(requestId, userId, company.id, request.name, request.email, request.phone, now),
    );
  }
  // Last, so that the statements above still see the request open. When the
  // contact was not inserted (the address was taken in the meantime), the
  // foreign key on user_id fails and D1 rolls back the whole batch.
  statements.push(
    env.DB.prepare(
      "UPDATE access_requests SET state = 'accepted', decided_at = ?2, decided_by = ?3, user_id = ?4 WHERE id = ?1 AND state = 'open'",
    ).bind(requestId, now, reviewer.id, userId),
  );

  let results: D1Result[];
  try {
    results = await env.DB.batch(statements);
  } catch (error) {
    if (!String(error).includes("FOREIGN KEY")) throw error;
    console.warn("access request: not accepted, address registered meanwhile", { requestId, userId: reviewer.id });
    return { ok: false, status: 409, message: accessRequestMessages.emailRegisteredMeanwhile(request.email) };
  }
  if (results[results.length - 1].meta.changes !== 1) return decisionFailure(db, requestId);

  console.info("access request: accepted", {
    requestId,
    reviewerId: reviewer.id,
    contactId: userId,
    companyId: company.id,
    companyCreated: company.isNew,
    contactCreated: !account,
  });

  const firstLogin = account?.passwordHash ? "not-needed" : await sendFirstLoginLink(env, db, request.email, requestId);
  return {
    ok: true,
    userId,
    companyId: company.id,
    companyName: company.name,
    contactName: account?.name ?? request.name,
    contactEmail: account?.email ?? request.email,
    firstLogin,
  };
}

/** Returns why an account registered under the request's address cannot be linked to the company, or null when it can. */
async function linkingRejection(
  db: Database,
  account: NonNullable<Awaited<ReturnType<typeof findUserByEmail>>>,
  companyId: string,
  email: string,
): Promise<DecisionFailure | null> {
  if (account.role !== "customer") return { ok: false, status: 409, message: accessRequestMessages.emailBelongsToStaff(email) };
  if (account.companyId !== companyId) {
    const other = account.companyId
      ? await db.select({ name: companies.name }).from(companies).where(eq(companies.id, account.companyId)).get()
      : undefined;
    return { ok: false, status: 409, message: accessRequestMessages.emailBelongsToOtherCompany(email, other?.name ?? "") };
  }
  if (!account.active) return { ok: false, status: 409, message: accessRequestMessages.contactInactive(email) };
  return null;
}

async function sendFirstLoginLink(env: EmailEnv, db: Database, email: string, requestId: string): Promise<"sent" | "failed"> {
  try {
    const sent = await requestLoginLink(env, db, email);
    return sent ? "sent" : "failed";
  } catch (error) {
    console.error("access request: first-login e-mail failed", { requestId, error: String(error) });
    return "failed";
  }
}

export type DeclineResult = { ok: true; name: string; email: string; notified: boolean } | DecisionFailure;

/**
 * Declines an open request and, when `notify` is set, e-mails the requester a
 * short German note. A request decided already changes nothing (409).
 */
export async function declineAccessRequest(
  env: EmailEnv,
  db: Database,
  reviewer: SessionUser,
  requestId: string,
  notify: boolean,
  now = Date.now(),
): Promise<DeclineResult> {
  if (!canReviewAccessRequests(reviewer)) return { ok: false, status: 403, message: accessRequestMessages.reviewForbidden };

  const declined = await db
    .update(accessRequests)
    .set({ state: "declined", decidedAt: now, decidedBy: reviewer.id })
    .where(and(eq(accessRequests.id, requestId), eq(accessRequests.state, "open")))
    .returning()
    .get();
  if (!declined) return decisionFailure(db, requestId);
  console.info("access request: declined", { requestId, reviewerId: reviewer.id, notify });

  const declinedRequest = { ok: true as const, name: declined.name, email: declined.email };
  if (!notify) return { ...declinedRequest, notified: false };
  try {
    const shop = await getShopSettings(db);
    await enqueueEmail(env, db, {
      idempotencyKey: `access-request:${requestId}:declined`,
      kind: "access-request-declined",
      to: declined.email,
      toName: declined.name,
      ...renderAccessRequestDeclinedEmail(shop, declined),
    });
    return { ...declinedRequest, notified: true };
  } catch (error) {
    console.error("access request: decline e-mail failed", { requestId, error: String(error) });
    return { ...declinedRequest, notified: false };
  }
}
