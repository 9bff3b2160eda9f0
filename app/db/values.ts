// Allowed values of the enumerated columns, shared by the schema, the
// validation schemas and the browser bundle (which must not import Drizzle).

/** The steps an order goes through, in order. */
export const ORDER_STEPS = ["offer", "ordered", "print_ready", "production", "invoiced"] as const;
/** Every state an order can have: a step, or "withdrawn" for an offer the shop took back. */
export const ORDER_STATUSES = [...ORDER_STEPS, "withdrawn"] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const USER_ROLES = ["customer", "manager", "prepress", "admin"] as const;
export type UserRole = (typeof USER_ROLES)[number];

export const DOCUMENT_KINDS = ["offer", "order_confirmation", "approval", "other"] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export const PREFLIGHT_STATES = ["queued", "running", "done", "failed"] as const;
export type PreflightState = (typeof PREFLIGHT_STATES)[number];

export const PREFLIGHT_VERDICTS = ["ok", "warning", "error"] as const;
export type PreflightVerdict = (typeof PREFLIGHT_VERDICTS)[number];

/** Kinds of entries in an order's history. */
export const ORDER_EVENT_KINDS = [
  "file.deleted",
  "share_link.created",
  "share_link.revoked",
  "order.created",
  "order.updated",
  "order.status_changed",
  "document.added",
  "document.replaced",
  "document.removed",
] as const;
export type OrderEventKind = (typeof ORDER_EVENT_KINDS)[number];

/** Kinds of customer approvals: accepting an offer, and declaring an ordered job ready for print. */
export const APPROVAL_KINDS = ["offer_accepted", "print_ready"] as const;
export type ApprovalKind = (typeof APPROVAL_KINDS)[number];

/** Fields of an order's product specification, in the order the order page lists them. */
export const ORDER_SPEC_FIELDS = ["format", "extent", "colours", "paper", "finishing", "quantity", "deliveryDate"] as const;
export type OrderSpecField = (typeof ORDER_SPEC_FIELDS)[number];
/** The product specification staff enter; a field left empty is missing. `deliveryDate` is a date as YYYY-MM-DD. */
export type OrderSpec = Partial<Record<OrderSpecField, string>>;
