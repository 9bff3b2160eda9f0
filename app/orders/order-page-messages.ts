import type { OrderSpecField, PreflightVerdict } from "~/db/values";

/** The uploader of a print file: a signed-in user, or a share link with its label and the name the uploader typed. */
export interface FileUploader {
  uploaderName: string | null;
  shareLinkId: string | null;
  shareLinkLabel: string | null;
  sharedUploaderName: string | null;
}

/** German labels of the product specification's fields. */
export const orderSpecLabels: Record<OrderSpecField, string> = {
  format: "Format",
  extent: "Umfang",
  colours: "Farbigkeit",
  paper: "Papier",
  finishing: "Weiterverarbeitung",
  quantity: "Auflage",
  deliveryDate: "Liefertermin",
};

/** German texts of the order page: stepper, details, documents, approvals and the timeline. */
export const orderPageMessages = {
  withdrawnNotice: "Dieses Angebot wurde zurückgezogen.",
  withdrawnOn: (date: string) => `Zurückgezogen am ${date}.`,
  uploadsClosedWithdrawn: "Zu einem zurückgezogenen Angebot können keine Druckdaten hochgeladen werden.",
  specHeading: "Produktspezifikation",
  specEmpty: "Zur Produktspezifikation hat die Druckerei noch keine Angaben gemacht.",
  noOrderNumber: "noch keine (Angebot)",
  documentsEmpty: "Zu diesem Auftrag gibt es noch keine Dokumente.",
  documentGroupOffer: "Angebot",
  documentGroupConfirmation: "Auftragsbestätigung",
  documentGroupApproval: "Datenfreigabe",
  documentGroupOther: "Weitere Dokumente",
  documentDate: (date: string) => `vom ${date}`,
  documentView: (title: string) => `${title} ansehen`,
  documentDownload: (title: string) => `${title} herunterladen`,
  documentDownloadLabel: "Herunterladen",
  approvalLinkLabel: (title: string) => `${title} öffnen (externes Freigabeportal)`,
  staffEditLink: "Im Verwaltungsbereich bearbeiten",

  approvalsHeading: "Freigaben",
  acceptOfferButton: "Angebot annehmen",
  acceptOfferQuestion: (offerNumber: string) => `Angebot ${offerNumber} verbindlich bestellen?`,
  acceptOfferTermsHeading: "Konditionen",
  acceptOfferTermsFromDocument: "Es gelten die Konditionen, die im Angebotsdokument stehen.",
  acceptOfferDocumentLink: (title: string) => `${title} ansehen`,
  acceptOfferSubmit: "Verbindlich bestellen",
  approvalChangedMeanwhile:
    "Der Auftrag wurde gerade geändert, während Sie diese Bestätigung offen hatten. Bitte lesen Sie die Angaben oben erneut.",
  approvalReread: "Geänderte Angaben gelesen",
  printReadyNoFiles: "Laden Sie zuerst Ihre Druckdaten hoch; danach können Sie den Auftrag druckfrei erklären.",
  uploadAfterPrintReady:
    "Der Auftrag ist druckfrei erklärt. Neue Dateien prüfen wir nur nach Rücksprache mit Ihrem Auftragsmanagement.",
  printReadyButton: "Druckfrei erklären",
  printReadyQuestion: "Auftrag druckfrei erklären?",
  printReadyExplanation:
    "Mit der Druckfreigabe bestätigen Sie, dass wir Ihre Druckdaten so drucken, wie sie jetzt im Auftrag vorliegen. Änderungen sind danach nur noch nach Absprache mit der Druckerei möglich.",
  printReadySubmit: "Verbindlich druckfrei erklären",
  cancel: "Abbrechen",
  offerAcceptedBy: (dateTime: string, name: string) => `Angebot angenommen am ${dateTime} von ${name}`,
  printReadyBy: (dateTime: string, name: string) => `Druckfrei erklärt am ${dateTime} von ${name}`,

  timelineShowAll: "Alle Einträge anzeigen",
  timelineShowLatest: (count: number) => `Nur die letzten ${count} Einträge anzeigen`,
  timelineFileUploaded: (name: string, uploader: string) => `Druckdatei „${name}“ hochgeladen${uploader}`,
  timelineCheckFinished: (name: string, verdict: PreflightVerdict) =>
    `Datencheck „${name}“: ${{ ok: "OK", warning: "Warnung", error: "Fehlerhaft" }[verdict]}`,
  timelineCheckFailed: (name: string) => `Datencheck „${name}“: Prüfung fehlgeschlagen`,
};

/**
 * Describes the uploader as " von Sabine Keller", or for a share-link upload as
 * " über den Link „Agentur“ von Jana Berg". Returns "" when the uploader is unknown.
 */
export function describeUploader(file: FileUploader): string {
  if (file.shareLinkId) {
    const link = file.shareLinkLabel ? `über den Link „${file.shareLinkLabel}“` : "über einen externen Link";
    return file.sharedUploaderName ? ` ${link} von ${file.sharedUploaderName}` : ` ${link}`;
  }
  return file.uploaderName ? ` von ${file.uploaderName}` : "";
}
