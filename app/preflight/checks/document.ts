// Document-level checks: PDF version, output intent, layers, JavaScript and actions, annotations
// and form fields, LZW compression, transfer functions and the order specification.

import { describePages, formatMm, formatSizeMm, pointsToMm } from "../format";
import { documentTexts } from "../messages-document";
import type { PreflightProfile } from "../profiles";
import { isFormatError } from "../reader/errors";
import { inflate } from "../reader/filters";
import { latin1 } from "../reader/lexer";
import type { PdfDocument } from "../reader/document";
import { PdfRef, PdfStream, dictOf, isName, nameValue, numberValue, type PdfObject } from "../reader/objects";
import type { PageEntry } from "../reader/pages";
import type { Finding, OrderSpecification } from "../types";
import { checkAnnotations } from "./document-annotations";
import { decodeTextString, readTrimBox, toArray, walkResources } from "./pdf-values";

/**
 * House rule: files before PDF 1.3 are a warning. PDF 1.3 introduced TrimBox and BleedBox, and
 * PDF/X-1a:2001 and PDF/X-3:2002 build on it.
 */
const MIN_PDF_VERSION = 1.3;
/** Order trim sizes may differ by this much, in millimetres. */
const ORDER_TRIM_TOLERANCE_MM = 0.5;
/** Raw bytes read from the start of an ICC profile stream to find its colour space field. */
const ICC_HEAD_BYTES = 4096;

/** Runs the document-level checks. `profile` is accepted for symmetry with the other checks; none of these thresholds depend on it yet. */
export async function checkDocument(
  document: PdfDocument,
  pages: PageEntry[],
  profile: PreflightProfile,
  order?: OrderSpecification,
): Promise<Finding[]> {
  void profile;
  const findings: Finding[] = [];
  const catalog = await document.getCatalog();

  findings.push(...(await checkPdfVersion(document, nameValue(await document.resolve(catalog.get("Version"))))));
  if (!(await hasCmykOutputIntent(document, catalog.get("OutputIntents")))) {
    findings.push({ check: "document.output-intent-missing", severity: "warning", expected: "PDF/X-Ausgabebedingung mit CMYK-Profil", ...documentTexts.outputIntentMissing() });
  }
  findings.push(...(await checkLayers(document, catalog.get("OCProperties"))));
  findings.push(...(await checkAnnotations(document, pages, catalog)));
  findings.push(...(await checkStreamsAndGraphicsStates(document, pages)));
  if (order) findings.push(...(await checkOrder(document, pages, order)));
  return findings;
}

async function checkPdfVersion(document: PdfDocument, catalogVersion: string | undefined): Promise<Finding[]> {
  let headerVersion: number | undefined;
  if (document.headerOffset >= 0) {
    const header = latin1(await document.reader.read(document.headerOffset, 16));
    const match = /^%PDF-(\d+\.\d+)/.exec(header);
    if (match) headerVersion = Number(match[1]);
  }

  // A catalog /Version overrides the header only when it is newer (PDF 32000-1:2008, section 7.7.2).
  const parsedCatalogVersion = catalogVersion !== undefined && /^\d+\.\d+$/.test(catalogVersion) ? Number(catalogVersion) : undefined;
  const versions = [headerVersion, parsedCatalogVersion].filter((value): value is number => value !== undefined);
  if (versions.length === 0) return [];

  const version = Math.max(...versions);
  if (version >= MIN_PDF_VERSION) return [];
  // Versions are names, not decimals, so German texts write them with a point as well ("PDF 1.3").
  const text = version.toFixed(1);
  return [
    {
      check: "document.pdf-version",
      severity: "warning",
      measured: `PDF ${text}`,
      expected: "mindestens PDF 1.3",
      ...documentTexts.pdfVersionOld(text),
    },
  ];
}

/** Checks whether /OutputIntents has a GTS_PDFX intent whose destination profile is a CMYK profile. */
async function hasCmykOutputIntent(document: PdfDocument, value: PdfObject | undefined): Promise<boolean> {
  const intents = await document.resolve(value);
  for (const item of toArray(intents ?? undefined)) {
    const intent = dictOf(await document.resolve(item));
    if (!intent || !isName(await document.resolve(intent.get("S")), "GTS_PDFX")) continue;
    const profileValue = intent.get("DestOutputProfile");
    const profile = await document.resolve(profileValue);
    const ref = profileValue instanceof PdfRef ? profileValue : undefined;
    if (profile instanceof PdfStream && (await isCmykProfile(document, profile, ref))) return true;
  }
  return false;
}

/**
 * Reads the ICC header's data colour space field (bytes 16 to 19, ICC.1:2010 section 7.2.6).
 * Only the first raw bytes are inflated; encrypted or otherwise filtered streams are decoded whole.
 */
