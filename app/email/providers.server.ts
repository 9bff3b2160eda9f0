import * as v from "valibot";

import type { OutboxEmail } from "./outbox.server";

/** Sends one outbox e-mail; throws when the provider did not accept it. */
export interface EmailProvider {
  readonly name: "local" | "http";
  send(email: OutboxEmail): Promise<{ providerMessageId: string | null }>;
}

/** The mail settings, as secrets (`EMAIL_API_KEY`) and variables; none of them is set locally. */
type MailEnvironment = Partial<Record<"EMAIL_API_URL" | "EMAIL_API_KEY" | "EMAIL_FROM", unknown>>;

const httpSettingsSchema = v.object({
  EMAIL_API_URL: v.pipe(v.string("EMAIL_API_URL is missing"), v.url("EMAIL_API_URL is not a URL")),
  EMAIL_API_KEY: v.pipe(v.string("EMAIL_API_KEY is missing"), v.minLength(1, "EMAIL_API_KEY is empty")),
  EMAIL_FROM: v.pipe(v.string("EMAIL_FROM is missing"), v.email("EMAIL_FROM is not an e-mail address")),
});

/** Time limit of one request to the mail API. */
const HTTP_TIMEOUT_MS = 10_000;

/** Tells whether the local provider is active: no mail API key is configured. */
export function isLocalEmailProvider(env: object): boolean {
  const key = (env as MailEnvironment).EMAIL_API_KEY;
  return typeof key !== "string" || key.length === 0;
}

/** Returns the HTTP mail API adapter when `EMAIL_API_KEY` is set, otherwise the local one. */
export function selectEmailProvider(env: object): EmailProvider {
  return isLocalEmailProvider(env) ? localEmailProvider : createHttpEmailProvider(env as MailEnvironment);
}

/**
 * Delivers nothing: the e-mail stays in its outbox row, which the consumer
 * marks sent, and the dev mailbox (/dev/postfach) shows it.
 */
export const localEmailProvider: EmailProvider = {
  name: "local",
  async send(email) {
    return { providerMessageId: `local:${email.id}` };
  },
};

/**
 * Posts the e-mail as JSON to `EMAIL_API_URL` with the key as a bearer token
 * and the outbox row's id as `Idempotency-Key`, so a retry after a lost
 * response is not delivered twice by providers that honour that header. The
 * settings are validated on first use, so a wrong setting fails the send
 * with a message naming the setting.
 * NOTE: never called in tests or locally; the request shape follows the README, not a tested provider.
 */
export function createHttpEmailProvider(env: MailEnvironment): EmailProvider {
  return {
    name: "http",
    async send(email) {
      const parsed = v.safeParse(httpSettingsSchema, env);
      if (!parsed.success) throw new Error(`mail settings invalid: ${parsed.issues.map((issue) => issue.message).join(", ")}`);
      const settings = parsed.output;

      const response = await fetch(settings.EMAIL_API_URL, {
        method: "POST",
        headers: {
          Authorization: `Bearer ${settings.EMAIL_API_KEY}`,
          "Content-Type": "application/json",
          "Idempotency-Key": email.id,
        },
        body: JSON.stringify({
          from: settings.EMAIL_FROM,
          to: email.toName ? `${quoteDisplayName(email.toName)} <${email.toAddress}>` : email.toAddress,
          subject: email.subject,
          text: email.textBody,
          html: email.htmlBody,
        }),
        signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
      });
      if (!response.ok) {
        const detail = (await response.text().catch(() => "")).slice(0, 200);
        throw new Error(`mail API rejected the e-mail with status ${response.status}: ${detail}`);
      }

      const body: unknown = await response.json().catch(() => null);
      return { providerMessageId: readMessageId(body) };
    },
  };
}

/** Quotes a display name for an address header, as RFC 5322 requires for names with special characters. */
function quoteDisplayName(name: string): string {
  return `"${name.replace(/["\\]/g, (character) => `\\${character}`).replace(/[\r\n]+/g, " ")}"`;
}

/** Reads the provider's message id from the response's `id` or `MessageID` field, if there is one. */
function readMessageId(body: unknown): string | null {
  if (typeof body !== "object" || body === null) return null;
  const record = body as Record<string, unknown>;
  const id = record.id ?? record.MessageID;
  return typeof id === "string" ? id : null;
}
