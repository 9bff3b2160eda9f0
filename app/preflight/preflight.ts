// Runs all checks on one PDF and turns every failure into a finding.

import { checkBoxes } from "./checks/boxes";
import { ContentChecks } from "./checks/content";
import { checkColourResources } from "./checks/colour-resources";
import { checkDocument } from "./checks/document";
import { checkFonts } from "./checks/fonts";
import { texts } from "./messages";
import { PdfDocument } from "./reader/document";
import { PasswordRequiredError, UnsupportedEncryptionError, isFormatError } from "./reader/errors";
import { yieldToEventLoop } from "./content/interpreter";
import { getProfile, type PreflightProfile } from "./profiles";
import { collectPages, type PageEntry } from "./reader/pages";
import { CachedReader } from "./reader/range-cache";
import type { Finding, OrderSpecification, PageGeometry, PreflightOptions, PreflightReport, RangeReader, Verdict } from "./types";

export const ENGINE_VERSION = "0.2.0";

/** Per check id, findings beyond this count are summarised in one info finding. */
const MAX_FINDINGS_PER_CHECK = 100;

/** Checks a PDF read through `reader`. Does not throw: read errors and engine faults become findings. */
export async function preflight(reader: RangeReader, options?: PreflightOptions): Promise<PreflightReport> {
  const profile = getProfile(options?.profile);
  const minBleedMm = readMinBleedMm(options, profile.minBleedMm);
  const findings: Finding[] = [];
  const pages: PageGeometry[] = [];
  let pageCount: number | null = null;

  try {
    pageCount = await runChecks(new CachedReader(reader), minBleedMm, findings, profile, options?.order, pages, options?.onProgress);
  } catch (error) {
    findings.push(describeFailure(error));
  }

  const limited = limitFindingsPerCheck(findings);
  return {
    verdict: computeVerdict(limited),
    pageCount,
    findings: limited,
    engineVersion: ENGINE_VERSION,
    profile: profile.id,
    pages,
  };
}

/** Returns the minimum bleed: the option when it is a valid number, else the profile's. */
function readMinBleedMm(options: PreflightOptions | undefined, profileMinBleedMm: number): number {
  const value = options?.minBleedMm;
  if (typeof value === "number" && Number.isFinite(value) && value >= 0) return value;
  return profileMinBleedMm;
}

/** Appends findings and returns the page count. Throws when the file cannot be opened. */
async function runChecks(
  reader: CachedReader,
  minBleedMm: number,
  findings: Finding[],
  profile: PreflightProfile,
  order: OrderSpecification | undefined,
  geometry: PageGeometry[],
  onProgress: PreflightOptions["onProgress"],
): Promise<number> {
  const document = await PdfDocument.open(reader);
  const pageTree = await collectPages(document);
  const pageCount = pageTree.pages.length;

  // The page tree may trigger the repair, so the repair finding is added only now.
  if (document.repaired) findings.push(describeRepair(document));
  if (pageTree.damaged) findings.push({ check: "pages.tree-damaged", severity: "warning", ...texts.pageTreeDamaged() });
  if (pageCount === 0) {
    findings.push({ check: "pages.none", severity: "error", measured: "0 Seiten", expected: "mindestens 1 Seite", ...texts.noPages() });
    return 0;
  }

  const boxes = await checkBoxes(document, pageTree.pages, minBleedMm);
  findings.push(...boxes.findings);
  geometry.push(...boxes.geometry);
  findings.push(...(await checkFonts(document, pageTree.pages)));
  findings.push(...(await checkDocument(document, pageTree.pages, profile, order)));
  findings.push(...(await checkColourResources(document, pageTree.pages, profile)));
  await checkContent(document, pageTree.pages, profile, geometry, findings, onProgress);

  // Objects read by the checks can still trigger the repair.
  if (document.repaired && !findings.some((finding) => finding.check.startsWith("file."))) {
    findings.unshift(describeRepair(document));
  }
  return pageCount;
}

/** Interprets the content of each page in order and reports progress after each one. */
async function checkContent(
  document: PdfDocument,
  pages: PageEntry[],
  profile: PreflightProfile,
  geometry: PageGeometry[],
  findings: Finding[],
  onProgress: PreflightOptions["onProgress"],
): Promise<void> {
  const contentChecks = new ContentChecks(document, profile);
  const mediaBoxes = new Map(geometry.map((page) => [page.number, page.mediaBox]));
  for (const page of pages) {
    findings.push(...(await contentChecks.checkPage(page, mediaBoxes.get(page.number))));
    await reportProgress(onProgress, page.number, pages.length);
    await yieldToEventLoop();
  }
  findings.push(...contentChecks.finish());
}

/** Calls the progress callback; its failure is logged and does not stop the check. */
async function reportProgress(onProgress: PreflightOptions["onProgress"], pagesDone: number, pageCount: number): Promise<void> {
  if (!onProgress) return;
  try {
    await onProgress(pagesDone, pageCount);
  } catch (error) {
    console.warn("preflight: onProgress failed", error instanceof Error ? error.message : String(error));
  }
}

/** Describes the repair: a repaired file without "%%EOF" at its end was cut off and may miss content, so that is an error. */
function describeRepair(document: PdfDocument): Finding {
  if (!document.hasEofMarker) return { check: "file.truncated", severity: "error", ...texts.fileTruncated() };
  return { check: "file.repaired", severity: "warning", ...texts.fileRepaired() };
}

function describeFailure(error: unknown): Finding {
  if (error instanceof PasswordRequiredError) return { check: "file.encrypted", severity: "error", ...texts.fileEncrypted() };
  if (error instanceof UnsupportedEncryptionError) {
    return { check: "file.encryption-unsupported", severity: "error", ...texts.encryptionUnsupported() };
  }
  if (isFormatError(error)) return { check: "file.unreadable", severity: "error", ...texts.fileUnreadable() };

  // NOTE: the report has no field for diagnostics, so the cause of an engine fault is logged here only.
  console.warn("preflight: engine.failed", error instanceof Error ? error.message : String(error));
  return { check: "engine.failed", severity: "error", ...texts.engineFailed() };
}

function limitFindingsPerCheck(findings: Finding[]): Finding[] {
  const counts = new Map<string, number>();
  const dropped = new Map<string, { count: number; title: string }>();
  const keptFindings: Finding[] = [];

  for (const finding of findings) {
    const count = (counts.get(finding.check) ?? 0) + 1;
    counts.set(finding.check, count);
    if (count <= MAX_FINDINGS_PER_CHECK) {
      keptFindings.push(finding);
      continue;
    }
    const entry = dropped.get(finding.check) ?? { count: 0, title: finding.title };
    entry.count++;
    dropped.set(finding.check, entry);
  }

  for (const [check, { count, title }] of dropped) {
    keptFindings.push({ check: `${check}.truncated`, severity: "info", ...texts.findingsTruncated(count, title) });
  }
  return keptFindings;
}

function computeVerdict(findings: Finding[]): Verdict {
  if (findings.some((finding) => finding.severity === "error")) return "error";
  if (findings.some((finding) => finding.severity === "warning")) return "warning";
  return "ok";
}
