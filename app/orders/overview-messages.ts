// German texts of the orders overview's search, filters and paging, and the
// search's length limit, which the page (maxlength) and the loader share.

/** Maximum length of the overview's search, in characters. */
export const SEARCH_MAX_LENGTH = 100;

export const overviewMessages = {
  searchLabel: "Suche",
  searchHint: "Angebotsnummer, Auftragsnummer oder Beschreibung",
  searchTooLong: (max: number) =>
    `Der Suchbegriff ist zu lang und wurde nicht gesucht. Bitte geben Sie höchstens ${max} Zeichen ein.`,
  dateFromLabel: "Datum von",
  dateToLabel: "Datum bis",
  dateInvalid: (label: string, value: string) =>
    `„${value}“ ist kein gültiges Datum für „${label}“. Dieser Filter wurde nicht angewendet. Bitte wählen Sie ein Datum aus.`,
  dateRangeReversed: "„Datum von“ liegt nach „Datum bis“, daher wurde der Zeitraum nicht angewendet. Bitte tauschen Sie die beiden Daten.",
  statusLabel: "Status",
  statusUnknown: (values: string[]) =>
    `Unbekannter Status: ${values.map((value) => `„${value}“`).join(", ")}. Dieser Wert wurde nicht angewendet.`,
  companyLabel: "Firma",
  companyAll: "Alle Firmen",
  companyUnknown: "Die gewählte Firma gibt es nicht. Es werden die Aufträge aller Firmen gezeigt.",
  mineLabel: "nur meine Aufträge",
  sortLabel: "Sortierung",
  sortByDate: "Datum, neueste zuerst",
  sortByNumber: "Angebotsnummer, höchste zuerst",
  sortInvalid: (value: string) => `Unbekannte Sortierung „${value}“. Die Liste ist nach Datum sortiert.`,
  cursorInvalid: "Der Link zur nächsten Seite ist ungültig. Es wird die erste Seite gezeigt.",
  apply: "Anwenden",
  reset: "Filter zurücksetzen",
  nextPage: "Nächste Seite",
  firstPage: "Zur ersten Seite",
  noOrders: "Noch keine Angebote oder Aufträge. Sobald wir Ihnen ein Angebot schicken, finden Sie es hier.",
  noOrdersStaff: "Noch keine Angebote oder Aufträge.",
  noMatches: "Keine Angebote oder Aufträge passen zur Suche und zu den Filtern. Ändern Sie die Suche oder setzen Sie die Filter zurück.",
  noOwnOrders: "Ihnen sind keine Aufträge zugeordnet, die zu den Filtern passen. Schalten Sie „nur meine Aufträge“ aus, um die Aufträge aller Auftragsmanager zu sehen.",
  showAllManagers: "Aufträge aller Auftragsmanager zeigen",
  filtersHeading: "Suche und Filter",
} as const;
