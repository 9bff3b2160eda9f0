import type { PreflightState, PreflightVerdict } from "~/db/values";
import { preflightStateLabels, preflightVerdictLabels } from "~/messages";
import type { Finding } from "~/preflight";

export interface PreflightRunView {
  state: PreflightState;
  verdict: PreflightVerdict | null;
  pageCount: number | null;
  findings: Finding[] | null;
}

const SEVERITY_LABELS: Record<Finding["severity"], string> = {
  error: "Fehler",
  warning: "Warnung",
  info: "Hinweis",
};

/** Shows the check result of one print file: the verdict, then each finding with page and values. */
export function PreflightResult({ run }: { run: PreflightRunView | null }) {
  if (!run || run.state === "queued" || run.state === "running") {
    const label = run?.state === "running" ? preflightStateLabels.running : preflightStateLabels.queued;
    return (
      <p className="preflight preflight-pending" role="status">
        {label} …
      </p>
    );
  }

  if (run.state === "failed" || !run.verdict) {
    return (
      <p className="preflight preflight-error" role="status">
        {preflightStateLabels.failed}. Bitte wenden Sie sich an die Druckvorstufe.
      </p>
    );
  }

  const findings = run.findings ?? [];
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
              <strong>
                {SEVERITY_LABELS[finding.severity]}: {finding.title}
              </strong>
              {finding.page !== undefined ? <span> (Seite {finding.page})</span> : null}
              <p>{finding.message}</p>
              {finding.measured || finding.expected ? (
                <p className="finding-values">
                  {finding.measured ? <>Gemessen: {finding.measured}</> : null}
                  {finding.measured && finding.expected ? " · " : null}
                  {finding.expected ? <>Erwartet: {finding.expected}</> : null}
                </p>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
