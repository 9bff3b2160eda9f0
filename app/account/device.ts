import { profileMessages } from "./messages";

// Browser and operating system from a User-Agent header, for the profile's
// list of sessions. The header is set by the browser and can be anything, so
// the result is a hint for the user, not a fact the portal relies on. Order
// matters: Edge and Opera also send "Chrome/", Chrome also sends "Safari/".
const BROWSERS: [RegExp, string][] = [
  [/\bEdg(?:e|A|iOS)?\//, "Edge"],
  [/\b(?:OPR|Opera)\//, "Opera"],
  [/\bSamsungBrowser\//, "Samsung Internet"],
  [/\b(?:Firefox|FxiOS)\//, "Firefox"],
  [/\b(?:HeadlessChrome|Chrome|Chromium|CriOS)\//, "Chrome"],
  [/\bVersion\/[\d.]+.*\bSafari\//, "Safari"],
];

const SYSTEMS: [RegExp, string][] = [
  [/\bWindows\b/, "Windows"],
  [/\biPhone\b/, "iOS"],
  [/\biPad\b/, "iPadOS"],
  [/\bAndroid\b/, "Android"],
  [/\bCrOS\b/, "ChromeOS"],
  [/\bMac OS X\b|\bMacintosh\b/, "macOS"],
  [/\bLinux\b/, "Linux"],
];

/** Describes the device of a session in German, such as "Chrome unter Windows", from its User-Agent header. */
export function describeDevice(userAgent: string | null): string {
  if (!userAgent) return profileMessages.unknownDevice;

  const browser = BROWSERS.find(([pattern]) => pattern.test(userAgent))?.[1];
  const system = SYSTEMS.find(([pattern]) => pattern.test(userAgent))?.[1];

  if (browser && system) return `${browser} unter ${system}`;
  if (browser) return browser;
  if (system) return `Browser unter ${system}`;
  return profileMessages.unknownDevice;
}
