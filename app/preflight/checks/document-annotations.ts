// Annotations, form fields, JavaScript and actions of a document.

import { documentTexts } from "../messages-document";
import type { PdfDocument } from "../reader/document";
import { PdfRef, dictOf, nameValue, numberValue, type PdfDict, type PdfObject } from "../reader/objects";
import type { PageEntry } from "../reader/pages";
import type { Finding } from "../types";
import { decodeTextString, intersectBoxes, readBleedBox, readBox, readTrimBox, toArray } from "./pdf-values";

/** Annotation types that belong in a print file or are never printed as content. */
const PRINT_ANNOTATION_TYPES = new Set(["Link", "PrinterMark", "TrapNet", "Popup"]);
/** Action types that start programs, send or load data (PDF 32000-1:2008, section 12.6.4). */
const RISKY_ACTION_TYPES = new Set(["Launch", "SubmitForm", "ImportData"]);
/** Annotation flag "Print", bit position 3 (PDF 32000-1:2008, table 165). */
const PRINT_FLAG = 1 << 2;
/** Bounds for walking /Next chains and field trees in damaged or hostile files. */
const MAX_ACTIONS = 1000;
const MAX_FIELD_DEPTH = 32;
const MAX_FIELDS = 10_000;

/** Collects the action types found while walking, so that each is reported once per document. */
class ActionCollector {
  readonly kinds = new Set<string>();
  private readonly seen = new Set<string>();
  private visited = 0;

  constructor(private readonly document: PdfDocument) {}

  /** Follows an action and its /Next chain (a dictionary or an array of them). */
  async add(value: PdfObject | undefined): Promise<void> {
    const pending: (PdfObject | undefined)[] = [value];
    while (pending.length > 0 && this.visited < MAX_ACTIONS) {
      const item = pending.pop();
      if (item instanceof PdfRef) {
        if (this.seen.has(item.key)) continue;
        this.seen.add(item.key);
      }
      const resolved = await this.document.resolve(item);
      if (Array.isArray(resolved)) {
        pending.push(...resolved);
        continue;
      }
      const action = dictOf(resolved);
      if (!action) continue;
      this.visited++;
      const type = nameValue(await this.document.resolve(action.get("S")));
      if (type === "JavaScript" || (type !== undefined && RISKY_ACTION_TYPES.has(type))) this.kinds.add(type);
      pending.push(action.get("Next"));
    }
  }

  /** Adds every action of an additional-actions dictionary (/AA). */
  async addAll(value: PdfObject | undefined): Promise<void> {
    const actions = dictOf(await this.document.resolve(value));
    for (const action of actions?.entries.values() ?? []) await this.add(action);
  }
}

/** Checks annotations on every page, form fields, and JavaScript and actions anywhere in the document. */
export async function checkAnnotations(document: PdfDocument, pages: PageEntry[], catalog: PdfDict): Promise<Finding[]> {
  const findings: Finding[] = [];
  const actions = new ActionCollector(document);

  await actions.add(catalog.get("OpenAction"));
  await actions.addAll(catalog.get("AA"));
  const names = dictOf(await document.resolve(catalog.get("Names")));
  if (names?.has("JavaScript")) actions.kinds.add("JavaScript");

  for (const page of pages) {
    await actions.addAll(page.dict.get("AA"));
    findings.push(...(await checkPageAnnotations(document, page, actions)));
  }

  const fieldCount = await countFormFields(document, catalog.get("AcroForm"), actions);
  if (fieldCount > 0) {
    findings.push({
      check: "forms.fields",
      severity: "info",
      measured: fieldCount === 1 ? "1 Formularfeld" : `${fieldCount} Formularfelder`,
      ...documentTexts.formFieldsPresent(fieldCount),
    });
  }

  if (actions.kinds.has("JavaScript")) {
    findings.push({ check: "document.javascript", severity: "warning", measured: "JavaScript", expected: "kein JavaScript", ...documentTexts.javascript() });
  }
  const risky = [...actions.kinds].filter((kind) => kind !== "JavaScript").sort();
  if (risky.length > 0) {
    findings.push({ check: "document.actions", severity: "warning", measured: risky.join(", "), expected: "keine Aktionen", ...documentTexts.actions(risky.join(", ")) });
  }
  return findings;
}

