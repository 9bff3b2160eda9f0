import { messages, UPLOAD_TOO_LARGE_CONTACT } from "~/messages";

// German texts about share links, for the order page and the share-link API.

export const shareLinkMessages = {
  labelTooLong: (max: number) => `Die Bezeichnung ist zu lang. Erlaubt sind höchstens ${max} Zeichen.`,
  labelInvalid: "Die Bezeichnung enthält Steuerzeichen (etwa Zeilenumbrüche oder unsichtbare Richtungszeichen). Bitte geben Sie sie ohne diese ein.",
  expiryInvalid: (maxDays: number) => `Bitte wählen Sie eine Gültigkeit von 1 bis ${maxDays} Tagen.`,
  sizeNotNumber: "Bitte geben Sie das Größenlimit als Zahl in MB über 0 ein, zum Beispiel 500, oder lassen Sie das Feld leer.",
  sizeTooLarge: (limit: string, megabytes: string) =>
    `Das Größenlimit darf höchstens ${limit} betragen, also ${megabytes} MB. Lassen Sie das Feld leer, gilt dieses Limit.`,
  orderWithdrawn: "Für ein zurückgezogenes Angebot kann kein Link erstellt werden.",
  notFound: "Diesen Link gibt es in diesem Auftrag nicht.",
  alreadyRevoked: "Dieser Link ist bereits widerrufen.",
  created: "Link erstellt. Kopieren Sie ihn jetzt: Aus Sicherheitsgründen wird er nur einmal angezeigt.",
  revoked: "Link widerrufen. Über ihn kann niemand mehr hochladen.",
  invalid: "Dieser Link ist ungültig.",
  rateLimited: (minutes: number) =>
    `Zu viele ungültige Aufrufe. Bitte versuchen Sie es in ${minutes} ${minutes === 1 ? "Minute" : "Minuten"} erneut.`,
  duplicate: "Diese Datei wurde bereits hochgeladen. Sie müssen sie nicht noch einmal senden.",
  largerFiles: "Für größere Dateien fragen Sie bitte die Person, die Ihnen den Link geschickt hat.",
  uploaderNameTooLong: "Der Name ist zu lang. Erlaubt sind höchstens 100 Zeichen.",
  uploaderNameInvalid: "Der Name enthält Steuerzeichen (etwa unsichtbare Richtungszeichen). Bitte geben Sie ihn ohne diese ein.",
} as const;

/**
 * Puts an upload message of the portal that speaks of the order or the
 * prepress desk into the neutral words of the share page.
 */
export function neutralUploadMessage(message: string): string {
  if (message === messages.uploadDuplicate) return shareLinkMessages.duplicate;
  return message.replace(UPLOAD_TOO_LARGE_CONTACT, shareLinkMessages.largerFiles);
}
