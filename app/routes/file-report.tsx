import { useCallback, useState } from "react";
import { Link } from "react-router";

import { requireUser } from "~/auth/guard.server";
import { FindingText } from "~/components/finding-text";
import { ReportPages } from "~/components/report-pages";
import { cloudflareContext } from "~/cloudflare-context";
import { getDb } from "~/db/client.server";
import { requireFileAccess } from "~/files/access.server";
import { describeSeverityCounts, layOutReport, type NumberedFinding } from "~/files/report-layout";
import { describeProfile, getLatestPreflightRun } from "~/files/report.server";
import { formatBytes, formatDateTime, formatNumber } from "~/format";
import { messages, preflightStateLabels, preflightVerdictLabels } from "~/messages";
import { useOrderRoom } from "~/room/use-order-room";

import type { Route } from "./+types/file-report";
import reportStylesheet from "./file-report.css?url";

export const links: Route.LinksFunction = () => [{ rel: "stylesheet", href: reportStylesheet }];

export async function loader({ request, params, context }: Route.LoaderArgs) {
  const user = requireUser(context, request);
  const { env } = context.get(cloudflareContext);
  const db = getDb(env);
  const { file, order } = await requireFileAccess(db, user, params.fileId);
  const run = await getLatestPreflightRun(db, file.id);

  const finished = run?.state === "done" && run.verdict !== null;
  return {
    file: { id: file.id, name: file.originalName, size: file.size, createdAt: file.createdAt },
    order: { id: order.id, title: order.title, number: order.orderNumber ?? order.offerNumber },
    run: run
      ? {
          state: run.state,
          verdict: run.verdict,
          pageCount: run.pageCount,
          engineVersion: run.engineVersion,
          profileName: describeProfile(run.profile),
          finishedAt: run.finishedAt,
        }
      : null,
    // Laid out on the server, so that the page pictures get props that stay the same between renders.
    layout: finished && run ? layOutReport(run.findings, run.pageCount, run.pages) : null,
  };
}

export default function FileReport({ loaderData }: Route.ComponentProps) {
  const { file, order, run, layout } = loaderData;
  const fileUrl = `/dateien/${encodeURIComponent(file.id)}`;
  // Pages render lazily, so "Drucken" first renders every page and prints once all pictures are there.
  const [printRequested, setPrintRequested] = useState(false);
  const printReport = useCallback(() => {
    setPrintRequested(false);
    window.print();
  }, []);
  const hasPages = layout !== null && layout.pages.length > 0;

  return (
    <article className="report">
      <p className="report-back">
        <Link to={`/auftraege/${encodeURIComponent(order.id)}`}>← Zum Auftrag {formatNumber(order.number)}</Link>
      </p>
      <h1>Prüfbericht: {file.name}</h1>

      <section aria-labelledby="summary-heading" className="report-summary">
        <h2 id="summary-heading">Zusammenfassung</h2>
        <dl className="details">
          <dt>Datei</dt>
          <dd>{file.name}</dd>
          <dt>Größe</dt>
          <dd>{formatBytes(file.size)}</dd>
          <dt>Hochgeladen am</dt>
          <dd>{formatDateTime(file.createdAt)}</dd>
          <dt>Auftrag</dt>
          <dd>
            {order.title} {formatNumber(order.number)}
          </dd>
          <dt>Ergebnis</dt>
          <dd>
            {run?.state === "done" && run.verdict ? (
              <span className={`report-verdict report-verdict-${run.verdict}`}>{preflightVerdictLabels[run.verdict]}</span>
            ) : (
              describeRunState(run?.state)
            )}
          </dd>
          {run?.finishedAt ? (
            <>
              <dt>Geprüft am</dt>
              <dd>{formatDateTime(run.finishedAt)}</dd>
            </>
          ) : null}
          <dt>Prüfprofil</dt>
          <dd>{run?.profileName ?? "nicht gespeichert"}</dd>
          <dt>Prüfprogramm</dt>
          <dd>{run?.engineVersion ? `Version ${run.engineVersion}` : "nicht gespeichert"}</dd>
          <dt>Seiten</dt>
          <dd>{run?.pageCount ?? "unbekannt"}</dd>
          {layout ? (
            <>
              <dt>Befunde</dt>
              <dd>{describeSeverityCounts(layout.severityCounts)}</dd>
            </>
          ) : null}
        </dl>

        <p className="report-links">
          <a href={fileUrl} target="_blank" rel="noreferrer">
            PDF öffnen
          </a>
          <a href={`${fileUrl}?download=1`}>PDF herunterladen</a>
          {layout ? <a href={`${fileUrl}/bericht.json`}>JSON herunterladen</a> : null}
          <button
            type="button"
            className="button-link"
            disabled={printRequested}
            onClick={() => (hasPages ? setPrintRequested(true) : window.print())}
          >
            {printRequested ? "Seiten werden für den Druck vorbereitet …" : "Drucken"}
          </button>
        </p>

        {layout && layout.documentFindings.length > 0 ? (
          <>
            <h3>Befunde zur ganzen Datei</h3>
            <ul className="report-findings report-document-findings">
              {layout.documentFindings.map((finding, index) => (
                <li key={`${finding.check}-${index}`} className={`finding finding-${finding.severity}`}>
                  <FindingText finding={finding} />
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </section>

      {layout ? (
        <section aria-labelledby="pages-heading" className="report-pages">
          <h2 id="pages-heading">Seiten</h2>
          <ReportPages
            fileUrl={fileUrl}
            pages={layout.pages}
            renderFinding={renderNumberedFinding}
            renderAll={printRequested}
            onAllRendered={printReport}
          />
        </section>
      ) : (
        <p className="report-note" role="note">
          {run?.state === "failed" ? messages.reportFailed : messages.reportNotReady}
        </p>
      )}
      {!run || run.state === "queued" || run.state === "running" ? <ReloadWhenRoomReports orderId={order.id} /> : null}
    </article>
  );
}

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: loaderData ? `Prüfbericht ${loaderData.file.name}` : "Prüfbericht" }];
}

function renderNumberedFinding({ number, finding }: NumberedFinding) {
  return (
    <li key={number} value={number} className={`finding finding-${finding.severity}`} data-finding-number={number}>
      <FindingText finding={finding} />
      {finding.area ? null : <p className="muted">Keine Stelle auf der Seite markiert.</p>}
    </li>
  );
}

/** Reloads the report's data when the order room reports a change, so that a check still running shows its result when done. */
function ReloadWhenRoomReports({ orderId }: { orderId: string }) {
  useOrderRoom(orderId);
  return null;
}

function describeRunState(state: "queued" | "running" | "done" | "failed" | undefined): string {
  if (state === "running") return preflightStateLabels.running;
  if (state === "failed") return preflightStateLabels.failed;
  return preflightStateLabels.queued;
}
