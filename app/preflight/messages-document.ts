// German titles and messages of the document-level, resource-level and non-PDF findings.

import type { Finding } from "./types";

type Text = Pick<Finding, "title" | "message">;

const REEXPORT = "Bitte exportieren Sie das PDF erneut aus Ihrem Layoutprogramm und laden Sie es noch einmal hoch.";
const PDFX_EXPORT = "Am sichersten exportieren Sie das PDF mit einer PDF/X-Vorgabe (zum Beispiel PDF/X-4).";

export const documentTexts = {
  pdfVersionOld: (version: string): Text => ({
    title: "Veraltete PDF-Version",
    message:
      `Die Datei hat die PDF-Version ${version}. Erst seit PDF 1.3 lassen sich Endformat und Anschnitt ` +
      `(TrimBox und BleedBox) angeben, ältere Dateien werden in der Druckvorstufe oft falsch verarbeitet. ${PDFX_EXPORT}`,
  }),

  outputIntentMissing: (): Text => ({
    title: "Ausgabebedingung fehlt",
    message:
      "Die Datei nennt keine Ausgabebedingung (PDF/X-Output-Intent mit CMYK-Profil). Deshalb ist nicht festgelegt, " +
      `für welchen Druckprozess die Farben angelegt sind. ${PDFX_EXPORT}`,
  }),

  layerHidden: (name: string): Text => ({
    title: "Ausgeblendete Ebene",
    message:
      `Die Ebene „${name}“ ist beim Öffnen der Datei ausgeblendet. Je nach Ausgabe wird sie trotzdem gedruckt oder ` +
      "fehlt unbemerkt. Bitte blenden Sie alle Ebenen ein, die gedruckt werden sollen, löschen Sie die übrigen und " +
      "exportieren Sie das PDF ohne Ebenen.",
  }),

  layersPresent: (names: string): Text => ({
    title: "Datei enthält Ebenen",
    message:
      `Die Datei enthält Ebenen (${names}). Gedruckt wird der Inhalt, wie er beim Öffnen sichtbar ist. ` +
      "Bitte prüfen Sie, ob alle gewünschten Inhalte sichtbar sind, oder exportieren Sie das PDF ohne Ebenen.",
  }),

  javascript: (): Text => ({
    title: "JavaScript in der Datei",
    message:
      "Die Datei enthält JavaScript. Für den Druck wird es nicht ausgeführt, es kann aber Inhalte verändern, " +
      "die Sie am Bildschirm sehen. Bitte exportieren Sie das PDF ohne interaktive Elemente, zum Beispiel mit einer PDF/X-Vorgabe.",
  }),

  actions: (kinds: string): Text => ({
    title: "Aktionen in der Datei",
    message:
      `Die Datei enthält Aktionen (${kinds}), die Programme starten, Daten senden oder laden. Sie haben in einer ` +
      "Druckdatei keine Funktion. Bitte exportieren Sie das PDF ohne interaktive Elemente.",
  }),

  annotationInPrintArea: (page: number, subtype: string): Text => ({
    title: "Kommentar oder Formularfeld im Druckbereich",
    message:
      `Auf Seite ${page} liegt ein Kommentar oder Formularfeld (${subtype}) im Druckbereich. Je nach Einstellung wird es ` +
      "mitgedruckt oder fehlt. Bitte löschen Sie Kommentare und Formularfelder oder reduzieren Sie sie beim Export auf den sichtbaren Inhalt.",
  }),

  formFieldsPresent: (count: number): Text => ({
    title: "Formularfelder vorhanden",
    message:
      `Die Datei enthält ${count === 1 ? "ein Formularfeld" : `${count} Formularfelder`}. Formularfelder, die nicht als ` +
      "druckbar markiert sind, fehlen im Druck. Bitte prüfen Sie, ob ausgefüllte Inhalte gedruckt werden sollen, und " +
      "reduzieren Sie das Formular dann beim Export auf den sichtbaren Inhalt.",
  }),

  formFieldPrintable: (page: number, name: string): Text => ({
    title: "Druckbares Formularfeld im Endformat",
    message:
      `Das Formularfeld „${name}“ auf Seite ${page} ist als druckbar markiert und liegt im Endformat. Sein Aussehen ` +
      "kann sich ändern, wenn das Formular anders ausgefüllt oder angezeigt wird. Bitte reduzieren Sie das Formular " +
      "beim Export auf den sichtbaren Inhalt.",
  }),

  lzw: (pages: string): Text => ({
    title: "LZW-Komprimierung",
    message:
      `Inhalte auf ${pages} sind mit LZW komprimiert. Dieses veraltete Verfahren wird nicht von allen ` +
      `Druckvorstufen-Systemen verarbeitet. ${REEXPORT}`,
  }),

  transferFunction: (pages: string): Text => ({
    title: "Transferfunktion",
    message:
      `Auf ${pages} ist eine Transferfunktion gesetzt, die Tonwerte bei der Ausgabe verändert. ` +
      "Sie stammt meist aus Bildbearbeitungs- oder Druckeinstellungen und ist in PDF/X nicht zulässig. " +
      "Bitte speichern Sie betroffene Bilder ohne Transferfunktion und exportieren Sie das PDF erneut.",
  }),

  orderTrimSize: (pages: string, measured: string, expected: string): Text => ({
    title: "Endformat passt nicht zum Auftrag",
    message:
      `Das Endformat von ${pages} beträgt ${measured}, bestellt ist ${expected}. ` +
      "Bitte legen Sie das Dokument im bestellten Format an oder passen Sie die Bestellung an.",
  }),

  orderPageCount: (count: number, expected: number): Text => ({
    title: "Seitenzahl passt nicht zum Auftrag",
    message:
      `Die Datei hat ${count} Seiten, bestellt sind ${expected} Seiten. ` +
      "Bitte laden Sie eine Datei mit der bestellten Seitenzahl hoch oder passen Sie die Bestellung an.",
  }),

  orderPageMultiple: (count: number, multiple: number): Text => ({
    title: "Seitenzahl ungeeignet",
    message:
      `Die Datei hat ${count} Seiten. Für diese Verarbeitung muss die Seitenzahl durch ${multiple} teilbar sein. ` +
      "Bitte ergänzen Sie Leerseiten oder passen Sie den Umfang an.",
  }),
};

