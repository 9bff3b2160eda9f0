import type { Finding } from "~/preflight";

const SEVERITY_LABELS: Record<Finding["severity"], string> = {
  error: "Fehler",
  warning: "Warnung",
  info: "Hinweis",
};

/** Shows one finding: severity and title, the page when given, the explanation, and the measured and expected values. */
export function FindingText({ finding, showPage = false }: { finding: Finding; showPage?: boolean }) {
  return (
    <>
      <strong>
        {SEVERITY_LABELS[finding.severity]}: {finding.title}
      </strong>
      {showPage && finding.page !== undefined ? <span> (Seite {finding.page})</span> : null}
      <p>{finding.message}</p>
      {finding.measured || finding.expected ? (
        <p className="finding-values">
          {finding.measured ? <>Gemessen: {finding.measured}</> : null}
          {finding.measured && finding.expected ? " · " : null}
          {finding.expected ? <>Erwartet: {finding.expected}</> : null}
        </p>
      ) : null}
    </>
  );
}
