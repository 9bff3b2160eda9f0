import { sql } from "drizzle-orm";
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

import type { Finding, PageGeometry, ProfileId } from "~/preflight";
import { PRINT_FILE_TYPES, type PrintFileType } from "~/uploads/file-type";
import { MAX_MULTIPART_UPLOAD_BYTES } from "~/uploads/limits";

import { APPROVAL_KINDS, DOCUMENT_KINDS, ORDER_EVENT_KINDS, ORDER_STATUSES, PREFLIGHT_STATES, PREFLIGHT_VERDICTS, USER_ROLES, type OrderSpec } from "./values";

// Timestamps are milliseconds since the Unix epoch (UTC); pages format them
// for Europe/Berlin.

/** The print shop this deployment serves: exactly one row, id 1. */
export const shopSettings = sqliteTable(
  "shop_settings",
  {
    id: integer("id").primaryKey(),
    name: text("name").notNull(),
    street: text("street").notNull(),
    postalCode: text("postal_code").notNull(),
    city: text("city").notNull(),
    phone: text("phone").notNull(),
    email: text("email").notNull(),
    prepressPhone: text("prepress_phone").notNull(),
    prepressEmail: text("prepress_email").notNull(),
    prepressHours: text("prepress_hours").notNull(),
    /** Largest print file a multipart upload may carry, in bytes. */
    maxUploadBytes: integer("max_upload_bytes").notNull().default(MAX_MULTIPART_UPLOAD_BYTES),
    /** MIME types of the print files the shop accepts, decided by content (see `app/uploads/file-type.ts`). */
    acceptedFileTypes: text("accepted_file_types", { mode: "json" })
      .$type<PrintFileType[]>()
      .notNull()
      .default([...PRINT_FILE_TYPES]),
    /** The shop's logo in R2 (shown in the header), and its MIME type. */
    logoR2Key: text("logo_r2_key"),
    logoContentType: text("logo_content_type"),
    /** The next offer number the range gives out (the part before the version suffix). */
    nextOfferNumber: integer("next_offer_number").notNull().default(50000),
    /** The next order number the range gives out when an offer is accepted. */
    nextOrderNumber: integer("next_order_number").notNull().default(250000),
  },
  (table) => [check("shop_settings_single_row", sql`${table.id} = 1`)],
);

export const companies = sqliteTable("companies", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  customerNumber: text("customer_number"),
  createdAt: integer("created_at").notNull(),
});

/** Customer contacts (with a company) and staff (manager, prepress, admin; no company). */
export const users = sqliteTable(
  "users",
  {
    id: text("id").primaryKey(),
    companyId: text("company_id").references(() => companies.id),
    role: text("role", { enum: USER_ROLES }).notNull(),
    salutation: text("salutation"),
    name: text("name").notNull(),
    email: text("email").notNull(),
    phone: text("phone"),
    passwordHash: text("password_hash"),
    /** A staff member's photo in R2, shown to customers beside the order manager's contact details. */
    photoR2Key: text("photo_r2_key"),
    photoContentType: text("photo_content_type"),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    createdAt: integer("created_at").notNull(),
  },
  (table) => [
    uniqueIndex("users_email_unique").on(table.email),
    index("users_company_idx").on(table.companyId),
  ],
);

/** Sessions after Lucia's design: the id is the SHA-256 hex of the cookie token. */
export const sessions = sqliteTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expiresAt: integer("expires_at").notNull(),
    createdAt: integer("created_at").notNull(),
    /** Whether "angemeldet bleiben" was ticked: the cookie then outlives the browser session. */
    persistent: integer("persistent", { mode: "boolean" }).notNull().default(true),
    /** Last request with this session, updated at most every few minutes. */
    lastUsedAt: integer("last_used_at"),
    /** The browser's User-Agent at login, shown in the profile's list of sessions. */
    userAgent: text("user_agent"),
  },
  (table) => [index("sessions_user_idx").on(table.userId)],
);

export const LOGIN_TOKEN_PURPOSES = ["first_login", "password_reset"] as const;

/**
 * One-time links e-mailed for the first login and for a forgotten password.
 * Only the SHA-256 of the token is stored. A link is used once; a newer link
 * of the same user voids the older ones.
 */
