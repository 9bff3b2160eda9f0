import type { DocumentKind, OrderStatus, PreflightVerdict, UserRole } from "~/db/values";

/** The last sentence of `uploadTooLarge`; the share page replaces it, because an outsider has no prepress desk to call. */
export const UPLOAD_TOO_LARGE_CONTACT = "Bitte wenden Sie sich für größere Dateien an die Druckvorstufe.";

/** Every German text the portal shows or sends, in one place. */
export const messages = {
  orderNotFound: "Diesen Auftrag gibt es nicht, oder Sie haben keinen Zugriff darauf.",
  documentNotFound: "Dieses Dokument gibt es nicht, oder Sie haben keinen Zugriff darauf.",
  fileNotFound: "Diese Datei gibt es nicht, oder Sie haben keinen Zugriff darauf.",
  fileRangeInvalid: "Der angefragte Bereich liegt außerhalb der Datei.",
  reportNotReady: "Für diese Datei liegt noch kein Prüfbericht vor. Bitte warten Sie, bis der Datencheck abgeschlossen ist.",
  reportPreviewUnavailable:
    "Die Seitenansicht kann für diese Datei nicht angezeigt werden (die Datei ist beschädigt, verschlüsselt oder kein gültiges PDF). Alle Befunde stehen trotzdem in diesem Bericht.",
  reportFailed: "Der Datencheck für diese Datei ist nicht gelungen, deshalb gibt es keinen Prüfbericht. Bitte wenden Sie sich an die Druckvorstufe.",
  reportPageLoading: "Seite wird geladen …",
  reportPageUnavailable: "Diese Seite kann nicht angezeigt werden.",
  pageNotFound: "Diese Seite gibt es nicht.",
  staffOnly: "Dieser Bereich ist nur für das Team der Druckerei.",
  adminOnly: "Diesen Bereich können nur Administratoren öffnen.",
  unexpectedError: "Ein unerwarteter Fehler ist aufgetreten. Bitte versuchen Sie es später erneut.",

  uploadEmpty: "Die Datei ist leer. Bitte wählen Sie eine Datei mit Inhalt.",
  uploadNotPdf: "Die Datei ist kein PDF. Bitte laden Sie Ihre Druckdaten als PDF-Datei hoch.",
  uploadTooLarge: (limit: string) =>
    `Die Datei ist zu groß. Pro Datei sind höchstens ${limit} möglich. ${UPLOAD_TOO_LARGE_CONTACT}`,
  uploadLengthMissing: "Die Dateigröße fehlt in der Anfrage. Bitte laden Sie die Datei erneut hoch.",
  uploadNameMissing: "Der Dateiname fehlt. Bitte wählen Sie die Datei erneut aus.",
  uploadIdInvalid: "Die Upload-Kennung ist ungültig. Bitte laden Sie die Seite neu und versuchen Sie es erneut.",
  uploadIncomplete: "Die Datei ist nicht vollständig angekommen. Bitte laden Sie sie erneut hoch.",
  uploadFailed: "Das Hochladen ist fehlgeschlagen. Bitte versuchen Sie es erneut.",
  uploadSucceeded: "Upload erfolgreich",
  uploadNameInvalid: "Der Dateiname enthält Steuerzeichen. Bitte benennen Sie die Datei um und laden Sie sie erneut hoch.",
  uploadNameTooLong: (max: number) =>
    `Der Dateiname ist zu lang. Erlaubt sind höchstens ${max} Zeichen. Bitte benennen Sie die Datei um.`,
  uploadTypeRejected: (types: string) =>
    `Dieser Dateityp wird nicht angenommen. Bitte laden Sie Ihre Druckdaten als ${types} hoch.`,
  uploadPdfNameMismatch:
    "Die Datei heißt „.pdf“, ist aber kein PDF. Bitte exportieren Sie Ihre Druckdaten als PDF.",
  uploadOrderWithdrawn: "Dieses Angebot wurde zurückgezogen. Druckdaten können dafür nicht mehr hochgeladen werden.",
  uploadDuplicate: "Diese Datei ist bereits im Auftrag vorhanden. Sie müssen sie nicht noch einmal hochladen.",
  uploadNotFound: "Dieser Upload wurde nicht gefunden. Er ist abgeschlossen, abgebrochen oder nach 24 Stunden verfallen. Bitte laden Sie die Datei erneut hoch.",
  uploadPartSizeInvalid: (min: string, max: string) =>
    `Die Teilgröße ist ungültig. Erlaubt sind ${min} bis ${max} pro Teil. Bitte laden Sie die Datei erneut hoch.`,
  uploadPartNumberInvalid: (count: number) =>
    `Die Teilnummer ist ungültig. Diese Datei hat die Teile 1 bis ${count}.`,
  uploadPartWrongSize: (partNumber: number, expected: number) =>
    `Teil ${partNumber} hat die falsche Größe. Erwartet werden genau ${expected.toLocaleString("de-DE")} Bytes.`,
  uploadPartsMissing: (partNumbers: string) =>
    `Es fehlen noch Teile der Datei (${partNumbers}). Bitte setzen Sie den Upload fort.`,
  uploadChecksumInvalid: "Die Prüfsumme der Datei fehlt oder ist ungültig. Bitte laden Sie die Datei erneut hoch.",
  uploadRequestInvalid: "Die Anfrage zum Hochladen ist ungültig. Bitte laden Sie die Seite neu und versuchen Sie es erneut.",
  notSignedIn: "Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.",
  chatEmailsInvalid: "Bitte wählen Sie „Ein“ oder „Aus“ für die E-Mails zu neuen Nachrichten.",

  preflightNotChecked: "Datencheck: nicht geprüft. Der automatische Datencheck prüft bisher nur PDF-Dateien.",
  preflightFailedStaff: "Prüfung fehlgeschlagen",
  preflightFailedCustomer: "Die Prüfung ist nicht gelungen. Die Druckvorstufe sieht sich die Datei an.",
  preflightFailedTimeout: (seconds: number) => `Die Prüfung hat nach ${seconds} Sekunden noch kein Ergebnis geliefert.`,
  preflightFailedError: (detail: string) => `Die Prüfung ist mit einem Fehler abgebrochen: ${detail}`,
  preflightFailedUnknown: "Die Prüfung ist nach mehreren Versuchen ohne bekannten Grund abgebrochen.",
  preflightProgress: (pagesDone: number, pageCount: number) => `Seite ${pagesDone} von ${pageCount}`,
  preflightActionForbidden: "Nur das Team der Druckerei darf die Prüfung steuern.",
  preflightActionInvalid: "Die Anfrage ist ungültig. Bitte laden Sie die Seite neu und versuchen Sie es erneut.",
  preflightProfileInvalid: "Dieses Prüfprofil gibt es nicht. Bitte wählen Sie ein Profil aus der Liste.",
  preflightFileNotFound: "Diese Datei gibt es in diesem Auftrag nicht.",
  preflightRerunFailed: "Die erneute Prüfung konnte nicht gestartet werden. Bitte versuchen Sie es erneut.",

  liveForbidden: "Die Live-Ansicht ist nur für das Team der Druckerei.",
  liveIntro: "Aufträge mit Aktivität in den letzten 24 Stunden. Die Tabelle aktualisiert sich von selbst.",
  liveEmpty: "In den letzten 24 Stunden gab es in keinem Auftrag Aktivität.",
  liveEmptyMine: "In Ihren Aufträgen gab es in den letzten 24 Stunden keine Aktivität.",

  chatFrameInvalid: "Die Nachricht konnte nicht verarbeitet werden. Bitte laden Sie die Seite neu und versuchen Sie es erneut.",
  chatFrameTooLarge: "Die Nachricht ist zu groß und wurde nicht gesendet.",
  chatBodyEmpty: "Bitte geben Sie eine Nachricht ein.",
  chatBodyTooLong: (limit: string) => `Die Nachricht ist zu lang. Höchstens ${limit} Zeichen sind möglich; sie wurde nicht gesendet.`,
  chatBodyTooLongHint: (limit: string) => `Die Nachricht ist zu lang. Höchstens ${limit} Zeichen sind möglich.`,
  chatRateLimited: "Sie senden zu viele Nachrichten auf einmal. Bitte warten Sie einige Sekunden und versuchen Sie es erneut.",
  chatPinForbidden: "Nur das Team der Druckerei kann Nachrichten als Notiz anheften.",
  chatEditForbidden: "Sie können nur Ihre eigenen Nachrichten bearbeiten.",
  chatEditWindowOver: "Nachrichten lassen sich nur in den ersten 10 Minuten nach dem Senden bearbeiten.",
  chatMessageNotFound: "Diese Nachricht gibt es in diesem Auftrag nicht.",
  chatFailed: "Die Nachricht konnte nicht gespeichert werden. Bitte versuchen Sie es erneut.",
  chatOffline: "Offline – Nachrichten werden gesendet, sobald die Verbindung zurück ist",

  fileDeleteForbidden: "Nur das Team der Druckerei darf Druckdateien löschen.",
  fileDeleteInvalid: "Die Anfrage zum Löschen ist ungültig. Bitte laden Sie die Seite neu und versuchen Sie es erneut.",
  fileDeleteFailed: "Die Druckdatei konnte nicht gelöscht werden. Bitte versuchen Sie es erneut.",
  fileDeleteAlreadyGone: (name: string | null) =>
    name ? `Die Druckdatei „${name}“ wurde bereits gelöscht.` : "Diese Druckdatei wurde bereits gelöscht.",
  fileDeleted: (name: string) => `Die Druckdatei „${name}“ wurde gelöscht.`,
  fileDeleteConfirm: (name: string) =>
    `Druckdatei „${name}“ endgültig löschen? Die Datei und ihre Prüfergebnisse lassen sich nicht wiederherstellen.`,
  historyEmpty: "Noch keine Einträge.",
  historyTruncated: (count: number) => `Es werden die letzten ${count} Einträge angezeigt.`,
  historyFileDeleted: (name: string) => `Druckdatei „${name}“ gelöscht`,
  historyShareLinkCreated: (label: string | null) => (label ? `Externer Link „${label}“ erstellt` : "Externer Link erstellt"),
  historyShareLinkRevoked: (label: string | null) => (label ? `Externer Link „${label}“ widerrufen` : "Externer Link widerrufen"),
  historyOrderCreated: (offerNumber: string | null) => (offerNumber ? `Angebot #${offerNumber} angelegt` : "Angebot angelegt"),
  historyOrderUpdated: (fields: string | null) => (fields ? `Auftragsdaten geändert (${fields})` : "Auftragsdaten geändert"),
  historyOfferAccepted: (orderNumber: string | null) =>
    orderNumber ? `Angebot angenommen, Auftragsnummer #${orderNumber}` : "Angebot angenommen",
  historyPrintReadyDeclared: "Druckfrei erklärt",
  historyStatusChanged: (from: string, to: string) => `Status von „${from}“ auf „${to}“ geändert`,
  historyDocument: (kindLabel: string, title: string | null, change: "added" | "replaced" | "removed") => {
    const verb = { added: "hinzugefügt", replaced: "ersetzt", removed: "entfernt" }[change];
    return title ? `${kindLabel} „${title}“ ${verb}` : `${kindLabel} ${verb}`;
  },
  historyActor: (action: string, actorName: string | null) => (actorName ? `${action} von ${actorName}` : action),
} as const;

