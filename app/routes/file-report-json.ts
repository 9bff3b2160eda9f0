import { data } from "react-router";

import { requireUser } from "~/auth/guard.server";
import { cloudflareContext } from "~/cloudflare-context";
import { contentDisposition } from "~/content-disposition";
import { getDb } from "~/db/client.server";
import { requireFileAccess } from "~/files/access.server";
import { getLatestPreflightRun } from "~/files/report.server";
import { messages } from "~/messages";

import type { Route } from "./+types/file-report-json";

/** Sends the stored preflight report of a file as a JSON download. */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const user = requireUser(context, request);
  const { env } = context.get(cloudflareContext);
  const db = getDb(env);
  const { file } = await requireFileAccess(db, user, params.fileId);

  const run = await getLatestPreflightRun(db, file.id);
  if (!run || run.state !== "done" || !run.verdict) {
    const message = run?.state === "failed" ? messages.reportFailed : messages.reportNotReady;
    throw data({ message }, { status: 404 });
  }

  const report = {
    file: {
      name: file.originalName,
      size: file.size,
      sha256: file.sha256,
      uploadedAt: new Date(file.createdAt).toISOString(),
    },
    checkedAt: run.finishedAt === null ? null : new Date(run.finishedAt).toISOString(),
    verdict: run.verdict,
    pageCount: run.pageCount,
    findings: run.findings,
    engineVersion: run.engineVersion,
    profile: run.profile,
    pages: run.pages,
  };
  const stem = file.originalName.replace(/\.pdf$/i, "");
  return new Response(JSON.stringify(report, null, 2), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": contentDisposition("attachment", `${stem}-Datencheck.json`),
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
