import { desc, eq } from "drizzle-orm";
import * as v from "valibot";

import type { Database } from "~/db/client.server";
import { preflightRuns } from "~/db/schema";
import { getProfile, isProfileId, type PageGeometry } from "~/preflight";

const boxSchema = v.tuple([v.number(), v.number(), v.number(), v.number()]);

const pageGeometrySchema = v.object({
  number: v.pipe(v.number(), v.integer(), v.minValue(1)),
  mediaBox: boxSchema,
  trimBox: v.optional(boxSchema),
  bleedBox: v.optional(boxSchema),
  rotate: v.number(),
});

/**
 * Loads the newest preflight run of a file, with the report's page geometry
 * and profile. Runs stored before those columns existed, or with geometry
 * that does not parse, get an empty page list and no profile, and the report
 * page then takes each page's size from pdf.js.
 */
export async function getLatestPreflightRun(db: Database, fileId: string) {
  const run = await db
    .select()
    .from(preflightRuns)
    .where(eq(preflightRuns.fileId, fileId))
    .orderBy(desc(preflightRuns.createdAt))
    .get();
  if (!run) return undefined;

  // Read through an optional view, so that this module also works against a schema without the columns.
  const stored = run as typeof run & { pages?: unknown; profile?: unknown };
  return {
    id: run.id,
    state: run.state,
    verdict: run.verdict,
    pageCount: run.pageCount,
    findings: run.findings ?? [],
    engineVersion: run.engineVersion,
    profile: typeof stored.profile === "string" ? stored.profile : null,
    pages: parsePages(stored.pages, run.id),
    createdAt: run.createdAt,
    finishedAt: run.finishedAt,
  };
}

export type StoredPreflightRun = NonNullable<Awaited<ReturnType<typeof getLatestPreflightRun>>>;

/** Returns the German name of a profile id, the id itself when it is unknown, or null without one. */
export function describeProfile(profile: string | null): string | null {
  if (profile === null) return null;
  return isProfileId(profile) ? getProfile(profile).name : profile;
}

function parsePages(value: unknown, runId: string): PageGeometry[] {
  if (value === null || value === undefined) return [];
  const parsed = v.safeParse(v.array(pageGeometrySchema), value);
  if (parsed.success) return parsed.output;

  console.warn("report: stored page geometry is invalid, ignored", { runId, issue: parsed.issues[0].message });
  return [];
}
