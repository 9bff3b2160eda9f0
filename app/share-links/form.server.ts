import * as v from "valibot";

import { DEFAULT_LINK_DAYS, MAX_LINK_DAYS, type NewShareLink } from "./links.server";
import { shareLinkMessages } from "./messages";

// The form that creates a share link: label, whether to show it, validity in
// days and an optional size limit in MB. MB means 1024 × 1024 bytes here, as
// in every size the portal shows (see formatBytes).

const MEGABYTE = 1024 * 1024;

const optionalText = v.pipe(
  v.optional(v.string(), ""),
  v.transform((value) => value.trim()),
);

const shareLinkFormSchema = v.object({
  label: optionalText,
  showLabel: v.optional(v.string()),
  expiresInDays: v.pipe(
    optionalText,
    v.transform((value) => (value === "" ? DEFAULT_LINK_DAYS : Number(value))),
    v.number(shareLinkMessages.expiryInvalid(MAX_LINK_DAYS)),
    v.integer(shareLinkMessages.expiryInvalid(MAX_LINK_DAYS)),
  ),
  maxMegabytes: v.pipe(
    optionalText,
    v.transform((value) => (value === "" ? null : Number(value.replace(",", ".")))),
  ),
});

/** Reads the creation form; returns the new link's settings or the German message of the first problem. */
export function parseShareLinkForm(form: Record<string, unknown>): { ok: true; value: NewShareLink } | { ok: false; message: string } {
  const parsed = v.safeParse(shareLinkFormSchema, form);
  if (!parsed.success) return { ok: false, message: parsed.issues[0].message };

  const { label, showLabel, expiresInDays, maxMegabytes } = parsed.output;
  if (maxMegabytes !== null && (!Number.isFinite(maxMegabytes) || maxMegabytes <= 0)) {
    return { ok: false, message: shareLinkMessages.sizeNotNumber };
  }
  return {
    ok: true,
    value: {
      label: label === "" ? null : label,
      showLabel: showLabel === "on",
      expiresInDays,
      maxBytes: maxMegabytes === null ? null : Math.round(maxMegabytes * MEGABYTE),
    },
  };
}

/** Returns the base URL of share links: the separate share host when SHARE_HOST is set, else the portal's own origin. */
export function shareLinkBaseUrl(request: Request, env: object): string {
  const host = "SHARE_HOST" in env && typeof env.SHARE_HOST === "string" ? env.SHARE_HOST : "";
  return host ? `https://${host}` : new URL(request.url).origin;
}
