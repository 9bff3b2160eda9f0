/** German texts of the login, the one-time links and the password rules. */
export const accountMessages = {
  emailInvalid: "Bitte geben Sie eine gültige E-Mail-Adresse ein, zum Beispiel name@firma.de.",
  passwordMissing: "Bitte geben Sie Ihr Passwort ein.",
  loginFailed: "E-Mail-Adresse oder Passwort ist falsch.",
  tooManyAttempts: (minutes: number) =>
    `Zu viele Versuche. Bitte warten Sie ${minutesText(minutes)} und versuchen Sie es dann erneut.`,
  tooManyRequests: (minutes: number) =>
    `Zu viele Anfragen in kurzer Zeit. Bitte warten Sie ${minutesText(minutes)} und versuchen Sie es dann erneut.`,
  tooManyLoginAttempts: (minutes: number) =>
    `Zu viele Versuche. Bitte warten Sie ${minutesText(minutes)} und versuchen Sie es dann erneut. ` +
    "Wenn Sie Ihr Passwort vergessen haben, können Sie über „Passwort vergessen“ sofort ein neues vergeben.",

  tooManyLoginsFromNetwork: (minutes: number) =>
    `Von Ihrem Netzwerk aus gab es zu viele fehlgeschlagene Anmeldungen. Bitte warten Sie ${minutesText(minutes)} und versuchen Sie es dann erneut.`,

  linkRequested:
    "Wenn die Adresse bei uns hinterlegt ist, erhalten Sie in wenigen Minuten eine E-Mail mit einem Link. " +
    "Mit ihm vergeben Sie Ihr Passwort. Der Link gilt 60 Minuten und nur einmal. " +
    "Kommt keine E-Mail an, sehen Sie bitte auch im Spam-Ordner nach.",

  linkUsed: "Dieser Link wurde bereits verwendet. Jeder Link gilt nur einmal. Bitte fordern Sie einen neuen Link an.",
  linkExpired: "Dieser Link ist abgelaufen. Ein Link gilt 60 Minuten. Bitte fordern Sie einen neuen Link an.",
  linkVoided:
    "Dieser Link gilt nicht mehr, weil danach ein neuerer Link angefordert wurde. " +
    "Bitte verwenden Sie den Link aus der neuesten E-Mail oder fordern Sie einen neuen an.",
  linkUnknown: "Dieser Link ist ungültig. Bitte prüfen Sie, ob er vollständig kopiert wurde, oder fordern Sie einen neuen Link an.",

  passwordTooShort: (min: number) => `Das Passwort ist zu kurz. Es muss mindestens ${min} Zeichen lang sein.`,
  passwordTooLong: (max: number) => `Das Passwort ist zu lang. Erlaubt sind höchstens ${max} Zeichen.`,
  passwordCommon:
    "Dieses Passwort gehört zu den häufigsten Passwörtern und ist leicht zu erraten. Bitte wählen Sie ein anderes.",
  passwordMismatch: "Die beiden Passwörter stimmen nicht überein. Bitte geben Sie dasselbe Passwort zweimal ein.",
};

function minutesText(minutes: number): string {
  return minutes === 1 ? "1 Minute" : `${minutes} Minuten`;
}
