// Effective image resolution: pixels per inch as placed on the page (after the CTM of nested forms).

import type { ContentEvent } from "../content/events";
import { formatPpi } from "../format";
import { contentTexts } from "../messages-content";
import type { PreflightProfile } from "../profiles";
import type { Finding } from "../types";
import { roundBox, type ContentCheck } from "./content-findings";

/** One finding per image placement whose resolution is at or below the profile's limits. */
export class ImageResolutionCheck implements ContentCheck {
  private findings: Finding[] = [];

  constructor(private readonly profile: PreflightProfile) {}

  /** Images inside soft masks count too: a coarse mask shows as jagged transparency edges. */
  onEvent(event: ContentEvent, page: number): void {
    if (event.kind !== "image") return;
    const exempt = this.profile.images.exemptAtOrBelowPixels;
    if (event.width <= exempt || event.height <= exempt) return;

    // The smaller of both axes decides: a stretched image is only as sharp as its coarser direction.
    const ppi = Math.round(Math.min(event.ppiX, event.ppiY));
    if (!Number.isFinite(ppi)) return;

    const bitmap = event.imageMask || event.bitsPerComponent === 1;
    const limits = bitmap ? this.profile.images.bitmap : this.profile.images.continuousTone;
    if (ppi > limits.warningAtOrBelow) return;

    const severity = ppi <= limits.errorAtOrBelow ? "error" : "warning";
    const measured = formatPpi(ppi);
    const expected = `mindestens ${formatPpi(limits.warningAtOrBelow + 1)}`;
    const text = describe(bitmap, severity, page, measured, expected);

    this.findings.push({
      check: bitmap ? "images.bitmap-resolution-low" : "images.resolution-low",
      severity,
      page,
      measured,
      expected,
      area: roundBox(event.box),
      ...text,
    });
  }

  endPage(): Finding[] {
    const findings = this.findings;
    this.findings = [];
    return findings;
  }
}

function describe(bitmap: boolean, severity: "error" | "warning", page: number, measured: string, expected: string) {
  if (bitmap && severity === "error") return contentTexts.bitmapResolutionError(page, measured, expected);
  if (bitmap) return contentTexts.bitmapResolutionWarning(page, measured, expected);
  if (severity === "error") return contentTexts.imageResolutionError(page, measured, expected);
  return contentTexts.imageResolutionWarning(page, measured, expected);
}