export const loginTokens = sqliteTable(
  "login_tokens",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull(),
    purpose: text("purpose", { enum: LOGIN_TOKEN_PURPOSES }).notNull(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    usedAt: integer("used_at"),
    /** Set when a newer link of the user replaced this one before it was used. */
    voidedAt: integer("voided_at"),
  },
  (table) => [uniqueIndex("login_tokens_token_hash_unique").on(table.tokenHash), index("login_tokens_user_idx").on(table.userId)],
);

export const ACCESS_REQUEST_STATES = ["open", "accepted", "declined"] as const;

/** Requests for access from people whose e-mail address the shop has not registered ("Jetzt anfragen"). */
export const accessRequests = sqliteTable(
  "access_requests",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    companyName: text("company_name").notNull(),
    email: text("email").notNull(),
    phone: text("phone"),
    message: text("message"),
    state: text("state", { enum: ACCESS_REQUEST_STATES }).notNull(),
    createdAt: integer("created_at").notNull(),
    decidedAt: integer("decided_at"),
    decidedBy: text("decided_by").references(() => users.id),
    /** The contact created or linked when the request was accepted. */
    userId: text("user_id").references(() => users.id),
  },
  (table) => [index("access_requests_state_idx").on(table.state, table.createdAt)],
);

/** SQL of `orders.search_text`. `normalizeSearchTerm` in `app/orders/overview.server.ts` folds the search input the same way. */
const ORDER_SEARCH_TEXT = sql.raw(
  "replace(replace(replace(replace(replace(lower(offer_number || ' ' || coalesce(order_number, '') || ' ' || title), 'Ä', 'ä'), 'Ö', 'ö'), 'Ü', 'ü'), 'ẞ', 'ss'), 'ß', 'ss')",
);

/** An offer, and the order it becomes once the customer accepts it. */
export const orders = sqliteTable(
  "orders",
  {
    id: text("id").primaryKey(),
    companyId: text("company_id")
      .notNull()
      .references(() => companies.id),
    offerNumber: text("offer_number").notNull(),
    orderNumber: text("order_number"),
    title: text("title").notNull(),
    status: text("status", { enum: ORDER_STATUSES }).notNull(),
    managerId: text("manager_id").references(() => users.id),
    contactId: text("contact_id").references(() => users.id),
    /** Preflight profile id (see `app/preflight/profiles.ts`) that new runs of the order's files use. */
    preflightProfile: text("preflight_profile").$type<ProfileId>().notNull().default("gwg2022-sheetfed"),
    /** The product specification staff entered. */
    spec: text("spec", { mode: "json" }).$type<OrderSpec>().notNull().default({}),
    /** The offer's terms (price, validity, delivery), shown when the customer accepts the offer. */
    terms: text("terms"),
    /**
     * Grows by one with every change of the order's fields or state. Forms
     * send the version they showed, and a change whose version is no longer
     * current is refused, so that the last write never silently undoes another.
     */
    version: integer("version").notNull().default(1),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at"),
    updatedBy: text("updated_by").references(() => users.id),
    /**
     * Offer number, order number and title in lowercase, for the overview's
     * search. SQLite's lower() and LIKE fold ASCII only, so the expression
     * also folds the German capitals Ä, Ö, Ü and writes ß and ẞ as "ss". A
     * generated column stays right whichever code inserts or updates the row.
     * NOTE: other capitals outside ASCII (É, Ø, …) stay capital, and titles
     * stored in decomposed Unicode (NFD) do not match a search typed in NFC.
     */
    searchText: text("search_text").generatedAlwaysAs(ORDER_SEARCH_TEXT, { mode: "virtual" }),
  },
  (table) => [
    // The overview's indexes: each serves one sort order (date or offer
    // number) within a company, a manager or all orders. Status and
    // search_text at the end let SQLite test those filters on the index entry
    // alone, without reading the row or computing the virtual column again.
    index("orders_company_created_idx").on(table.companyId, table.createdAt, table.offerNumber, table.status, table.searchText),
    index("orders_company_offer_idx").on(table.companyId, table.offerNumber, table.status, table.searchText),
    index("orders_manager_created_idx").on(table.managerId, table.createdAt, table.offerNumber, table.status, table.searchText),
    index("orders_manager_offer_idx").on(table.managerId, table.offerNumber, table.status, table.searchText),
    index("orders_created_idx").on(table.createdAt, table.offerNumber, table.status, table.searchText),
    index("orders_offer_search_idx").on(table.offerNumber, table.status, table.searchText),
    uniqueIndex("orders_offer_number_unique").on(table.offerNumber),
    uniqueIndex("orders_order_number_unique").on(table.orderNumber),
  ],
);

