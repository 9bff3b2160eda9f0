import type { OrderStatus } from "~/db/values";
import { formatNumber } from "~/format";
import { orderStatusLabels } from "~/messages";

/** German texts of state changes, offer acceptance and "Druckfrei erklären". */
export const transitionMessages = {
  versionInvalid: "Die Anfrage ist ungültig. Bitte laden Sie die Seite neu und versuchen Sie es erneut.",
  statusUnknown: "Diesen Status gibt es nicht. Bitte wählen Sie einen Status aus der Liste.",
  versionConflict: (status: OrderStatus) =>
    `Der Auftrag wurde geändert, während Sie ihn offen hatten (aktueller Status: ${orderStatusLabels[status]}). Ihre Änderung wurde nicht gespeichert. Bitte prüfen Sie den aktuellen Stand und geben Sie Ihre Änderung erneut ein.`,
  transitionNotAllowed: (from: OrderStatus, to: OrderStatus) =>
    `Ein Auftrag im Status „${orderStatusLabels[from]}“ kann nicht auf „${orderStatusLabels[to]}“ wechseln.`,
  transitionAllowedTargets: (targets: OrderStatus[]) =>
    targets.length === 0
      ? "Der Status dieses Auftrags kann nicht mehr geändert werden."
      : `Möglich ist: ${targets.map((target) => `„${orderStatusLabels[target]}“`).join(" oder ")}.`,
  customerForbidden: "Diese Änderung kann nur das Team der Druckerei vornehmen.",
  acceptOnlyContacts: "Angebote können nur Ansprechpartner des Kunden annehmen.",
  offerAccepted: (orderNumber: string) =>
    `Vielen Dank, Ihr Auftrag ist erteilt. Er hat die Auftragsnummer ${formatNumber(orderNumber)}.`,
  offerAlreadyAccepted: (orderNumber: string) =>
    `Dieses Angebot ist bereits angenommen. Der Auftrag hat die Auftragsnummer ${formatNumber(orderNumber)}.`,
  offerNotOpen: (status: OrderStatus) =>
    `Dieses Angebot kann nicht mehr angenommen werden (Status: ${orderStatusLabels[status]}).`,
  printReadyDeclared: "Der Auftrag ist druckfrei erklärt. Wir beginnen mit der Produktion.",
  printReadyAlreadyDeclared: "Der Auftrag ist bereits druckfrei erklärt.",
  printReadyWithoutFiles:
    "Der Auftrag hat noch keine Druckdaten. Bitte laden Sie zuerst Ihre Druckdaten hoch und erklären Sie den Auftrag danach druckfrei.",
  printReadyNotPossible: (status: OrderStatus) =>
    `Nur ein bestellter Auftrag kann druckfrei erklärt werden (Status: ${orderStatusLabels[status]}).`,
  orderNumberTaken: (orderNumber: string) =>
    `Die nächste Auftragsnummer ${formatNumber(orderNumber)} ist bereits vergeben. Bitte stellen Sie den Nummernkreis in den Einstellungen neu ein.`,
  statusChanged: (status: OrderStatus) => `Der Status ist jetzt „${orderStatusLabels[status]}“.`,
  bulkNoneSelected: "Bitte wählen Sie mindestens einen Auftrag aus.",
  bulkStatusMissing: "Bitte wählen Sie den neuen Status.",
  bulkTooMany: (max: number) => `Es können höchstens ${max} Aufträge auf einmal geändert werden.`,
  bulkResult: (changed: number, skipped: number, status: OrderStatus) => {
    const changedText = changed === 1 ? "1 Auftrag ist" : `${changed} Aufträge sind`;
    const skippedText =
      skipped === 0
        ? ""
        : ` ${skipped === 1 ? "1 Auftrag wurde" : `${skipped} Aufträge wurden`} nicht geändert, weil ${skipped === 1 ? "sein" : "ihr"} Status das nicht erlaubt.`;
    return `${changedText} jetzt „${orderStatusLabels[status]}“.${skippedText}`;
  },
  /** The first sentence of the overview's bulk result; the skipped orders follow as a list of `bulkSkipped*` lines. */
  bulkResultSummary: (changed: number, skipped: number, status: OrderStatus) => {
    const changedText = `${changed === 1 ? "1 Auftrag ist" : `${changed} Aufträge sind`} jetzt „${orderStatusLabels[status]}“.`;
    if (skipped === 0) return changedText;
    return `${changedText} ${skipped === 1 ? "1 Auftrag wurde" : `${skipped} Aufträge wurden`} nicht geändert:`;
  },
  bulkSkippedAlready: (number: string, status: OrderStatus) => `${formatNumber(number)} ist bereits „${orderStatusLabels[status]}“.`,
  bulkSkippedOnlyTo: (number: string, from: OrderStatus, targets: readonly OrderStatus[]) =>
    `${formatNumber(number)}: von „${orderStatusLabels[from]}“ geht es nur weiter nach ${targets.map((target) => `„${orderStatusLabels[target]}“`).join(" oder ")}.`,
  bulkSkippedFinal: (number: string, status: OrderStatus) =>
    `${formatNumber(number)} ist „${orderStatusLabels[status]}“ und kann nicht mehr geändert werden.`,
  bulkSkippedRetry: (number: string) =>
    `${formatNumber(number)} konnte nicht geändert werden. Bitte öffnen Sie den Auftrag und ändern Sie den Status dort.`,
  bulkSkippedNotFound: (count: number) => (count === 1 ? "Ein Auftrag wurde nicht gefunden." : `${count} Aufträge wurden nicht gefunden.`),
  bulkSkippedMore: (count: number) => (count === 1 ? "und 1 weiterer Auftrag." : `und ${count} weitere.`),
};
