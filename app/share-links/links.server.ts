import { sha256 } from "@oslojs/crypto/sha2";
import { encodeBase64urlNoPadding, encodeHexLowerCase } from "@oslojs/encoding";
import { and, count, desc, eq, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";

import type { SessionUser } from "~/auth/session.server";
import type { Database } from "~/db/client.server";
import { files, orderEvents, orders, shareLinks, users } from "~/db/schema";
import { formatBytes } from "~/format";
import { CONTROL_CHARACTERS } from "~/uploads/file-name";
import type { UploadPolicy } from "~/uploads/file-type";

import { shareLinkMessages } from "./messages";

// Share links ("Externer Link") let someone without an account upload into
// one order. The token is 32 random bytes (256 bits) in base64url; only its
// SHA-256 is stored, so the full link is shown once, to its creator.

export const DEFAULT_LINK_DAYS = 14;
export const MAX_LINK_DAYS = 90;
export const MAX_LABEL_CHARS = 100;
const DAY_MS = 24 * 60 * 60 * 1000;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export type ShareLinkRow = typeof shareLinks.$inferSelect;
export type ShareLinkState = "active" | "expired" | "revoked";

export interface NewShareLink {
  label: string | null;
  showLabel: boolean;
  expiresInDays: number;
  /** The link's own size limit in bytes, or null for the shop's. */
  maxBytes: number | null;
}

export type ShareLinkResult<T> = { ok: true; value: T } | { ok: false; status: 400 | 404 | 409; message: string };

function hashToken(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

export function shareLinkState(link: Pick<ShareLinkRow, "expiresAt" | "revokedAt">, now = Date.now()): ShareLinkState {
  if (link.revokedAt !== null) return "revoked";
  return link.expiresAt <= now ? "expired" : "active";
}

/**
 * Checks what the creator entered. The label is trimmed and NFC-normalised;
 * the size limit may not exceed the shop's, because the shop's limit applies
 * to every upload anyway.
 */
export function checkNewShareLink(input: NewShareLink, policy: UploadPolicy): ShareLinkResult<NewShareLink> {
  const label = input.label?.normalize("NFC").trim() || null;
  if (label && [...label].length > MAX_LABEL_CHARS) return { ok: false, status: 400, message: shareLinkMessages.labelTooLong(MAX_LABEL_CHARS) };
  if (label && CONTROL_CHARACTERS.test(label)) return { ok: false, status: 400, message: shareLinkMessages.labelInvalid };
  if (!Number.isInteger(input.expiresInDays) || input.expiresInDays < 1 || input.expiresInDays > MAX_LINK_DAYS) {
    return { ok: false, status: 400, message: shareLinkMessages.expiryInvalid(MAX_LINK_DAYS) };
  }
  if (input.maxBytes !== null && (!Number.isSafeInteger(input.maxBytes) || input.maxBytes < 1)) {
    return { ok: false, status: 400, message: shareLinkMessages.sizeNotNumber };
  }
  if (input.maxBytes !== null && input.maxBytes > policy.maxBytes) {
    const megabytes = Math.floor(policy.maxBytes / (1024 * 1024)).toLocaleString("de-DE");
    return { ok: false, status: 400, message: shareLinkMessages.sizeTooLarge(formatBytes(policy.maxBytes), megabytes) };
  }
  return { ok: true, value: { ...input, label, showLabel: input.showLabel && label !== null } };
}

/**
 * Creates a link for the order and records it in the order's history.
 * Returns the token, which is never stored and cannot be shown again.
 */
export async function createShareLink(
  db: Database,
  order: Pick<typeof orders.$inferSelect, "id" | "status">,
  user: SessionUser,
  input: NewShareLink,
  policy: UploadPolicy,
  now = Date.now(),
): Promise<ShareLinkResult<{ link: ShareLinkRow; token: string }>> {
  if (order.status === "withdrawn") return { ok: false, status: 409, message: shareLinkMessages.orderWithdrawn };
  const checked = checkNewShareLink(input, policy);
  if (!checked.ok) return checked;

  const token = encodeBase64urlNoPadding(crypto.getRandomValues(new Uint8Array(32)));
  const link: ShareLinkRow = {
    id: crypto.randomUUID(),
    orderId: order.id,
    tokenHash: hashToken(token),
    label: checked.value.label,
    showLabel: checked.value.showLabel,
    maxBytes: checked.value.maxBytes,
    expiresAt: now + checked.value.expiresInDays * DAY_MS,
    createdBy: user.id,
    createdAt: now,
    revokedAt: null,
    revokedBy: null,
  };
  await db.batch([
    db.insert(shareLinks).values(link),
    db.insert(orderEvents).values({
      id: crypto.randomUUID(),
      orderId: order.id,
      kind: "share_link.created",
      actorId: user.id,
      data: { linkId: link.id, label: link.label },
      createdAt: now,
    }),
  ]);
  console.info("share link: created", { orderId: order.id, linkId: link.id, userId: user.id, expiresAt: link.expiresAt });
  return { ok: true, value: { link, token } };
}

/** Revokes a link of the order. Revoking a revoked link changes nothing and returns a 409 message. */
export async function revokeShareLink(
  db: Database,
  orderId: string,
  linkId: string,
  user: SessionUser,
  now = Date.now(),
): Promise<ShareLinkResult<ShareLinkRow>> {
  const link = await db
    .select()
    .from(shareLinks)
    .where(and(eq(shareLinks.id, linkId), eq(shareLinks.orderId, orderId)))
    .get();
  if (!link) return { ok: false, status: 404, message: shareLinkMessages.notFound };
  if (link.revokedAt !== null) return { ok: false, status: 409, message: shareLinkMessages.alreadyRevoked };

  await db.batch([
    db
      .update(shareLinks)
      .set({ revokedAt: now, revokedBy: user.id })
      .where(and(eq(shareLinks.id, link.id), sql`${shareLinks.revokedAt} is null`)),
    db.insert(orderEvents).values({
      id: crypto.randomUUID(),
      orderId,
      kind: "share_link.revoked",
      actorId: user.id,
      data: { linkId: link.id, label: link.label },
      createdAt: now,
    }),
  ]);
  console.info("share link: revoked", { orderId, linkId: link.id, userId: user.id });
  return { ok: true, value: { ...link, revokedAt: now, revokedBy: user.id } };
}

/** Lists the order's links, newest first, with their creator's name and the number of files uploaded through each. */
export async function listShareLinks(db: Database, orderId: string, now = Date.now()) {
  const revoker = alias(users, "revoker");
  const [links, uploads] = await Promise.all([
    db
      .select({
        id: shareLinks.id,
        label: shareLinks.label,
        showLabel: shareLinks.showLabel,
        maxBytes: shareLinks.maxBytes,
        expiresAt: shareLinks.expiresAt,
        createdAt: shareLinks.createdAt,
        revokedAt: shareLinks.revokedAt,
        createdByName: users.name,
        revokedByName: revoker.name,
      })
      .from(shareLinks)
      .leftJoin(users, eq(users.id, shareLinks.createdBy))
      .leftJoin(revoker, eq(revoker.id, shareLinks.revokedBy))
      .where(eq(shareLinks.orderId, orderId))
      .orderBy(desc(shareLinks.createdAt)),
    db
      .select({ shareLinkId: files.shareLinkId, uploads: count() })
      .from(files)
      .where(and(eq(files.orderId, orderId), sql`${files.shareLinkId} is not null`))
      .groupBy(files.shareLinkId),
  ]);
  const uploadsByLink = new Map(uploads.map((row) => [row.shareLinkId, row.uploads]));
  return links.map((link) => ({ ...link, state: shareLinkState(link, now), uploads: uploadsByLink.get(link.id) ?? 0 }));
}

export type ShareLinkListItem = Awaited<ReturnType<typeof listShareLinks>>[number];

/**
 * Finds the link behind a token, if it may still be used: not revoked, not
 * expired, and its order not withdrawn. Every other case returns null, so the
 * caller cannot tell an unknown token from an expired one either.
 */
export async function resolveShareLink(db: Database, token: string, now = Date.now()) {
  if (!TOKEN_PATTERN.test(token)) return null;
  const row = await db
    .select({ link: shareLinks, orderStatus: orders.status })
    .from(shareLinks)
    .innerJoin(orders, eq(orders.id, shareLinks.orderId))
    .where(eq(shareLinks.tokenHash, hashToken(token)))
    .get();
  if (!row || row.orderStatus === "withdrawn" || shareLinkState(row.link, now) !== "active") return null;
  return row.link;
}

/** Returns the link's upload policy: the shop's, with the link's lower size limit if it has one. */
export function linkUploadPolicy(link: Pick<ShareLinkRow, "maxBytes">, shop: UploadPolicy): UploadPolicy {
  return { ...shop, maxBytes: Math.min(link.maxBytes ?? shop.maxBytes, shop.maxBytes) };
}
