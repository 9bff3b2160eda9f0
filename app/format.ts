// Formats for German users: de-DE numbers and dates in Europe/Berlin time,
// whatever time zone the server or the browser runs in.

const TIME_ZONE = "Europe/Berlin";

const dateFormat = new Intl.DateTimeFormat("de-DE", {
  timeZone: TIME_ZONE,
  day: "2-digit",
  month: "2-digit",
  year: "numeric",
});

const dateTimeFormat = new Intl.DateTimeFormat("de-DE", {
  timeZone: TIME_ZONE,
  day: "2-digit",
  month: "2-digit",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
});

/** Formats a timestamp as a German date such as "25.06.2024", the same way `formatDateTime` writes the date. */
export function formatDate(timestamp: number): string {
  return dateFormat.format(timestamp);
}

/** Formats a timestamp as "25.06.2024, 14:05" in Berlin time. */
export function formatDateTime(timestamp: number): string {
  return dateTimeFormat.format(timestamp);
}

const UNITS = ["Byte", "KB", "MB", "GB", "TB"];

/** Formats a byte count with binary multiples, as file managers show them: "1,5 MB". */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  // One decimal for small values such as "1,5 MB", none for bytes or larger values.
  const digits = unit > 0 && value < 10 ? 1 : 0;
  return `${value.toLocaleString("de-DE", { maximumFractionDigits: digits })} ${UNITS[unit]}`;
}

/** Formats an offer or order number the way the shop writes it: "#42793.04". */
export function formatNumber(number: string | null): string {
  return number ? `#${number}` : "";
}
