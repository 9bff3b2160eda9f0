// German texts of the back office: companies, contacts, shop settings,
// the shop's logo and staff photos.

export const adminMessages = {
  editForbidden: "Firmen und Kontakte können nur Auftragsmanager und Administratoren ändern.",
  companyNotFound: "Diese Firma gibt es nicht. Bitte wählen Sie eine Firma aus der Liste.",
  contactNotFound: "Diesen Kontakt gibt es bei dieser Firma nicht.",
  requestInvalid: "Die Anfrage ist ungültig. Bitte laden Sie die Seite neu und versuchen Sie es erneut.",

  companyNameMissing: "Bitte geben Sie den Namen der Firma ein.",
  companyNameTooLong: (max: number) => `Der Name ist zu lang. Erlaubt sind höchstens ${max} Zeichen.`,
  customerNumberTooLong: (max: number) => `Die Kundennummer ist zu lang. Erlaubt sind höchstens ${max} Zeichen.`,
  customerNumberTaken: (customerNumber: string, companyName: string) =>
    `Die Kundennummer ${customerNumber} hat bereits die Firma „${companyName}“. Bitte geben Sie eine andere ein oder lassen Sie das Feld leer.`,
  companyNameTaken: (companyName: string) =>
    `Die Firma „${companyName}“ gibt es bereits. Bitte ergänzen Sie den Namen, zum Beispiel um den Ort, oder bearbeiten Sie die vorhandene Firma.`,
  companyCreated: (name: string) => `Die Firma „${name}“ wurde angelegt.`,
  companySaved: "Die Firmendaten wurden gespeichert.",
  companiesEmpty: "Es gibt noch keine Firmen. Legen Sie unten die erste an.",
  companiesNoResult: (search: string) => `Keine Firma passt zu „${search}“. Prüfen Sie die Schreibweise oder legen Sie die Firma an.`,
  companiesTruncated: (count: number) => `Es werden die ersten ${count} Firmen angezeigt. Grenzen Sie die Suche ein, um weitere zu finden.`,
  searchTooLong: (max: number) => `Der Suchbegriff ist zu lang. Erlaubt sind höchstens ${max} Zeichen.`,

  salutationInvalid: "Bitte wählen Sie als Anrede „Frau“, „Herr“ oder keine.",
  contactNameMissing: "Bitte geben Sie den Namen des Kontakts ein.",
  contactNameTooLong: (max: number) => `Der Name ist zu lang. Erlaubt sind höchstens ${max} Zeichen.`,
  emailInvalid: "Bitte geben Sie eine gültige E-Mail-Adresse ein, zum Beispiel name@firma.de.",
  emailTooLong: (max: number) => `Die E-Mail-Adresse ist zu lang. Erlaubt sind höchstens ${max} Zeichen.`,
  emailTaken: (email: string) =>
    `Die E-Mail-Adresse ${email} gehört bereits zu einem anderen Zugang. Jede Adresse kann nur einmal vergeben werden.`,
  phoneTooLong: (max: number) => `Die Telefonnummer ist zu lang. Erlaubt sind höchstens ${max} Zeichen.`,
  contactCreated: (name: string, invited: boolean) =>
    invited
      ? `Der Kontakt „${name}“ wurde angelegt und bekommt eine E-Mail mit einem Link, um sein Passwort zu vergeben.`
      : `Der Kontakt „${name}“ wurde angelegt.`,
  contactSaved: (name: string) => `Der Kontakt „${name}“ wurde gespeichert.`,
  contactDeactivated: (name: string) => `Der Kontakt „${name}“ ist jetzt inaktiv und wurde abgemeldet.`,
  contactPasswordHint:
    "Der Kontakt kann sich anmelden, sobald er ein Passwort vergeben hat. Den Link dafür bekommt er beim Anlegen per E-Mail; einen neuen fordert er auf der Anmeldeseite unter „Passwort vergessen oder noch keines vergeben?“ an.",
  contactsEmpty: "Diese Firma hat noch keine Kontakte.",
  ordersEmpty: "Diese Firma hat noch keine Angebote oder Aufträge.",
  ordersTruncated: (count: number) => `Es werden die neuesten ${count} Angebote und Aufträge angezeigt.`,

  shopFieldMissing: (label: string) => `Bitte geben Sie ${label} ein.`,
  shopFieldTooLong: (max: number) => `Der Text ist zu lang. Erlaubt sind höchstens ${max} Zeichen.`,
  shopEmailInvalid: "Bitte geben Sie eine gültige E-Mail-Adresse ein, zum Beispiel info@druckerei.de.",
  numberInvalid: "Bitte geben Sie eine ganze Zahl größer als 0 ein.",
  numberTooLarge: (max: number) => `Die Zahl ist zu groß. Erlaubt sind höchstens ${max.toLocaleString("de-DE")}.`,
  orderNumberTooSmall: (highest: number) =>
    `Die nächste Auftragsnummer muss größer sein als die höchste vergebene Auftragsnummer ${highest}.`,
  offerNumberTaken: (offerNumber: number) =>
    `Angebote mit der Nummer ${offerNumber} gibt es bereits. Bitte wählen Sie eine Nummer, die noch nicht vergeben ist.`,
  settingsChangedMeanwhile:
    "Die Einstellungen wurden nicht gespeichert, weil sich in der Zwischenzeit Nummern oder das Logo geändert haben. Bitte prüfen Sie die Angaben und speichern Sie erneut.",
  uploadSizeInvalid: (min: string, max: string) =>
    `Bitte geben Sie die maximale Dateigröße als Zahl zwischen ${min} und ${max} ein.`,
  uploadUnitInvalid: "Bitte wählen Sie MB oder GB als Einheit.",
  fileTypesMissing: "Bitte wählen Sie mindestens einen Dateityp aus.",
  fileTypeUnknown: "Dieser Dateityp ist nicht vorgesehen. Bitte wählen Sie nur Typen aus der Liste.",
  settingsSaved: "Die Einstellungen wurden gespeichert.",
  settingsInvalid: "Die Einstellungen wurden nicht gespeichert. Bitte korrigieren Sie die markierten Felder.",

  imageTooLarge: (limit: string) => `Das Bild ist zu groß. Erlaubt sind höchstens ${limit}.`,
  imageEmpty: "Die Bilddatei ist leer. Bitte wählen Sie ein PNG- oder JPEG-Bild.",
  imageTypeRejected: "Das Bild ist kein PNG oder JPEG. Bitte wählen Sie ein PNG- oder JPEG-Bild (SVG ist nicht möglich).",
  logoHint: (limit: string) =>
    `PNG oder JPEG, höchstens ${limit}. SVG ist nicht möglich, weil SVG-Dateien Skripte enthalten können.`,
  photoHint: (limit: string) => `PNG oder JPEG, höchstens ${limit}. Kunden sehen das Foto bei Ihren Kontaktdaten.`,
  photoSaved: "Das Foto wurde gespeichert.",
  photoRemoved: "Das Foto wurde entfernt.",
  photoStaffOnly: "Fotos können nur Mitarbeiter der Druckerei hinterlegen.",
  photoMissing: "Bitte wählen Sie ein Bild aus.",
} as const;
