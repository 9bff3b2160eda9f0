// Runs the content-stream interpreter on each page and hands its events to the content checks.

import { ContentInterpreter } from "../content/interpreter";
import { contentTexts } from "../messages-content";
import type { PreflightProfile } from "../profiles";
import type { PdfDocument } from "../reader/document";
import type { PageEntry } from "../reader/pages";
import type { Box, Finding } from "../types";
import { ColourUseCheck } from "./colour-use";
import type { ContentCheck } from "./content-findings";
import { ImageResolutionCheck } from "./images";
import { OverprintCheck } from "./overprint";
import { SmallContentCheck } from "./small-content";

/** US Letter, for a page whose media box is missing, so its content can still be checked. */
const FALLBACK_MEDIA_BOX: Box = [0, 0, 612, 792];

export class ContentChecks {
  private readonly interpreter: ContentInterpreter;
  private readonly checks: ContentCheck[];

  constructor(document: PdfDocument, profile: PreflightProfile) {
    this.interpreter = new ContentInterpreter(document);
    this.checks = [new ImageResolutionCheck(profile), new ColourUseCheck(profile), new OverprintCheck(profile), new SmallContentCheck(profile)];
  }

  /** Interprets one page and returns its findings. */
  async checkPage(page: PageEntry, mediaBox: Box | undefined): Promise<Finding[]> {
    let markingEvents = 0;
    const unreadableBefore = this.interpreter.stats.unreadableStreams;
    await this.interpreter.runPage({ dict: page.dict, resources: page.resources, mediaBox: mediaBox ?? FALLBACK_MEDIA_BOX }, (event) => {
      if (event.kind !== "group" && !event.inSoftMask) markingEvents++;
      for (const check of this.checks) check.onEvent(event, page.number);
    });

    const findings = this.checks.flatMap((check) => check.endPage(page.number));
    // A page whose content could not be decoded (for example an unsupported filter) is not called empty.
    const unreadable = this.interpreter.stats.unreadableStreams > unreadableBefore;
    if (markingEvents === 0 && !unreadable) {
      findings.push({ check: "page.empty", severity: "warning", page: page.number, measured: "kein Inhalt", ...contentTexts.emptyPage(page.number) });
    }
    return findings;
  }

  /** Returns the findings about the whole document, after the last page. */
  finish(): Finding[] {
    const findings = this.checks.flatMap((check) => check.endDocument?.() ?? []);
    findings.push({ check: "ink.not-checked", severity: "info", measured: "nicht geprüft", ...contentTexts.inkNotChecked() });
    return findings;
  }
}
