import { messages, UPLOAD_TOO_LARGE_CONTACT } from "~/messages";

// German texts about share links, for the order page and the share-link API.

export const shareLinkMessages = {
  labelTooLong: (max: number) => `Die Bezeichnung ist zu lang. Erlaubt sind höchstens ${max} Zeichen.`,
  labelInvalid: "Die Bezeichnung enthält Steuerzeichen. Bitte geben Sie sie ohne Zeilenumbrüche ein.",
  expiryInvalid: (maxDays: number) => `Bitte wählen Sie eine Gültigkeit von 1 bis ${maxDays} Tagen.`,
  sizeInvalid: (limit: string) => `Bitte geben Sie als Größenlimit eine Zahl bis ${limit} ein oder lassen Sie das Feld leer.`,
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
} as const;

/**
 * Puts an upload message of the portal that speaks of the order or the
 * prepress desk into the neutral words of the share page.
 */
export function neutralUploadMessage(message: string): string {
  if (message === messages.uploadDuplicate) return shareLinkMessages.duplicate;
  return message.replace(UPLOAD_TOO_LARGE_CONTACT, shareLinkMessages.largerFiles);
}
