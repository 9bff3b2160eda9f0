// Allowed values of the enumerated columns, shared by the schema, the
// validation schemas and the browser bundle (which must not import Drizzle).

export const ORDER_STATUSES = ["offer", "ordered", "print_ready", "production", "invoiced"] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const USER_ROLES = ["customer", "manager", "prepress", "admin"] as const;
export type UserRole = (typeof USER_ROLES)[number];

export const DOCUMENT_KINDS = ["offer", "order_confirmation", "approval", "other"] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export const PREFLIGHT_STATES = ["queued", "running", "done", "failed"] as const;
export type PreflightState = (typeof PREFLIGHT_STATES)[number];

export const PREFLIGHT_VERDICTS = ["ok", "warning", "error"] as const;
export type PreflightVerdict = (typeof PREFLIGHT_VERDICTS)[number];