/** Documents the shop provides: offer, order confirmation, approval, others. */
export const documents = sqliteTable(
  "documents",
  {
    id: text("id").primaryKey(),
    orderId: text("order_id")
      .notNull()
      .references(() => orders.id),
    kind: text("kind", { enum: DOCUMENT_KINDS }).notNull(),
    title: text("title").notNull(),
    fileName: text("file_name").notNull(),
    r2Key: text("r2_key"),
    url: text("url"),
    createdAt: integer("created_at").notNull(),
    /** When the document was last replaced or its link changed; null if never. */
    updatedAt: integer("updated_at"),
    uploadedBy: text("uploaded_by").references(() => users.id),
  },
  (table) => [index("documents_order_idx").on(table.orderId, table.createdAt)],
);

/**
 * A customer contact's approval of an order, with who and when: accepting
 * the offer, or declaring the job ready for print. One of each kind per
 * order; page-level approvals will refer to the print_ready row.
 */
export const approvals = sqliteTable(
  "approvals",
  {
    id: text("id").primaryKey(),
    orderId: text("order_id")
      .notNull()
      .references(() => orders.id),
    kind: text("kind", { enum: APPROVAL_KINDS }).notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    createdAt: integer("created_at").notNull(),
  },
  (table) => [uniqueIndex("approvals_order_kind_unique").on(table.orderId, table.kind)],
);

/**
 * Links that let someone without an account upload into an order. Only the
 * SHA-256 of the link's token is stored; the token itself is shown once, to
 * the creator.
 */
export const shareLinks = sqliteTable(
  "share_links",
  {
    id: text("id").primaryKey(),
    orderId: text("order_id")
      .notNull()
      .references(() => orders.id),
    tokenHash: text("token_hash").notNull(),
    label: text("label"),
    /** Whether the upload page shows the label to the uploader. */
    showLabel: integer("show_label", { mode: "boolean" }).notNull().default(false),
    /** Largest file the link accepts, in bytes; null means the shop's limit. */
    maxBytes: integer("max_bytes"),
    expiresAt: integer("expires_at").notNull(),
    createdBy: text("created_by")
      .notNull()
      .references(() => users.id),
    createdAt: integer("created_at").notNull(),
    revokedAt: integer("revoked_at"),
    revokedBy: text("revoked_by").references(() => users.id),
  },
  (table) => [
    uniqueIndex("share_links_token_hash_unique").on(table.tokenHash),
    index("share_links_order_idx").on(table.orderId, table.createdAt),
  ],
);

/**
 * Failed share-link lookups per client (a hash of its IP address) in the
 * current window, to slow down guessing of tokens.
 */
export const shareLinkFailures = sqliteTable("share_link_failures", {
  clientKey: text("client_key").primaryKey(),
  windowStart: integer("window_start").notNull(),
  failures: integer("failures").notNull(),
});

