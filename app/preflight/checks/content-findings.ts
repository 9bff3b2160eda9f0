// Shared parts of the checks that read the page content: the check interface and per-page
// aggregation, so that a page with a thousand small text runs gets one finding, not a thousand.

import type { ContentEvent } from "../content/events";
import { unionBox } from "../content/matrix";
import type { Box, Finding, Severity } from "../types";

export interface ContentCheck {
  onEvent(event: ContentEvent, page: number): void;
  /** Returns the findings of the page that has just been interpreted. */
  endPage(page: number): Finding[];
  /** Returns the findings that concern the whole document. */
  endDocument?(): Finding[];
}

interface Occurrence {
  severity: Severity;
  area: Box;
  /** The minimum measured value: the smallest size, width or resolution. */
  value: number;
}

/** Collects occurrences per check id on one page: the union of their areas and the smallest measured value. */
export class PageAggregator {
  private occurrences = new Map<string, Occurrence>();

  add(check: string, severity: Severity, area: Box, value = Number.POSITIVE_INFINITY): void {
    const existing = this.occurrences.get(check);
    if (!existing) {
      this.occurrences.set(check, { severity, area: [...area], value });
      return;
    }
    existing.area = unionBox(existing.area, area);
    existing.value = Math.min(existing.value, value);
    if (severity === "error") existing.severity = "error";
  }

  /** Builds one finding per check id and clears the page. */
  drain(build: (check: string, severity: Severity, area: Box, value: number) => Finding): Finding[] {
    const findings = [...this.occurrences].map(([check, occurrence]) => build(check, occurrence.severity, occurrence.area, occurrence.value));
    this.occurrences = new Map();
    return findings;
  }
}

/** Returns the area rounded to tenths of a point, so reports stay short. */
export function roundBox(box: Box): Box {
  return box.map((value) => Math.round(value * 10) / 10) as Box;
}
