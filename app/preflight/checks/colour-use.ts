// Colour by use: only colour that is actually painted counts, not colour spaces that merely sit in the resources.

import { PROCESS_COLOURANTS, type ColourSpace } from "../content/colour-space";
import type { ContentEvent, PaintEvent } from "../content/events";
import { contentTexts } from "../messages-content";
import type { PreflightProfile } from "../profiles";
import type { Finding } from "../types";
import { PageAggregator, roundBox, type ContentCheck } from "./content-findings";

/** German names of the colour kinds that a CMYK print process cannot take as they are. */
const DEVICE_INDEPENDENT_LABELS: Record<string, string> = {
  DeviceRGB: "RGB",
  CalRGB: "kalibriertem RGB (CalRGB)",
  CalGray: "kalibriertem Grau (CalGray)",
  Lab: "Lab",
  ICCBased: "ICC-basiertem RGB",
};

const NOT_SPOT_COLOURANTS = new Set([...PROCESS_COLOURANTS, "None", "All"]);

export class ColourUseCheck implements ContentCheck {
  private readonly page = new PageAggregator();
  /** Spot colour names in order of first use, with the page of first use. */
  private readonly spotColours = new Map<string, number>();

  constructor(private readonly profile: PreflightProfile) {}

  onEvent(event: ContentEvent, page: number): void {
    if (event.inSoftMask) return;
    if (event.kind === "group") {
      if (event.colourSpace && isRgb(event.colourSpace)) this.page.add("colour.transparency-group-rgb", "warning", event.box);
      return;
    }

    for (const space of paintedSpaces(event)) {
      const family = deviceIndependentFamily(space);
      if (family && !this.profile.colour.allowDeviceIndependent) this.page.add(`colour.device-independent ${family}`, "error", event.box);

      for (const name of colourantsOf(space)) {
        if (name === "All") this.page.add("colour.spot-all", "warning", event.box);
        else if (!NOT_SPOT_COLOURANTS.has(name) && !this.spotColours.has(name)) this.spotColours.set(name, page);
      }
    }
  }

  endPage(page: number): Finding[] {
    return this.page.drain((key, severity, area) => {
      const [check, family] = key.split(" ");
      const base = { check, severity, page, area: roundBox(area) };
      if (check === "colour.device-independent") {
        const label = DEVICE_INDEPENDENT_LABELS[family] ?? family;
        return { ...base, measured: label, expected: "CMYK, Graustufen oder Sonderfarbe", ...contentTexts.deviceIndependentColour(page, label) };
      }
      if (check === "colour.spot-all") return { ...base, measured: "All", ...contentTexts.spotColourAll(page) };
      return { ...base, measured: "RGB", expected: "CMYK", ...contentTexts.rgbTransparencyGroup(page) };
    });
  }

  endDocument(): Finding[] {
    const max = this.profile.colour.maxSpotColours;
    const names = [...this.spotColours.keys()];
    if (names.length <= max) return [];

    // The finding points to the page where the first spot colour past the limit appears.
    const page = this.spotColours.get(names[max]);
    return [
      {
        check: "colour.spot-colours-too-many",
        severity: "error",
        page,
        measured: `${names.length} Sonderfarben`,
        expected: `höchstens ${max}`,
        ...contentTexts.tooManySpotColours(names.length, names.map((name) => `„${name}“`).join(", "), max),
      },
    ];
  }
}

/** Returns the colour spaces that a paint event prints with. */
export function paintedSpaces(event: PaintEvent): ColourSpace[] {
  const state = event.state;
  switch (event.kind) {
    case "fill":
      return [state.fillSpace];
    case "stroke":
      return [state.strokeSpace];
    case "text":
      return [...(textFills(event.renderMode) ? [state.fillSpace] : []), ...(textStrokes(event.renderMode) ? [state.strokeSpace] : [])];
    case "image":
      // An image mask paints in the fill colour.
      if (event.imageMask) return [state.fillSpace];
      return event.colourSpace ? [event.colourSpace] : [];
    case "shading":
      return event.colourSpace ? [event.colourSpace] : [];
  }
}

/** Text render modes 0, 2, 4 and 6 fill the glyphs (PDF 32000-1:2008, table 106). */
export function textFills(renderMode: number): boolean {
  return renderMode === 0 || renderMode === 2 || renderMode === 4 || renderMode === 6;
}

/** Text render modes 1, 2, 5 and 6 stroke the glyph outlines. */
export function textStrokes(renderMode: number): boolean {
  return renderMode === 1 || renderMode === 2 || renderMode === 5 || renderMode === 6;
}

/**
 * Returns the family that makes a colour space device independent or RGB, looking through Indexed and
 * Pattern bases. ICC-based gray and CMYK are accepted: they print as their process inks, as PDF/X allows.
 */
function deviceIndependentFamily(space: ColourSpace): string | undefined {
  if (space.family === "Indexed" || space.family === "Pattern") return space.base ? deviceIndependentFamily(space.base) : undefined;
  if (space.family === "ICCBased" && space.components !== 3) return undefined;
  return space.family in DEVICE_INDEPENDENT_LABELS ? space.family : undefined;
}

function colourantsOf(space: ColourSpace): string[] {
  if (space.family === "Separation" || space.family === "DeviceN") return space.colourants ?? [];
  if ((space.family === "Indexed" || space.family === "Pattern") && space.base) return colourantsOf(space.base);
  return [];
}

function isRgb(space: ColourSpace): boolean {
  if (space.family === "DeviceRGB" || space.family === "CalRGB") return true;
  return space.family === "ICCBased" && space.components === 3;
}
