import type { UserRole } from "~/db/values";

/** Roles of staff accounts, as the team page offers them. */
export const STAFF_ROLES = ["manager", "prepress", "admin"] as const satisfies readonly UserRole[];
export type StaffRole = (typeof STAFF_ROLES)[number];

/** German names of the staff roles. */
export const staffRoleLabels: Record<StaffRole, string> = {
  manager: "Auftragsmanager",
  prepress: "Druckvorstufe",
  admin: "Administrator",
};

/** German texts of the profile, the access requests and the team page. */
export const profileMessages = {
  nameMissing: "Bitte geben Sie Ihren Namen ein.",
  nameTooLong: (max: number) => `Der Name ist zu lang. Erlaubt sind höchstens ${max} Zeichen.`,
  phoneTooLong: (max: number) => `Die Telefonnummer ist zu lang. Erlaubt sind höchstens ${max} Zeichen.`,
  phoneInvalid: "Die Telefonnummer darf nur Ziffern, Leerzeichen und die Zeichen + - / ( ) enthalten.",
  profileSaved: "Ihre Angaben wurden gespeichert.",

  currentPasswordMissing: "Bitte geben Sie Ihr aktuelles Passwort ein.",
  currentPasswordWrong: "Das aktuelle Passwort ist falsch. Bitte geben Sie es erneut ein.",
  newPasswordMissing: "Bitte geben Sie ein neues Passwort ein.",
  newPasswordSameAsCurrent: "Das neue Passwort ist dasselbe wie das aktuelle. Bitte wählen Sie ein anderes.",
  passwordChanged: (sessionsEnded: number) =>
    sessionsEnded === 0
      ? "Ihr Passwort wurde geändert."
      : sessionsEnded === 1
        ? "Ihr Passwort wurde geändert. Ihre Anmeldung auf 1 anderen Gerät wurde beendet."
        : `Ihr Passwort wurde geändert. Ihre Anmeldungen auf ${sessionsEnded} anderen Geräten wurden beendet.`,

  unknownDevice: "Unbekanntes Gerät",
  sessionEnded: (device: string) => `Die Anmeldung „${device}“ wurde beendet.`,
  sessionNotFound: "Diese Anmeldung gibt es nicht mehr. Sie wurde bereits beendet oder ist abgelaufen.",
  sessionIsCurrent: "Das ist die Anmeldung auf diesem Gerät. Um sie zu beenden, melden Sie sich oben über „Abmelden“ ab.",
};

/** Texts the profile, access request and team pages share. */
export const formMessages = {
  requestInvalid: "Die Anfrage ist ungültig. Bitte laden Sie die Seite neu und versuchen Sie es erneut.",
};

