import { formatBytes } from "~/format";

// German texts of the neutral share page. They live apart from the portal's
// `~/messages`, so that no portal wording about the shop or an order reaches
// this page. Messages the server sends (rejected files, expired links) are
// shown as the server words them.

export const shareTexts = {
  uploadTitle: "Dateien hochladen",
  invalidTitle: "Link ungültig",
  rateLimitedTitle: "Zu viele Versuche",

  invalidText:
    "Dieser Link ist abgelaufen, wurde widerrufen oder ist nicht vollständig. Bitte fragen Sie bei der Person nach, die Ihnen den Link geschickt hat.",
  rateLimitedText: (minutes: number) =>
    `Von Ihrem Anschluss kamen zu viele Aufrufe ungültiger Links. Bitte versuchen Sie es in ${minutes === 1 ? "einer Minute" : `${minutes} Minuten`} erneut.`,

  noScript:
    "Zum Hochladen braucht diese Seite JavaScript. Bitte schalten Sie JavaScript in Ihrem Browser ein und laden Sie die Seite neu, oder fragen Sie die Person, die Ihnen den Link geschickt hat, nach einem anderen Weg für Ihre Dateien.",

  filesHeading: "Was mit Ihren Dateien geschieht",
  transferEncrypted: "Die Dateien werden verschlüsselt übertragen (TLS).",
  storedIn: (region: string) => `Sie werden ${region} gespeichert.`,
  deletedAfter: (days: number) => `Nach ${days === 1 ? "einem Tag" : `${days} Tagen`} werden sie gelöscht.`,
  whoSees: "Die Dateien sehen nur die Druckerei und die Firma, für die Sie hochladen.",
  personalData:
    "Sie dürfen hier auch Adressen und andere personenbezogene Daten hochladen, zum Beispiel Adresslisten für personalisierte Mailings.",
  validUntil: (dateTime: string) => `Dieser Link gilt bis ${dateTime} Uhr.`,
  limits: (types: string, maxBytes: number) => `Erlaubt sind ${types} bis ${formatBytes(maxBytes)} pro Datei.`,

  uploaded: "Upload erfolgreich. Die Druckerei prüft die Datei und klärt Fragen mit der Firma, für die Sie hochladen.",
  nameLabel: "Ihr Name (optional)",
  nameHint: "So ist erkennbar, von wem die Dateien kommen.",
  chooseFiles: "Dateien auswählen",
  dropHint: "Wählen Sie eine oder mehrere Dateien aus, oder ziehen Sie sie hierher.",
  resumeIntro: "Unterbrochene Uploads: Wählen Sie dieselbe Datei erneut aus, dann geht der Upload dort weiter, wo er stehen blieb.",
  discard: "verwerfen",
  total: (loaded: string, total: string) => `Gesamt: ${loaded} von ${total}`,
  totalLabel: "Fortschritt gesamt",
  fileProgressLabel: (name: string) => `Fortschritt ${name}`,
  checking: "Datei wird geprüft …",
};
