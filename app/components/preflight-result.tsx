import type { PreflightState, PreflightVerdict } from "~/db/values";
import { messages, preflightStateLabels, preflightVerdictLabels } from "~/messages";
import type { Finding } from "~/preflight";

import { FindingText } from "./finding-text";

export interface PreflightRunView {
  state: PreflightState;
  verdict: PreflightVerdict | null;
  pageCount: number | null;
  findings: Finding[] | null;
  /** Reason of a failed run; null for customers, who see a general message. */
  error?: string | null;
  progressPages?: number | null;
  progressTotal?: number | null;
}

const SEVERITY_ORDER: Record<Finding["severity"], number> = { error: 0, warning: 1, info: 2 };


/**
 * Shows the check result of one print file: the verdict, then each finding
 * with page and values. Staff see the reason of a failed run.
 */
export function PreflightResult({ run, staff = false }: { run: PreflightRunView | null; staff?: boolean }) {
  if (!run || run.state === "queued" || run.state === "running") {
    const label = run?.state === "running" ? preflightStateLabels.running : preflightStateLabels.queued;
    const progress =
      run?.state === "running" && run.progressPages != null && run.progressTotal
        ? ` ${messages.preflightProgress(run.progressPages, run.progressTotal)}`
        : "";
    return (
      <p className="preflight preflight-pending" role="status">
        {label} …{progress}
      </p>
    );
  }

  if (run.state === "failed" || !run.verdict) {
    if (!staff) {
      return (
        <p className="preflight preflight-error" role="status">
          {messages.preflightFailedCustomer}
        </p>
      );
    }
    return (
      <div className="preflight preflight-error" role="status">
        <p className="preflight-verdict">{messages.preflightFailedStaff}</p>
        {run.error ? <p>{run.error}</p> : null}
      </div>
    );
  }

  // Errors first, then warnings, then notes; the order within each severity stays the engine's.
  const findings = (run.findings ?? []).toSorted((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  return (
    <div className={`preflight preflight-${run.verdict}`} role="status">
      <p className="preflight-verdict">
        {preflightVerdictLabels[run.verdict]}
        {run.pageCount !== null ? (
          <span className="preflight-pages">
            {" "}
            · {run.pageCount} {run.pageCount === 1 ? "Seite" : "Seiten"}
          </span>
        ) : null}
      </p>
      {findings.length > 0 ? (
        <ul className="findings">
          {findings.map((finding, index) => (
            <li key={`${finding.check}-${finding.page ?? 0}-${index}`} className={`finding finding-${finding.severity}`}>
              <FindingText finding={finding} showPage />
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
