// Arranges a preflight report for the report page: findings by page with
// numbers that match the marks on the page pictures. Runs in the browser too.

import type { Finding, PageGeometry, Severity } from "~/preflight";

export interface NumberedFinding {
  /** Number of the finding in the report, shown beside its marked area. */
  number: number;
  finding: Finding;
}

export interface ReportPage {
  /** 1-based page number. */
  number: number;
  /** Page boxes from the report, or null for runs stored without geometry. */
  geometry: PageGeometry | null;
  findings: NumberedFinding[];
}

export interface ReportLayout {
  /** Findings about the whole file, without a page. */
  documentFindings: Finding[];
  pages: ReportPage[];
  severityCounts: Record<Severity, number>;
}

/**
 * Lays out every page of the file, from 1 to the page count, with the
 * findings of each page numbered in page order. A finding whose page number
 * is not a page of the file counts as a finding about the whole file.
 */
export function layOutReport(findings: Finding[], pageCount: number | null, pages: PageGeometry[]): ReportLayout {
  const lastPage = Math.max(pageCount ?? 0, pages.length);
  const geometryByPage = new Map(pages.map((page) => [page.number, page]));
  const reportPages: ReportPage[] = [];
  for (let number = 1; number <= lastPage; number++) {
    reportPages.push({ number, geometry: geometryByPage.get(number) ?? null, findings: [] });
  }

  const documentFindings: Finding[] = [];
  const severityCounts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const finding of findings) {
    severityCounts[finding.severity] += 1;
    const page = finding.page === undefined ? undefined : reportPages[finding.page - 1];
    if (page) page.findings.push({ number: 0, finding });
    else documentFindings.push(finding);
  }

  let number = 0;
  for (const page of reportPages) {
    for (const entry of page.findings) entry.number = ++number;
  }
  return { documentFindings, pages: reportPages, severityCounts };
}

export interface OverlayRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Smallest width and height of a mark in CSS pixels, so that an area as thin as a hairline stays visible. */
const MIN_MARK_SIZE = 6;

/**
 * Turns two opposite corners [x1, y1, x2, y2] in viewport pixels into a
 * rectangle for the SVG overlay. The corners may come in any order, because
 * the viewport flips the y axis and may rotate the page. A very small area
 * grows around its centre to MIN_MARK_SIZE.
 */
export function toOverlayRect([x1, y1, x2, y2]: number[]): OverlayRect {
  let x = Math.min(x1, x2);
  let y = Math.min(y1, y2);
  let width = Math.abs(x2 - x1);
  let height = Math.abs(y2 - y1);
  if (width < MIN_MARK_SIZE) {
    x -= (MIN_MARK_SIZE - width) / 2;
    width = MIN_MARK_SIZE;
  }
  if (height < MIN_MARK_SIZE) {
    y -= (MIN_MARK_SIZE - height) / 2;
    height = MIN_MARK_SIZE;
  }
  return { x, y, width, height };
}

/** Counts findings in German: "1 Fehler, 2 Warnungen, keine Hinweise". */
export function describeSeverityCounts(counts: Record<Severity, number>): string {
  const parts = [
    counts.error === 0 ? "keine Fehler" : `${counts.error} Fehler`,
    counts.warning === 0 ? "keine Warnungen" : `${counts.warning} ${counts.warning === 1 ? "Warnung" : "Warnungen"}`,
    counts.info === 0 ? "keine Hinweise" : `${counts.info} ${counts.info === 1 ? "Hinweis" : "Hinweise"}`,
  ];
  return parts.join(", ");
}
