import type { Finding, PreflightReport } from "../types";

/**
 * Findings that `listChecks` leaves out: every report carries "ink.not-checked", and most test
 * pages are blank on purpose, so "page.empty" would show up in every test. content.test.ts
 * asserts both with `findingsOf`.
 */
const OMITTED_BY_LIST_CHECKS = new Set(["ink.not-checked", "page.empty"]);

/** Lists "check:severity" for every finding except those in OMITTED_BY_LIST_CHECKS, for compact assertions. */
export function listChecks(report: PreflightReport): string[] {
  return report.findings.filter((finding) => !OMITTED_BY_LIST_CHECKS.has(finding.check)).map((finding) => `${finding.check}:${finding.severity}`);
}

export function findingsOf(report: PreflightReport, check: string): Finding[] {
  return report.findings.filter((finding) => finding.check === check);
}
