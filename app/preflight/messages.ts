// German titles and messages of all findings, in one place so that wording stays consistent.

import type { Finding } from "./types";

type Text = Pick<Finding, "title" | "message">;

const REEXPORT = "Bitte exportieren Sie das PDF erneut aus Ihrem Layoutprogramm und laden Sie es noch einmal hoch.";

export const texts = {
  fileUnreadable: (): Text => ({
    title: "Datei nicht lesbar",
    message: `Die Datei ist kein lesbares PDF oder so stark beschädigt, dass sie nicht geprüft werden kann. ${REEXPORT}`,
  }),

  fileRepaired: (): Text => ({
    title: "Datei beschädigt, Struktur wiederhergestellt",
    message:
      "Das Inhaltsverzeichnis der Datei (Querverweistabelle) ist fehlerhaft oder fehlt. Die Prüfung konnte die Struktur " +
      `wiederherstellen, aber Druckvorstufen-Systeme können an solchen Dateien scheitern. ${REEXPORT}`,
  }),

  fileTruncated: (): Text => ({
    title: "Datei unvollständig",
    message:
      "Die Datei endet mitten im Inhalt, vermutlich wurde sie nicht vollständig gespeichert oder hochgeladen. " +
      "Teile des Inhalts können fehlen. Bitte laden Sie die vollständige Datei noch einmal hoch.",
  }),

  fileEncrypted: (): Text => ({
    title: "Datei ist passwortgeschützt",
    message:
      "Die Datei lässt sich nur mit einem Passwort öffnen und kann deshalb weder geprüft noch gedruckt werden. " +
      "Bitte senden Sie uns das PDF ohne Passwortschutz.",
  }),

  encryptionUnsupported: (): Text => ({
    title: "Verschlüsselung nicht unterstützt",
    message:
      "Die Datei ist mit einem Verfahren verschlüsselt, das die Prüfung nicht öffnen kann. " +
      "Bitte senden Sie uns das PDF ohne Verschlüsselung und ohne Passwortschutz.",
  }),

  engineFailed: (): Text => ({
    title: "Prüfung abgebrochen",
    message:
      "Bei der Prüfung ist ein unerwarteter Fehler aufgetreten, die Datei wurde nicht vollständig geprüft. " +
      "Bitte laden Sie die Datei noch einmal hoch. Tritt der Fehler erneut auf, wenden Sie sich bitte an uns.",
  }),

  noPages: (): Text => ({
    title: "Keine Seiten",
    message: `Die Datei enthält keine lesbaren Seiten. ${REEXPORT}`,
  }),

  pageTreeDamaged: (): Text => ({
    title: "Seitenstruktur beschädigt",
    message:
      "Ein Teil der Seitenstruktur ist beschädigt, deshalb fehlen möglicherweise Seiten. " +
      `Bitte prüfen Sie die Seitenzahl. ${REEXPORT}`,
  }),

  mediaBoxMissing: (page: number): Text => ({
    title: "Seitenformat (MediaBox) fehlt",
    message: `Für Seite ${page} ist kein gültiges Seitenformat (MediaBox) angegeben, deshalb lassen sich Endformat und Anschnitt nicht prüfen. ${REEXPORT}`,
  }),

  trimBoxMissing: (page: number): Text => ({
    title: "Endformat (TrimBox) fehlt",
    message:
      `Auf Seite ${page} ist kein Endformat (TrimBox) festgelegt, deshalb ist nicht eindeutig, wo geschnitten wird. ` +
      "Bitte exportieren Sie das PDF mit einer PDF/X-Vorgabe oder mit den Optionen für Anschnitt und Endformat.",
  }),

  trimBoxFromArtBox: (page: number): Text => ({
    title: "Endformat aus ArtBox übernommen",
    message:
      `Seite ${page} hat keine TrimBox, aber eine ArtBox. Die ArtBox wird als Endformat verwendet. ` +
      "Falls das nicht das gewünschte Endformat ist, legen Sie bitte beim Export eine TrimBox fest.",
  }),

  trimSizeMismatch: (page: number, size: string, referencePage: number, referenceSize: string): Text => ({
    title: "Uneinheitliches Endformat",
    message:
      `Seite ${page} hat das Endformat ${size}, Seite ${referencePage} dagegen ${referenceSize}. ` +
      "Alle Seiten eines Auftrags müssen dasselbe Endformat haben. Bitte passen Sie die Seitengrößen im Dokument an.",
  }),

  bleedTooSmall: (page: number, measured: string, expected: string): Text => ({
    title: "Beschnitt zu klein",
    message:
      `Der Anschnitt (Beschnittzugabe) von Seite ${page} beträgt an der knappsten Kante nur ${measured}, nötig sind ${expected} an jeder Kante. ` +
      "Sonst können nach dem Schneiden weiße Ränder entstehen. Bitte ziehen Sie randabfallende Bilder und Flächen " +
      "über das Endformat hinaus und exportieren Sie das PDF mit Anschnitt.",
  }),

  fontNotEmbedded: (fontName: string, pages: string): Text => ({
    title: "Schrift nicht eingebettet",
    message:
      `Die Schrift „${fontName}“ (${pages}) ist nicht in die Datei eingebettet. Beim Druck würde eine Ersatzschrift ` +
      "verwendet, die Schriftbild und Zeilenfall verändern kann. Bitte betten Sie beim PDF-Export alle Schriften ein " +
      "oder wandeln Sie die Texte in Pfade um.",
  }),

  findingsTruncated: (count: number, title: string): Text => ({
    title: "Weitere Befunde ausgeblendet",
    message: `${count} weitere Befunde der Art „${title}“ werden nicht einzeln aufgeführt. Sie betreffen weitere Seiten und lassen sich auf dieselbe Weise beheben.`,
  }),
};
