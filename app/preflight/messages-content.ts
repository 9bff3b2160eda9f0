// German titles and messages of the findings that come from reading the page content.

import type { Finding } from "./types";

type Text = Pick<Finding, "title" | "message">;

export const contentTexts = {
  imageResolutionError: (page: number, measured: string, expected: string): Text => ({
    title: "Bildauflösung zu gering",
    message:
      `Ein Bild auf Seite ${page} hat in der platzierten Größe nur ${measured}, für eine gute Druckqualität sind ${expected} nötig. ` +
      "Im Druck wirkt es unscharf oder pixelig. Bitte verwenden Sie das Bild in höherer Auflösung oder platzieren Sie es kleiner.",
  }),

  imageResolutionWarning: (page: number, measured: string, expected: string): Text => ({
    title: "Bildauflösung knapp",
    message:
      `Ein Bild auf Seite ${page} hat in der platzierten Größe ${measured}, empfohlen sind ${expected}. ` +
      "Im Druck kann es leicht unscharf wirken. Wenn möglich, verwenden Sie das Bild in höherer Auflösung oder platzieren Sie es kleiner.",
  }),

  bitmapResolutionError: (page: number, measured: string, expected: string): Text => ({
    title: "Strichbild-Auflösung zu gering",
    message:
      `Ein Strichbild (1-Bit-Bild, zum Beispiel ein gescanntes Logo oder ein Text) auf Seite ${page} hat in der platzierten Größe nur ${measured}, ` +
      `nötig sind ${expected}. Im Druck werden die Kanten treppig. Bitte scannen Sie die Vorlage mit höherer Auflösung oder verwenden Sie eine Vektorgrafik.`,
  }),

  bitmapResolutionWarning: (page: number, measured: string, expected: string): Text => ({
    title: "Strichbild-Auflösung knapp",
    message:
      `Ein Strichbild (1-Bit-Bild) auf Seite ${page} hat in der platzierten Größe ${measured}, empfohlen sind ${expected}. ` +
      "Feine Kanten können im Druck leicht treppig wirken. Wenn möglich, verwenden Sie eine höher aufgelöste Vorlage oder eine Vektorgrafik.",
  }),

  deviceIndependentColour: (page: number, colour: string): Text => ({
    title: "RGB- oder geräteunabhängige Farbe",
    message:
      `Auf Seite ${page} sind Inhalte in ${colour} angelegt. Für dieses Druckverfahren müssen alle Farben in CMYK oder als Sonderfarbe vorliegen. ` +
      "Sonst werden sie erst beim Druck umgerechnet, und Farben können sich deutlich verändern. " +
      "Bitte wandeln Sie die Farben beim PDF-Export in CMYK um, mit dem Ausgabeprofil, das wir für Ihren Auftrag angeben.",
  }),

  tooManySpotColours: (count: number, names: string, max: number): Text => ({
    title: "Zu viele Sonderfarben",
    message:
      `Die Datei verwendet ${count} Sonderfarben (${names}), ` +
      (max === 0 ? "für dieses Druckverfahren sind aber keine Sonderfarben vorgesehen. " : `erlaubt sind höchstens ${max}. `) +
      "Jede Sonderfarbe braucht eine eigene Druckplatte. Bitte wandeln Sie nicht bestellte Sonderfarben in CMYK um.",
  }),

  spotColourAll: (page: number): Text => ({
    title: "Passerfarbe „All“ im Inhalt",
    message:
      `Auf Seite ${page} ist Inhalt in der Farbe „All“ (Passerfarbe) angelegt. Diese Farbe druckt auf allen Druckplatten mit ` +
      "und ist nur für Schnitt- und Passermarken gedacht. Bitte färben Sie diese Inhalte in einer normalen Farbe ein.",
  }),

  rgbTransparencyGroup: (page: number): Text => ({
    title: "Transparenz in RGB verrechnet",
    message:
      `Auf Seite ${page} werden Transparenzen (zum Beispiel Schatten oder Deckkraft) in einem RGB-Farbraum verrechnet. ` +
      "Dadurch können sich Farben im Druck verschieben. Bitte stellen Sie im Layoutprogramm den Transparenz-Füllraum auf CMYK um.",
  }),

  whiteTextOverprint: (page: number): Text => ({
    title: "Weißer Text auf Überdrucken",
    message:
      `Auf Seite ${page} ist weißer Text auf „Überdrucken“ gestellt. Im Druck verschwindet dieser Text, ` +
      "weil Weiß nicht gedruckt wird und die Farbe darunter stehen bleibt. Bitte schalten Sie „Überdrucken“ für diesen Text aus.",
  }),

  whitePathOverprint: (page: number): Text => ({
    title: "Weiße Fläche oder Linie auf Überdrucken",
    message:
      `Auf Seite ${page} ist eine weiße Fläche oder Linie auf „Überdrucken“ gestellt. Im Druck verschwindet sie, ` +
      "weil Weiß nicht gedruckt wird und die Farbe darunter stehen bleibt. Bitte schalten Sie „Überdrucken“ für dieses Objekt aus.",
  }),

  blackTextKnockout: (page: number, measured: string, limit: string): Text => ({
    title: "Kleiner schwarzer Text überdruckt nicht",
    message:
      `Schwarzer Text auf Seite ${page} (${measured}, kleiner als ${limit}) spart die Farben darunter aus, statt sie zu überdrucken. ` +
      "Schon kleine Passerschwankungen erzeugen dann weiße Ränder (Blitzer) an den Buchstaben. " +
      "Bitte stellen Sie schwarzen Text auf „Überdrucken“.",
  }),

  blackLineKnockout: (page: number, measured: string, limit: string): Text => ({
    title: "Dünne schwarze Linie überdruckt nicht",
    message:
      `Eine schwarze Linie auf Seite ${page} (${measured}, dünner als ${limit}) spart die Farben darunter aus, statt sie zu überdrucken. ` +
      "Schon kleine Passerschwankungen erzeugen dann weiße Ränder (Blitzer) an der Linie. Bitte stellen Sie schwarze Linien auf „Überdrucken“.",
  }),

  smallMultiInkText: (page: number, measured: string, expected: string): Text => ({
    title: "Kleiner Text aus mehreren Druckfarben",
    message:
      `Text auf Seite ${page} ist nur ${measured} groß und aus mehreren Druckfarben aufgebaut. Bei so kleiner Schrift ` +
      "genügen geringe Passerschwankungen, und die Buchstaben wirken unscharf oder farbig umrandet. " +
      `Bitte setzen Sie kleinen Text in nur einer Druckfarbe, zum Beispiel 100 % Schwarz, oder vergrößern Sie ihn auf ${expected}.`,
  }),

  smallWhiteText: (page: number, measured: string, expected: string): Text => ({
    title: "Kleiner weißer Text",
    message:
      `Weißer Text auf Seite ${page} ist nur ${measured} groß. Feine weiße Schrift auf farbigem Grund läuft im Druck leicht zu ` +
      `und wird schwer lesbar. Bitte vergrößern Sie den Text auf ${expected} oder wählen Sie einen kräftigeren Schriftschnitt.`,
  }),

  richBlackSmallText: (page: number, measured: string): Text => ({
    title: "Kleiner Text in tiefem Schwarz",
    message:
      `Text auf Seite ${page} (${measured}) ist in Schwarz mit zusätzlichen Druckfarben angelegt (tiefes Schwarz). ` +
      "Bei kleiner Schrift erzeugen Passerschwankungen farbige Ränder. Bitte setzen Sie Text unter 12 pt in reinem Schwarz (nur 100 % K).",
  }),

  thinMultiInkLine: (page: number, measured: string, expected: string): Text => ({
    title: "Dünne Linie aus mehreren Druckfarben",
    message:
      `Eine Linie oder schmale Fläche auf Seite ${page} ist nur ${measured} dick und aus mehreren Druckfarben aufgebaut. ` +
      `Passerschwankungen lassen sie im Druck unscharf oder farbig umrandet erscheinen. Bitte verwenden Sie nur eine Druckfarbe oder machen Sie sie ${expected} dick.`,
  }),

  thinWhiteLine: (page: number, measured: string, expected: string): Text => ({
    title: "Dünne weiße Linie",
    message:
      `Eine weiße Linie oder schmale Fläche auf Seite ${page} ist nur ${measured} dick. Sie kann im Druck zulaufen und verschwinden. ` +
      `Bitte machen Sie sie ${expected} dick.`,
  }),

  emptyPage: (page: number): Text => ({
    title: "Leere Seite",
    message:
      `Seite ${page} enthält keinen sichtbaren Inhalt. Ist die Seite absichtlich leer (zum Beispiel eine Vakatseite), ` +
      "können Sie diesen Hinweis übergehen. Sonst prüfen Sie bitte, ob beim Export Inhalte verloren gegangen sind.",
  }),

  inkNotChecked: (): Text => ({
    title: "Gesamtfarbauftrag nicht geprüft",
    message:
      "Der Gesamtfarbauftrag (die Summe aller Druckfarben an einer Stelle) lässt sich nur an der gerasterten Seite messen " +
      "und wurde deshalb nicht geprüft. Bitte achten Sie beim Export darauf, das Ausgabeprofil Ihres Druckverfahrens zu verwenden.",
  }),
};
