// Overprint: white that overprints disappears in print, and small black that does not overprint shows flashes of white.

import { inksOf, isWhite, type ColourSpace } from "../content/colour-space";
import type { ContentEvent, PaintState } from "../content/events";
import { formatPt } from "../format";
import { contentTexts } from "../messages-content";
import type { PreflightProfile } from "../profiles";
import type { Finding } from "../types";
import { textFills, textStrokes } from "./colour-use";
import { PageAggregator, roundBox, type ContentCheck } from "./content-findings";

export interface PaintedColour {
  space: ColourSpace;
  values: number[];
  overprint: boolean;
}

export class OverprintCheck implements ContentCheck {
  private readonly page = new PageAggregator();

  constructor(private readonly profile: PreflightProfile) {}

  onEvent(event: ContentEvent): void {
    if (event.inSoftMask) return;
    if (event.kind === "text") {
      for (const colour of textColours(event.state, event.renderMode)) {
        if (isWhite(colour.space, colour.values) && colour.overprint) this.page.add("overprint.white-text", "error", event.box);
        const knocksOut = !overprintsEffectively(colour, event.state.overprintMode);
        if (isPureBlack(colour) && knocksOut && event.fontSize < this.profile.text.blackOverprintBelowPt) {
          this.page.add("overprint.black-text-knockout", "warning", event.box, event.fontSize);
        }
      }
      return;
    }

    if (event.kind === "fill") {
      const colour = fillColour(event.state);
      if (isWhite(colour.space, colour.values) && colour.overprint) this.page.add("overprint.white-path", "warning", event.box);
      return;
    }

    if (event.kind === "stroke") {
      const colour = strokeColour(event.state);
      if (isWhite(colour.space, colour.values) && colour.overprint) this.page.add("overprint.white-path", "warning", event.box);
      const knocksOut = !overprintsEffectively(colour, event.state.overprintMode);
      if (isPureBlack(colour) && knocksOut && event.lineWidth < this.profile.lines.blackOverprintBelowPt) {
        this.page.add("overprint.black-line-knockout", "warning", event.box, event.lineWidth);
      }
    }
  }

  endPage(page: number): Finding[] {
    const textLimit = formatPt(this.profile.text.blackOverprintBelowPt);
    const lineLimit = formatPt(this.profile.lines.blackOverprintBelowPt);
    return this.page.drain((check, severity, box, value) => {
      const base = { check, severity, page, area: roundBox(box) };
      switch (check) {
        case "overprint.white-text":
          return { ...base, measured: "Weiß, überdruckend", expected: "aussparend", ...contentTexts.whiteTextOverprint(page) };
        case "overprint.white-path":
          return { ...base, measured: "Weiß, überdruckend", expected: "aussparend", ...contentTexts.whitePathOverprint(page) };
        case "overprint.black-text-knockout":
          return { ...base, measured: formatPt(value), expected: "überdruckend", ...contentTexts.blackTextKnockout(page, formatPt(value), textLimit) };
        default:
          return { ...base, measured: formatPt(value), expected: "überdruckend", ...contentTexts.blackLineKnockout(page, formatPt(value), lineLimit) };
      }
    });
  }
}

export function fillColour(state: PaintState): PaintedColour {
  return { space: state.fillSpace, values: state.fillValues, overprint: state.fillOverprint };
}

export function strokeColour(state: PaintState): PaintedColour {
  return { space: state.strokeSpace, values: state.strokeValues, overprint: state.strokeOverprint };
}

/** Returns the colours that text in this render mode paints with. */
export function textColours(state: PaintState, renderMode: number): PaintedColour[] {
  const colours: PaintedColour[] = [];
  if (textFills(renderMode)) colours.push(fillColour(state));
  if (textStrokes(renderMode)) colours.push(strokeColour(state));
  return colours;
}

/** Returns whether the colour is black ink only: DeviceGray 0, CMYK 0 0 0 1 or a Black separation at 100 %. */
export function isPureBlack(colour: PaintedColour): boolean {
  const inks = inksOf(colour.space, colour.values);
  if (!inks || (inks.get("Black") ?? 0) < 1) return false;
  return [...inks].every(([name, tint]) => name === "Black" || tint <= 0);
}

/**
 * Returns whether the colour leaves the inks under it: overprint on, and for DeviceCMYK also
 * overprint mode 1, because with mode 0 the zero components of a DeviceCMYK colour still
 * knock out (PDF 32000-1:2008, section 8.6.7).
 */
export function overprintsEffectively(colour: PaintedColour, overprintMode: number): boolean {
  if (!colour.overprint) return false;
  return colour.space.family !== "DeviceCMYK" || overprintMode === 1;
}