/** The history of an order: who did what and when. `data` contains what the entry needs to be shown later. */
export const orderEvents = sqliteTable(
  "order_events",
  {
    id: text("id").primaryKey(),
    orderId: text("order_id")
      .notNull()
      .references(() => orders.id),
    kind: text("kind", { enum: ORDER_EVENT_KINDS }).notNull(),
    actorId: text("actor_id").references(() => users.id),
    data: text("data", { mode: "json" }).$type<Record<string, string | number | null>>().notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (table) => [index("order_events_order_idx").on(table.orderId, table.createdAt)],
);

/** Print files uploaded into an order. `uploadId` makes a repeated upload request a no-op. */
export const files = sqliteTable(
  "files",
  {
    id: text("id").primaryKey(),
    orderId: text("order_id")
      .notNull()
      .references(() => orders.id),
    uploadId: text("upload_id").notNull(),
    r2Key: text("r2_key").notNull(),
    originalName: text("original_name").notNull(),
    size: integer("size").notNull(),
    sha256: text("sha256").notNull(),
    /** MIME type decided from the file's first bytes; null for files from before multipart uploads, all PDFs. */
    contentType: text("content_type").$type<PrintFileType>(),
    /** The signed-in user who uploaded the file; null for an upload through a share link. */
    uploadedBy: text("uploaded_by").references(() => users.id),
    /** The share link the file came through, if any. */
    shareLinkId: text("share_link_id").references(() => shareLinks.id),
    /** The name the uploader typed on the share page, if any. */
    uploaderName: text("uploader_name"),
    createdAt: integer("created_at").notNull(),
  },
  (table) => [
    index("files_share_link_idx").on(table.shareLinkId),
    uniqueIndex("files_upload_id_unique").on(table.uploadId),
    index("files_order_idx").on(table.orderId, table.createdAt),
  ],
);

/**
 * A multipart upload in progress: the R2 multipart upload behind it and what
 * the browser announced. The row and its parts are deleted when the upload is
 * completed, aborted or expired; the finished file is then a row in `files`
 * whose `uploadId` is this row's id.
 */
export const multipartUploads = sqliteTable(
  "multipart_uploads",
  {
    id: text("id").primaryKey(),
    orderId: text("order_id")
      .notNull()
      .references(() => orders.id),
    /** Id of the file row that completion writes, fixed at creation so that the R2 key can contain it. */
    fileId: text("file_id").notNull(),
    r2Key: text("r2_key").notNull(),
    r2UploadId: text("r2_upload_id").notNull(),
    originalName: text("original_name").notNull(),
    size: integer("size").notNull(),
    partSize: integer("part_size").notNull(),
    partCount: integer("part_count").notNull(),
    /** MIME type decided from the first part's bytes; null until part 1 arrived. */
    contentType: text("content_type").$type<PrintFileType>(),
    /** SHA-256 in hex as the browser sent it at creation, if it knew it then. */
    clientSha256: text("client_sha256"),
    /** The user who started the upload; for an upload through a share link, the link's creator. */
    createdBy: text("created_by")
      .notNull()
      .references(() => users.id),
    shareLinkId: text("share_link_id").references(() => shareLinks.id),
    uploaderName: text("uploader_name"),
    /** The file types accepted when the upload was created; part 1 is checked against them. */
    acceptedTypes: text("accepted_types", { mode: "json" }).$type<PrintFileType[]>().notNull().default([...PRINT_FILE_TYPES]),
    createdAt: integer("created_at").notNull(),
  },
  (table) => [
    index("multipart_uploads_order_idx").on(table.orderId),
    index("multipart_uploads_created_idx").on(table.createdAt),
  ],
);

/** Parts of a multipart upload that R2 has accepted. */
export const multipartUploadParts = sqliteTable(
  "multipart_upload_parts",
  {
    uploadId: text("upload_id")
      .notNull()
      .references(() => multipartUploads.id, { onDelete: "cascade" }),
    partNumber: integer("part_number").notNull(),
    etag: text("etag").notNull(),
    size: integer("size").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (table) => [primaryKey({ columns: [table.uploadId, table.partNumber] })],
);

export const preflightRuns = sqliteTable(
  "preflight_runs",
  {
    id: text("id").primaryKey(),
    fileId: text("file_id")
      .notNull()
      .references(() => files.id),
    state: text("state", { enum: PREFLIGHT_STATES }).notNull(),
    verdict: text("verdict", { enum: PREFLIGHT_VERDICTS }),
    pageCount: integer("page_count"),
    findings: text("findings", { mode: "json" }).$type<Finding[]>(),
    engineVersion: text("engine_version"),
    /** Profile id the run checked against; null for runs from before profiles. */
    profile: text("profile"),
    /** The report's page geometry, in page order. */
    pages: text("pages", { mode: "json" }).$type<PageGeometry[]>(),
    /** Queue deliveries that started this run. */
    attempts: integer("attempts").notNull().default(0),
    /** Pages checked so far and the page count, while the run is running. */
    progressPages: integer("progress_pages"),
    progressTotal: integer("progress_total"),
    error: text("error"),
    createdAt: integer("created_at").notNull(),
    startedAt: integer("started_at"),
    finishedAt: integer("finished_at"),
  },
  (table) => [index("preflight_runs_file_idx").on(table.fileId, table.createdAt)],
);

/**
 * Chat messages of an order. The order's room is the only writer: it gives
 * every message the next `seq` of the order and stores it before it is
 * broadcast. `clientId` is chosen by the sending browser, so a resend of the
 * same message is recognised and not stored twice.
 */
export const chatMessages = sqliteTable(
  "chat_messages",
  {
    id: text("id").primaryKey(),
    orderId: text("order_id")
      .notNull()
      .references(() => orders.id),
    seq: integer("seq").notNull(),
    clientId: text("client_id").notNull(),
    authorId: text("author_id")
      .notNull()
      .references(() => users.id),
    body: text("body").notNull(),
    createdAt: integer("created_at").notNull(),
    editedAt: integer("edited_at"),
    pinnedAt: integer("pinned_at"),
    pinnedBy: text("pinned_by").references(() => users.id),
  },
  (table) => [
    uniqueIndex("chat_messages_order_seq_unique").on(table.orderId, table.seq),
    uniqueIndex("chat_messages_author_client_unique").on(table.authorId, table.clientId),
  ],
);

/** The last chat message each user has read in each order. */
export const chatReads = sqliteTable(
  "chat_reads",
  {
    orderId: text("order_id")
      .notNull()
      .references(() => orders.id),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    lastReadSeq: integer("last_read_seq").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (table) => [primaryKey({ columns: [table.orderId, table.userId] }), index("chat_reads_user_idx").on(table.userId)],
);

/**
 * E-mail notification settings: a row with `orderId` null applies to all of
 * the user's orders, a row with an order id to that order only. Without a
 * row, e-mails are on.
 */
export const notificationSettings = sqliteTable(
  "notification_settings",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    orderId: text("order_id").references(() => orders.id),
    chatEmails: integer("chat_emails", { mode: "boolean" }).notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (table) => [uniqueIndex("notification_settings_user_order_unique").on(table.userId, table.orderId)],
);

/**
 * Per order and recipient, how far chat e-mails have gone: messages up to
 * `lastNotifiedSeq` were mailed or seen, and `digestDueAt` is set while a
 * digest of newer messages waits for its 5-minute window to close.
 */
export const chatNotificationState = sqliteTable(
  "chat_notification_state",
  {
    orderId: text("order_id")
      .notNull()
      .references(() => orders.id),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    lastNotifiedSeq: integer("last_notified_seq").notNull(),
    digestDueAt: integer("digest_due_at"),
  },
  (table) => [primaryKey({ columns: [table.orderId, table.userId] })],
);

export const EMAIL_STATES = ["pending", "sent", "failed"] as const;

/**
 * The outbox of every e-mail the portal sends: a row is written first, then a
 * queue message names it, and the consumer sends it through the provider.
 * The idempotency key makes a second request for the same e-mail a no-op,
 * and the row's state makes a redelivered queue message send nothing twice.
 */
export const outboxEmails = sqliteTable(
  "outbox_emails",
  {
    id: text("id").primaryKey(),
    idempotencyKey: text("idempotency_key").notNull(),
    kind: text("kind").notNull(),
    toAddress: text("to_address").notNull(),
    toName: text("to_name"),
    subject: text("subject").notNull(),
    textBody: text("text_body").notNull(),
    htmlBody: text("html_body").notNull(),
    state: text("state", { enum: EMAIL_STATES }).notNull(),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    providerMessageId: text("provider_message_id"),
    createdAt: integer("created_at").notNull(),
    sentAt: integer("sent_at"),
  },
  (table) => [
    uniqueIndex("outbox_emails_idempotency_unique").on(table.idempotencyKey),
    index("outbox_emails_created_idx").on(table.createdAt),
  ],
);