async function isCmykProfile(document: PdfDocument, profile: PdfStream, ref: PdfRef | undefined): Promise<boolean> {
  if (numberValue(await document.resolve(profile.dict.get("N"))) === 4) return true;

  const head = await readProfileHead(document, profile);
  if (head && isIccHeader(head)) return latin1(head.subarray(16, 20)) === "CMYK";

  try {
    const data = await document.readStream(profile, ref);
    return isIccHeader(data) && latin1(data.subarray(16, 20)) === "CMYK";
  } catch (error) {
    // An unsupported filter or damaged data leaves the profile unreadable, which counts as no CMYK profile.
    if (isFormatError(error)) return false;
    throw error;
  }
}

async function readProfileHead(document: PdfDocument, profile: PdfStream): Promise<Uint8Array | undefined> {
  const filters = toArray(await document.resolve(profile.dict.get("Filter")));
  const length = numberValue(await document.resolve(profile.dict.get("Length")));
  const raw = await document.reader.read(profile.dataOffset, Math.min(length ?? ICC_HEAD_BYTES, ICC_HEAD_BYTES));
  if (filters.length === 0) return raw;
  if (filters.length === 1 && ["FlateDecode", "Fl"].includes(nameValue(filters[0]) ?? "")) return inflate(raw);
  return undefined;
}

/** Checks for the ICC profile signature "acsp" at byte 36. */
function isIccHeader(bytes: Uint8Array): boolean {
  return bytes.length >= 40 && latin1(bytes.subarray(36, 40)) === "acsp";
}

/** Reports layers hidden when the file opens, and once that the file has layers at all. */
async function checkLayers(document: PdfDocument, value: PdfObject | undefined): Promise<Finding[]> {
  const properties = dictOf(await document.resolve(value));
  if (!properties) return [];

  const groups = toArray(await document.resolve(properties.get("OCGs")));
  if (groups.length === 0) return [];

  const defaults = dictOf(await document.resolve(properties.get("D")));
  const baseStateOff = isName(await document.resolve(defaults?.get("BaseState")), "OFF");
  const onKeys = await collectRefKeys(document, defaults?.get("ON"));
  const offKeys = await collectRefKeys(document, defaults?.get("OFF"));

  const findings: Finding[] = [];
  const names: string[] = [];
  for (const group of groups) {
    const dict = dictOf(await document.resolve(group));
    const name = decodeTextString(await document.resolve(dict?.get("Name"))) || "ohne Namen";
    names.push(`„${name}“`);

    const key = refKey(group);
    const hidden = key !== undefined && (offKeys.has(key) || (baseStateOff && !onKeys.has(key)));
    if (hidden) {
      findings.push({ check: "document.layer-hidden", severity: "warning", measured: name, expected: "eingeblendet", ...documentTexts.layerHidden(name) });
    }
  }

  findings.unshift({
    check: "document.layers",
    severity: "info",
    measured: groups.length === 1 ? "1 Ebene" : `${groups.length} Ebenen`,
    ...documentTexts.layersPresent(names.join(", ")),
  });
  return findings;
}

function refKey(value: PdfObject | undefined): string | undefined {
  return value instanceof PdfRef ? value.key : undefined;
}

async function collectRefKeys(document: PdfDocument, value: PdfObject | undefined): Promise<Set<string>> {
  const keys = new Set<string>();
  for (const item of toArray(await document.resolve(value))) {
    const key = refKey(item);
    if (key !== undefined) keys.add(key);
  }
  return keys;
}

/** Looks for LZW-compressed content streams and XObjects, and for transfer functions in graphics states. */
async function checkStreamsAndGraphicsStates(document: PdfDocument, pages: PageEntry[]): Promise<Finding[]> {
  const lzwPages = new Set<number>();
  const transferPages = new Set<number>();

  for (const page of pages) {
    for (const item of toArray(await document.resolve(page.dict.get("Contents")))) {
      const stream = await document.resolve(item);
      if (stream instanceof PdfStream && (await usesLzw(document, stream))) lzwPages.add(page.number);
    }
  }

  await walkResources(
    document,
    pages,
    async (resources, pageNumber) => {
      const xobjects = dictOf(await document.resolve(resources.get("XObject")));
      for (const value of xobjects?.entries.values() ?? []) {
        const xobject = await document.resolve(value);
        if (xobject instanceof PdfStream && (await usesLzw(document, xobject))) lzwPages.add(pageNumber);
      }

      const states = dictOf(await document.resolve(resources.get("ExtGState")));
      for (const value of states?.entries.values() ?? []) {
        const state = dictOf(await document.resolve(value));
        if (state && (await hasTransferFunction(document, state.get("TR"), state.get("TR2")))) transferPages.add(pageNumber);
      }
    },
    true,
  );

  const findings: Finding[] = [];
  if (lzwPages.size > 0) {
    const pageText = describePages([...lzwPages]);
    findings.push({
      check: "document.lzw",
      severity: "warning",
      page: lzwPages.size === 1 ? [...lzwPages][0] : undefined,
      measured: "LZWDecode",
      expected: "FlateDecode oder unkomprimiert",
      ...documentTexts.lzw(pageText),
    });
  }
  if (transferPages.size > 0) {
    const pageText = describePages([...transferPages]);
    findings.push({
      check: "document.transfer-function",
      severity: "warning",
      page: transferPages.size === 1 ? [...transferPages][0] : undefined,
      measured: "Transferfunktion",
      expected: "keine Transferfunktion",
      ...documentTexts.transferFunction(pageText),
    });
  }
  return findings;
}