export const orderStatusLabels: Record<OrderStatus, string> = {
  offer: "Angebot",
  ordered: "Bestellt",
  print_ready: "Druckfrei",
  production: "Produktion",
  invoiced: "Abgerechnet",
  withdrawn: "Zurückgezogen",
};

export const documentKindLabels: Record<DocumentKind, string> = {
  offer: "Angebot",
  order_confirmation: "Auftragsbestätigung",
  approval: "Datenfreigabe",
  other: "Dokument",
};

export const preflightVerdictLabels: Record<PreflightVerdict, string> = {
  ok: "Datencheck OK",
  warning: "Datencheck Warnung",
  error: "Datencheck fehlerhaft",
};

export const preflightStateLabels = {
  queued: "Datencheck wartet",
  running: "Datencheck läuft",
  failed: "Datencheck nicht möglich",
} as const;

const roleLabels: Record<UserRole, { male: string; female: string }> = {
  customer: { male: "Kunde", female: "Kundin" },
  manager: { male: "Auftragsmanager", female: "Auftragsmanagerin" },
  prepress: { male: "Druckvorstufe", female: "Druckvorstufe" },
  admin: { male: "Administrator", female: "Administratorin" },
};

/** Names a person's role in German, in the feminine form for the salutation "Frau". */
export function roleLabel(role: UserRole, salutation: string | null): string {
  const labels = roleLabels[role];
  return salutation === "Frau" ? labels.female : labels.male;
}