export const colourResourceTexts = {
  spotList: (names: string): Text => ({
    title: "Sonderfarben in der Datei",
    message:
      `Sonderfarben: ${names}. Jede Sonderfarbe wird als eigene Druckfarbe ausgegeben, sofern sie verwendet wird. ` +
      "Bitte prüfen Sie, ob die Liste den bestellten Farben entspricht, und wandeln Sie nicht bestellte Sonderfarben in CMYK um.",
  }),

  spotAll: (pages: string): Text => ({
    title: "Farbe „All“ (Registerfarbe)",
    message:
      `Die Ressourcen von ${pages} enthalten die Farbe „All“ (Registerfarbe), die auf allen Druckplatten erscheint. ` +
      "Sie ist nur für Schneide- und Passermarken gedacht. Bitte färben Sie Inhalte, die gedruckt werden sollen, in CMYK oder einer Sonderfarbe ein.",
  }),
};

export const fontDocumentTexts = {
  courier: (fontName: string, pages: string): Text => ({
    title: "Schrift Courier",
    message:
      `Die Datei verwendet die Schrift „${fontName}“ (${pages}). Courier wird oft als Ersatz eingesetzt, wenn eine ` +
      "Schrift beim Export fehlte. Bitte prüfen Sie, ob die Schrift gewollt ist, und exportieren Sie das PDF sonst mit der richtigen Schrift erneut.",
  }),
};

export const rasterTexts = {
  unknownFormat: (): Text => ({
    title: "Dateiformat nicht erkannt",
    message:
      "Die Datei ist weder ein PDF noch ein TIFF-, JPEG-, PNG- oder ZIP-Archiv und kann nicht geprüft werden. " +
      "Bitte laden Sie eine Druckdatei als PDF hoch.",
  }),

  unreadable: (format: string): Text => ({
    title: "Bilddatei nicht lesbar",
    message: `Die ${format}-Datei ist beschädigt oder unvollständig, ihre Bildgröße lässt sich nicht lesen. Bitte speichern Sie das Bild erneut und laden Sie es noch einmal hoch.`,
  }),

  pixelSize: (format: string, size: string): Text => ({
    title: "Bildgröße",
    message: `Die ${format}-Datei hat ${size}.`,
  }),

  colourModeOk: (mode: string): Text => ({
    title: "Farbmodus",
    message: `Das Bild ist im Farbmodus ${mode} angelegt.`,
  }),

  colourModeRgb: (mode: string): Text => ({
    title: "Bild nicht in CMYK",
    message:
      `Das Bild ist im Farbmodus ${mode} angelegt. Für den Druck wird es in CMYK umgerechnet, dabei können sich ` +
      "leuchtende Farben sichtbar verändern. Bitte wandeln Sie das Bild mit dem Profil der Druckerei in CMYK um.",
  }),

  colourModeUnknown: (mode: string): Text => ({
    title: "Farbmodus nicht druckgeeignet",
    message: `Das Bild ist im Farbmodus ${mode} angelegt, der sich nicht zuverlässig drucken lässt. Bitte speichern Sie das Bild in CMYK.`,
  }),

  resolutionLow: (measured: string, expected: string): Text => ({
    title: "Auflösung zu gering",
    message:
      `Im bestellten Endformat hat das Bild eine effektive Auflösung von ${measured}, nötig sind ${expected}. ` +
      "Es wird unscharf oder pixelig gedruckt. Bitte verwenden Sie ein Bild mit mehr Pixeln. Hochrechnen verbessert die Schärfe nicht.",
  }),

  resolutionOk: (measured: string): Text => ({
    title: "Auflösung",
    message: `Im bestellten Endformat hat das Bild eine effektive Auflösung von ${measured}.`,
  }),

  resolutionNotChecked: (stored: string, expected: string): Text => ({
    title: "Auflösung nicht geprüft",
    message:
      `Für den Auftrag ist kein Endformat angegeben, deshalb wurde die effektive Auflösung nicht geprüft${stored}. ` +
      `Bitte achten Sie auf ${expected} im Endformat.`,
  }),

  zipContents: (count: number, list: string): Text => ({
    title: "Inhalt des ZIP-Archivs",
    message: `Das Archiv enthält ${count === 1 ? "eine Datei" : `${count} Dateien`}: ${list}.`,
  }),

  zipNotChecked: (): Text => ({
    title: "Inhalt nicht geprüft",
    message:
      "Die Dateien im ZIP-Archiv wurden nicht geprüft. Bitte laden Sie Druckdateien einzeln als PDF hoch, " +
      "damit sie geprüft werden können.",
  }),

  zipUnreadable: (): Text => ({
    title: "ZIP-Archiv nicht lesbar",
    message: "Das Inhaltsverzeichnis des ZIP-Archivs fehlt oder ist beschädigt. Bitte erstellen Sie das Archiv neu und laden Sie es noch einmal hoch.",
  }),
};
