import type { Finding, PreflightReport } from "../types";

/** Lists "check:severity" for every finding, for compact assertions. */
export function listChecks(report: PreflightReport): string[] {
  return report.findings.map((finding) => `${finding.check}:${finding.severity}`);
}

export function findingsOf(report: PreflightReport, check: string): Finding[] {
  return report.findings.filter((finding) => finding.check === check);
}