async function checkPageAnnotations(document: PdfDocument, page: PageEntry, actions: ActionCollector): Promise<Finding[]> {
  const annotations = toArray(await document.resolve(page.dict.get("Annots")));
  if (annotations.length === 0) return [];

  const findings: Finding[] = [];
  const bleed = await readBleedBox(document, page);
  const trim = await readTrimBox(document, page);

  for (const value of annotations) {
    const annotation = dictOf(await document.resolve(value));
    if (!annotation) continue;
    await actions.add(annotation.get("A"));
    await actions.addAll(annotation.get("AA"));

    const subtype = nameValue(await document.resolve(annotation.get("Subtype"))) ?? "unbekannt";
    if (PRINT_ANNOTATION_TYPES.has(subtype)) continue;
    const rect = await readBox(document, annotation.get("Rect"));
    if (!rect) continue;

    if (subtype === "Widget") {
      // Printable form fields inside the trim are warnings; the others are counted in the "forms.fields" info.
      const flags = numberValue(await document.resolve(annotation.get("F"))) ?? 0;
      const inTrim = trim ? intersectBoxes(rect, trim) !== undefined : true;
      if ((flags & PRINT_FLAG) !== 0 && inTrim) {
        const name = (await readFieldName(document, annotation)) ?? "ohne Namen";
        findings.push({
          check: "forms.field-printable",
          severity: "warning",
          page: page.number,
          measured: name,
          area: rect,
          ...documentTexts.formFieldPrintable(page.number, name),
        });
      }
      continue;
    }

    if (bleed && !intersectBoxes(rect, bleed)) continue;
    findings.push({
      check: "annotations.in-print-area",
      severity: "warning",
      page: page.number,
      measured: subtype,
      expected: "keine Kommentare im Druckbereich",
      area: rect,
      ...documentTexts.annotationInPrintArea(page.number, subtype),
    });
  }
  return findings;
}

/** Returns the field's full name: the /T entries of the field and its parents joined with dots. */
async function readFieldName(document: PdfDocument, field: PdfDict): Promise<string | undefined> {
  const parts: string[] = [];
  let current: PdfDict | undefined = field;
  for (let depth = 0; current && depth < MAX_FIELD_DEPTH; depth++) {
    const part = decodeTextString(await document.resolve(current.get("T")));
    if (part) parts.unshift(part);
    current = dictOf(await document.resolve(current.get("Parent")));
  }
  return parts.length > 0 ? parts.join(".") : undefined;
}

/**
 * Counts the terminal fields of /AcroForm /Fields: fields without /Kids or whose kids are only
 * widgets. Adds the fields' actions to `actions`, because calculation and format scripts sit there.
 */
async function countFormFields(document: PdfDocument, value: PdfObject | undefined, actions: ActionCollector): Promise<number> {
  const form = dictOf(await document.resolve(value));
  if (!form) return 0;

  let count = 0;
  const seen = new Set<string>();
  const pending: { value: PdfObject; depth: number }[] = toArray(await document.resolve(form.get("Fields"))).map((item) => ({ value: item, depth: 0 }));
  while (pending.length > 0 && count < MAX_FIELDS) {
    const item = pending.pop() as { value: PdfObject; depth: number };
    if (item.value instanceof PdfRef) {
      if (seen.has(item.value.key)) continue;
      seen.add(item.value.key);
    }
    const field = dictOf(await document.resolve(item.value));
    if (!field) continue;
    await actions.add(field.get("A"));
    await actions.addAll(field.get("AA"));

    const kids = toArray(await document.resolve(field.get("Kids")));
    const childFields: PdfObject[] = [];
    for (const kid of kids) {
      const kidDict = dictOf(await document.resolve(kid));
      // A kid with /T is a field of its own; a kid without it is only a widget of this field.
      if (kidDict?.has("T")) childFields.push(kid);
    }
    if (childFields.length === 0 || item.depth >= MAX_FIELD_DEPTH) {
      count++;
      continue;
    }
    for (const child of childFields) pending.push({ value: child, depth: item.depth + 1 });
  }
  return count;
}