async function usesLzw(document: PdfDocument, stream: PdfStream): Promise<boolean> {
  const filters = toArray(await document.resolve(stream.dict.get("Filter")));
  for (const filter of filters) {
    const name = nameValue(await document.resolve(filter));
    if (name === "LZWDecode" || name === "LZW") return true;
  }
  return false;
}

/** /TR and /TR2 may be /Identity or /Default; anything else (a function or an array of four) changes tone values. */
async function hasTransferFunction(document: PdfDocument, ...values: (PdfObject | undefined)[]): Promise<boolean> {
  for (const value of values) {
    const resolved = await document.resolve(value);
    if (resolved === undefined || resolved === null) continue;
    if (isName(resolved, "Identity") || isName(resolved, "Default")) continue;
    return true;
  }
  return false;
}

/** Compares trim size and page count with the order; each mismatch is an error. */
async function checkOrder(document: PdfDocument, pages: PageEntry[], order: OrderSpecification): Promise<Finding[]> {
  const findings: Finding[] = [];
  const pageCount = pages.length;

  if (isPositive(order.pageCount) && pageCount !== order.pageCount) {
    findings.push({
      check: "order.page-count",
      severity: "error",
      measured: `${pageCount} Seiten`,
      expected: `${order.pageCount} Seiten`,
      ...documentTexts.orderPageCount(pageCount, order.pageCount),
    });
  }
  if (isPositive(order.pageCountMultiple) && pageCount % order.pageCountMultiple !== 0) {
    findings.push({
      check: "order.page-count-multiple",
      severity: "error",
      measured: `${pageCount} Seiten`,
      expected: `durch ${order.pageCountMultiple} teilbar`,
      ...documentTexts.orderPageMultiple(pageCount, order.pageCountMultiple),
    });
  }

  if (isPositive(order.trimWidthMm) && isPositive(order.trimHeightMm)) {
    const mismatch = await findTrimMismatches(document, pages, order.trimWidthMm, order.trimHeightMm);
    if (mismatch) {
      const expected = `${formatMm(order.trimWidthMm).replace(" mm", "")} × ${formatMm(order.trimHeightMm)}`;
      findings.push({
        check: "order.trim-size",
        severity: "error",
        page: mismatch.pages.length === 1 ? mismatch.pages[0] : undefined,
        measured: mismatch.size,
        expected,
        ...documentTexts.orderTrimSize(describePages(mismatch.pages), mismatch.size, expected),
      });
    }
  }
  return findings;
}

function isPositive(value: number | undefined): value is number {
  return typeof value === "number" && Number.isFinite(value) && value > 0;
}

/** Returns the pages whose trim size differs from the order and the size of the first of them. Pages without a trim box are left to the box check. */
async function findTrimMismatches(
  document: PdfDocument,
  pages: PageEntry[],
  widthMm: number,
  heightMm: number,
): Promise<{ pages: number[]; size: string } | undefined> {
  const mismatches: number[] = [];
  let size: string | undefined;

  for (const page of pages) {
    const trim = await readTrimBox(document, page);
    if (!trim) continue;
    const pageWidthMm = pointsToMm(trim[2] - trim[0]);
    const pageHeightMm = pointsToMm(trim[3] - trim[1]);
    const fits = (a: number, b: number) =>
      Math.abs(pageWidthMm - a) <= ORDER_TRIM_TOLERANCE_MM && Math.abs(pageHeightMm - b) <= ORDER_TRIM_TOLERANCE_MM;
    // Portrait and landscape are both accepted, so /Rotate does not matter here.
    if (fits(widthMm, heightMm) || fits(heightMm, widthMm)) continue;

    mismatches.push(page.number);
    size ??= formatSizeMm(trim[2] - trim[0], trim[3] - trim[1]);
  }
  return size === undefined ? undefined : { pages: mismatches, size };
}