export const accessRequestMessages = {
  nameMissing: "Bitte geben Sie Ihren Namen ein.",
  nameTooLong: (max: number) => `Der Name ist zu lang. Erlaubt sind höchstens ${max} Zeichen.`,
  companyMissing: "Bitte geben Sie den Namen Ihrer Firma ein.",
  companyTooLong: (max: number) => `Der Firmenname ist zu lang. Erlaubt sind höchstens ${max} Zeichen.`,
  emailMissing: "Bitte geben Sie Ihre E-Mail-Adresse ein.",
  emailInvalid: "Bitte geben Sie eine gültige E-Mail-Adresse ein, zum Beispiel name@firma.de.",
  emailTooLong: (max: number) => `Die E-Mail-Adresse ist zu lang. Erlaubt sind höchstens ${max} Zeichen.`,
  messageTooLong: (max: number) => `Die Nachricht ist zu lang. Erlaubt sind höchstens ${max.toLocaleString("de-DE")} Zeichen.`,
  formInvalid: "Die Anfrage wurde nicht gesendet. Bitte korrigieren Sie die markierten Felder.",
  received:
    "Vielen Dank, Ihre Anfrage ist bei uns eingegangen. Wir prüfen sie und melden uns per E-Mail bei Ihnen. " +
    "Kommt keine E-Mail an, sehen Sie bitte auch im Spam-Ordner nach.",

  reviewForbidden: "Zugangsanfragen können nur Auftragsmanager und Administratoren bearbeiten.",
  requestNotFound: "Diese Anfrage gibt es nicht.",
  alreadyDecided: (state: "accepted" | "declined") =>
    `Diese Anfrage wurde bereits ${state === "accepted" ? "angenommen" : "abgelehnt"}. Es wurde nichts geändert.`,
  companyChoiceMissing: "Bitte wählen Sie eine Firma aus oder legen Sie eine neue an.",
  companyNotFound: "Diese Firma gibt es nicht. Bitte wählen Sie eine Firma aus der Liste.",
  emailBelongsToStaff: (email: string) =>
    `Die Adresse ${email} gehört zu einem Mitarbeiter der Druckerei. Die Anfrage kann so nicht angenommen werden.`,
  emailBelongsToOtherCompany: (email: string, companyName: string) =>
    `Die Adresse ${email} gehört bereits zu einem Kontakt der Firma „${companyName}“. Wählen Sie diese Firma oder lehnen Sie die Anfrage ab.`,
  emailRegisteredMeanwhile: (email: string) =>
    `Die Adresse ${email} wurde in der Zwischenzeit für einen anderen Zugang registriert. Es wurde nichts geändert. Bitte laden Sie die Seite neu.`,
  contactInactive: (email: string) =>
    `Der Kontakt ${email} ist inaktiv. Aktivieren Sie ihn unter „Firmen“, bevor Sie die Anfrage annehmen.`,
  accepted: (name: string, companyName: string) => `Die Anfrage von ${name} wurde angenommen. Der Kontakt gehört zur Firma „${companyName}“.`,
  firstLoginSent: (email: string) => `Der Link für die erste Anmeldung wurde an ${email} geschickt.`,
  firstLoginNotNeeded: "Der Kontakt hat bereits ein Passwort und kann sich anmelden. Es wurde keine E-Mail verschickt.",
  firstLoginFailed:
    "Die E-Mail mit dem Link für die erste Anmeldung konnte nicht verschickt werden. " +
    "Der Kontakt kann sich über „Passwort vergessen“ selbst einen Link schicken.",
  declined: (name: string) => `Die Anfrage von ${name} wurde abgelehnt.`,
  declinedNotified: (name: string, email: string) => `Die Anfrage von ${name} wurde abgelehnt. ${email} wurde per E-Mail benachrichtigt.`,
  declineEmailFailed: (name: string) => `Die Anfrage von ${name} wurde abgelehnt. Die E-Mail an die Person konnte nicht verschickt werden.`,
  openEmpty: "Es gibt keine offenen Anfragen.",
  decidedEmpty: "Es wurde noch keine Anfrage entschieden.",
};

export const teamMessages = {
  nameMissing: "Bitte geben Sie den Namen ein.",
  nameTooLong: (max: number) => `Der Name ist zu lang. Erlaubt sind höchstens ${max} Zeichen.`,
  emailInvalid: "Bitte geben Sie eine gültige E-Mail-Adresse ein, zum Beispiel name@druckerei.de.",
  emailTaken: (email: string) =>
    `Die E-Mail-Adresse ${email} gehört bereits zu einem anderen Zugang. Jede Adresse kann nur einmal vergeben werden.`,
  roleInvalid: "Bitte wählen Sie eine Rolle: Auftragsmanager, Druckvorstufe oder Administrator.",
  salutationInvalid: "Bitte wählen Sie als Anrede „Frau“, „Herr“ oder keine.",
  memberNotFound: "Diesen Mitarbeiter gibt es nicht.",
  ownRoleLocked:
    "Sie können Ihre eigene Rolle nicht ändern, damit die Verwaltung nicht ohne Administrator bleibt. Bitten Sie einen anderen Administrator darum.",
  ownAccountLocked: "Sie können Ihren eigenen Zugang nicht deaktivieren. Bitten Sie einen anderen Administrator darum.",
  created: (name: string) => `Der Zugang für ${name} wurde angelegt.`,
  roleChanged: (name: string, role: string) => `${name} hat jetzt die Rolle ${role}.`,
  roleUnchanged: (name: string, role: string) => `${name} hat bereits die Rolle ${role}. Es wurde nichts geändert.`,
  deactivated: (name: string) => `Der Zugang von ${name} ist jetzt inaktiv und wurde auf allen Geräten abgemeldet.`,
  reactivated: (name: string) => `Der Zugang von ${name} ist wieder aktiv.`,
  firstLoginSent: (email: string) => `Der Link für die erste Anmeldung wurde an ${email} geschickt.`,
  firstLoginFailed:
    "Die E-Mail mit dem Link für die erste Anmeldung konnte nicht verschickt werden. " +
    "Der Mitarbeiter kann sich über „Passwort vergessen“ selbst einen Link schicken.",
  empty: "Es gibt noch keine Mitarbeiterzugänge.",
};
