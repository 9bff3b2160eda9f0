// Small text and thin lines in several inks or in white, which misregistration or dot gain make unreadable.

import { inksOf, isWhite, usedInks } from "../content/colour-space";
import type { ContentEvent } from "../content/events";
import { formatPt } from "../format";
import { contentTexts } from "../messages-content";
import type { PreflightProfile } from "../profiles";
import type { Finding } from "../types";
import { PageAggregator, roundBox, type ContentCheck } from "./content-findings";
import { fillColour, strokeColour, textColours, type PaintedColour } from "./overprint";

/** Text in black with other inks below this size (pt) is a warning; the Ghent Workgroup's guideline for rich black text. */
const RICH_BLACK_TEXT_BELOW_PT = 12;

export class SmallContentCheck implements ContentCheck {
  private readonly page = new PageAggregator();

  constructor(private readonly profile: PreflightProfile) {}

  onEvent(event: ContentEvent): void {
    if (event.inSoftMask) return;
    if (event.kind === "text") {
      for (const colour of textColours(event.state, event.renderMode)) this.checkText(colour, event.fontSize, event.box);
      return;
    }
    if (event.kind === "stroke") {
      this.checkLine(strokeColour(event.state), event.lineWidth, event.box);
      return;
    }
    if (event.kind === "fill" && event.rectangleThickness !== undefined) {
      this.checkLine(fillColour(event.state), event.rectangleThickness, event.box);
    }
  }

  private checkText(colour: PaintedColour, size: number, box: [number, number, number, number]): void {
    const small = size < this.profile.text.minMultiInkOrWhiteSizePt;
    const inkCount = usedInks(colour.space, colour.values).length;
    if (small && isWhite(colour.space, colour.values)) {
      this.page.add("text.small-white", "warning", box, size);
      return;
    }
    if (small && inkCount >= 2) {
      this.page.add("text.small-multi-ink", "warning", box, size);
      return;
    }
    const black = inksOf(colour.space, colour.values)?.get("Black") ?? 0;
    if (size < RICH_BLACK_TEXT_BELOW_PT && black >= 1 && inkCount >= 2) this.page.add("text.rich-black-small", "warning", box, size);
  }

  private checkLine(colour: PaintedColour, width: number, box: [number, number, number, number]): void {
    if (width >= this.profile.lines.minMultiInkOrWhiteWidthPt) return;
    if (isWhite(colour.space, colour.values)) this.page.add("lines.thin-white", "warning", box, width);
    else if (usedInks(colour.space, colour.values).length >= 2) this.page.add("lines.thin-multi-ink", "warning", box, width);
  }

  endPage(page: number): Finding[] {
    const textMinimum = `mindestens ${formatPt(this.profile.text.minMultiInkOrWhiteSizePt)}`;
    const lineMinimum = `mindestens ${formatPt(this.profile.lines.minMultiInkOrWhiteWidthPt)}`;
    return this.page.drain((check, severity, box, value) => {
      const measured = formatPt(value);
      const base = { check, severity, page, area: roundBox(box), measured };
      switch (check) {
        case "text.small-white":
          return { ...base, expected: textMinimum, ...contentTexts.smallWhiteText(page, measured, textMinimum) };
        case "text.small-multi-ink":
          return { ...base, expected: textMinimum, ...contentTexts.smallMultiInkText(page, measured, textMinimum) };
        case "text.rich-black-small":
          return { ...base, expected: "nur Schwarz (100 % K)", ...contentTexts.richBlackSmallText(page, measured) };
        case "lines.thin-white":
          return { ...base, expected: lineMinimum, ...contentTexts.thinWhiteLine(page, measured, lineMinimum) };
        default:
          return { ...base, expected: lineMinimum, ...contentTexts.thinMultiInkLine(page, measured, lineMinimum) };
      }
    });
  }
}
