import { formatNumber } from "~/format";

/** Maximum length of an order's title, in characters. */
export const TITLE_MAX_LENGTH = 200;
/** Maximum length of one specification field, in characters. */
export const SPEC_FIELD_MAX_LENGTH = 500;
/** Maximum length of the offer's terms, in characters. */
export const TERMS_MAX_LENGTH = 5000;
/** Largest document (offer, order confirmation) staff may upload, in bytes. */
export const MAX_DOCUMENT_BYTES = 50 * 1024 * 1024;
/** Maximum length of an approval link, in characters. */
export const APPROVAL_URL_MAX_LENGTH = 2000;

/** German labels of the other editable order fields, used in the form and in the "order.updated" history entry. */
export const orderFieldLabels = {
  title: "Auftragsbezeichnung",
  terms: "Konditionen",
  contactId: "Ansprechpartner",
  managerId: "Auftragsmanager",
} as const;

/** German texts of the back office's offer and order pages. */
export const offerMessages = {
  managersOnly: "Angebote können nur Auftragsmanager und Administratoren anlegen und bearbeiten.",
  formInvalid: "Die Anfrage ist ungültig. Bitte laden Sie die Seite neu und versuchen Sie es erneut.",
  companyMissing: "Bitte wählen Sie eine Firma aus.",
  companyUnknown: "Diese Firma gibt es nicht. Bitte wählen Sie eine Firma aus der Liste.",
  contactMissing: "Bitte wählen Sie einen Ansprechpartner aus.",
  contactNotInCompany: "Der Ansprechpartner gehört nicht zu dieser Firma. Bitte wählen Sie einen Ansprechpartner der Firma.",
  managerMissing: "Bitte wählen Sie einen Auftragsmanager aus.",
  managerUnknown: "Diesen Auftragsmanager gibt es nicht, oder er ist nicht mehr aktiv. Bitte wählen Sie einen aus der Liste.",
  titleMissing: "Bitte geben Sie eine Auftragsbezeichnung ein.",
  titleTooLong: (max: number) => `Die Auftragsbezeichnung ist zu lang. Erlaubt sind höchstens ${max} Zeichen.`,
  specTooLong: (label: string, max: number) => `Das Feld „${label}“ ist zu lang. Erlaubt sind höchstens ${max} Zeichen.`,
  deliveryDateInvalid: "Der Liefertermin ist kein gültiges Datum. Bitte wählen Sie ein Datum aus.",
  deliveryDateInPast: (isoDate: string) =>
    `Der Liefertermin ${isoDate.split("-").reverse().join(".")} liegt in der Vergangenheit. Bitte wählen Sie ein Datum ab heute.`,
  termsTooLong: (max: number) => `Die Konditionen sind zu lang. Erlaubt sind höchstens ${max} Zeichen.`,
  numberSourceInvalid: "Bitte wählen Sie, ob die Angebotsnummer aus dem Nummernkreis kommt oder eingegeben wird.",
  baseNumberInvalid: "Die Angebotsnummer ist ungültig. Bitte geben Sie 1 bis 10 Ziffern ohne Punkt ein, zum Beispiel 42961.",
  versionSuffixInvalid: "Die Version ist ungültig. Bitte geben Sie zwei Ziffern ein, zum Beispiel 01.",
  offerNumberTaken: (offerNumber: string) =>
    `Die Angebotsnummer ${formatNumber(offerNumber)} ist bereits vergeben. Bitte wählen Sie eine andere Nummer oder Version. Es wurde nichts gespeichert.`,
  rangeNumberTaken: (offerNumber: string) =>
    `Die nächste Nummer aus dem Nummernkreis (${formatNumber(offerNumber)}) ist bereits vergeben. Bitte geben Sie die Nummer ein oder stellen Sie den Nummernkreis in den Einstellungen neu ein. Es wurde nichts gespeichert.`,
  orderSaved: "Die Änderungen sind gespeichert.",
  orderUnchanged: "Es gab nichts zu speichern, weil kein Feld geändert wurde.",
  withdrawConfirm: "Angebot wirklich zurückziehen? Der Kunde kann es danach nicht mehr annehmen.",
  statusTargetMissing: "Bitte wählen Sie den neuen Status aus.",
  noNextStatus: "Der Status dieses Auftrags kann nicht mehr geändert werden.",
} as const;

/** German texts of the back office's document controls. */
export const documentMessages = {
  kindInvalid: "Diese Dokumentart gibt es nicht. Bitte laden Sie die Seite neu und versuchen Sie es erneut.",
  fileMissing: "Bitte wählen Sie eine PDF-Datei aus.",
  fileEmpty: "Die Datei ist leer. Bitte wählen Sie eine PDF-Datei mit Inhalt.",
  notPdf: "Die Datei ist kein PDF. Bitte laden Sie das Dokument als PDF-Datei hoch.",
  tooLarge: (limit: string) => `Die Datei ist zu groß. Dokumente dürfen höchstens ${limit} groß sein.`,
  documentNotFound: "Dieses Dokument gibt es in diesem Auftrag nicht.",
  documentChangedMeanwhile: "Das Dokument wurde inzwischen von jemand anderem geändert. Bitte laden Sie die Seite neu und versuchen Sie es erneut.",
  storeFailed: "Das Dokument konnte nicht gespeichert werden. Bitte versuchen Sie es erneut.",
  documentAdded: (title: string) => `Das Dokument „${title}“ ist hochgeladen.`,
  documentReplaced: (title: string) => `Das Dokument „${title}“ ist ersetzt.`,
  documentRemoved: (title: string) => `Das Dokument „${title}“ ist entfernt.`,
  removeConfirm: (title: string) => `Dokument „${title}“ entfernen? Der Kunde sieht es danach nicht mehr.`,
  approvalUrlInvalid:
    "Der Link zur Datenfreigabe ist ungültig. Bitte geben Sie eine vollständige Adresse ein, die mit https:// beginnt.",
  approvalUrlTooLong: (max: number) => `Der Link zur Datenfreigabe ist zu lang. Erlaubt sind höchstens ${max} Zeichen.`,
  approvalLinkSaved: "Der Link zur Datenfreigabe ist gespeichert.",
  approvalLinkRemoved: "Der Link zur Datenfreigabe ist entfernt.",
  approvalLinkUnchanged: "Der Link zur Datenfreigabe ist unverändert.",
  approvalTitle: "Datenfreigabe",
} as const;
