import * as v from "valibot";

/** Maximum length of an e-mail address: SMTP (RFC 5321) limits a path to 256 octets, of which an address may use 254. */
export const EMAIL_MAX_LENGTH = 254;

// RFC 5322 syntax with an ASCII local part. valibot's plain `email()` rejects
// the "xn--" labels of internationalised domains, `rfcEmail()` accepts them.
const asciiAddressSchema = v.pipe(v.string(), v.maxLength(EMAIL_MAX_LENGTH), v.rfcEmail());

// Characters that would make the URL parser read the domain as something else
// (a path, a port, credentials) or that no host name contains.
const NOT_IN_DOMAIN = /[\s/\\?#@:[\]%]/u;

/**
 * Normalises an e-mail address for storage and comparison: trimmed,
 * lowercased, and with the domain in its ASCII form (punycode, as the URL
 * standard converts host names). " Kunde@Bücher.example" and
 * "kunde@xn--bcher-kva.example" both become "kunde@xn--bcher-kva.example".
 * Returns null when the text is not a valid address.
 */
export function normalizeEmail(input: string): string | null {
  const lowered = input.trim().toLowerCase();
  const at = lowered.lastIndexOf("@");
  if (at <= 0 || at === lowered.length - 1) return null;

  const localPart = lowered.slice(0, at);
  const domain = lowered.slice(at + 1);
  if (NOT_IN_DOMAIN.test(domain)) return null;

  let asciiDomain: string;
  try {
    asciiDomain = new URL(`http://${domain}`).hostname;
  } catch {
    return null;
  }

  const address = `${localPart}@${asciiDomain}`;
  return v.is(asciiAddressSchema, address) ? address : null;
}

/**
 * Returns the forms under which an address may be stored: the normalised
 * ASCII form and, when the input has a Unicode domain, its trimmed lowercase
 * form, so that an address registered in either form is found.
 */
export function storedEmailForms(input: string): string[] {
  const normalized = normalizeEmail(input);
  if (!normalized) return [];

  const lowered = input.trim().toLowerCase();
  return lowered === normalized ? [normalized] : [normalized, lowered];
}
