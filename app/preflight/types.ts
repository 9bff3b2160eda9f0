// Public types of the preflight engine.

import type { ProfileId } from "./profiles";

export type Severity = "error" | "warning" | "info";

export interface Finding {
  /** Stable rule id, for example "boxes.trimbox-missing". */
  check: string;
  severity: Severity;
  /** 1-based page number when the finding belongs to one page. */
  page?: number;
  /** Measured value with unit, formatted for German readers, for example "1,5 mm". */
  measured?: string;
  /** Threshold with unit, formatted for German readers, for example "mindestens 3 mm". */
  expected?: string;
  /** Short German title. */
  title: string;
  /** German explanation with how to fix the problem. */
  message: string;
  /** Area of the problem on the page, marked on the report's page picture. */
  area?: Box;
}

/** A rectangle in PDF user space of the page (unrotated, in points): [x1, y1, x2, y2] with x1 < x2, y1 < y2. */
export type Box = [number, number, number, number];

/** Geometry of one page, for drawing findings on a picture of it. */
export interface PageGeometry {
  /** 1-based page number. */
  number: number;
  mediaBox: Box;
  trimBox?: Box;
  bleedBox?: Box;
  /** Clockwise rotation for display: 0, 90, 180 or 270. */
  rotate: number;
}

/** Any error makes the verdict "error", otherwise any warning makes it "warning". */
export type Verdict = "ok" | "warning" | "error";

export interface PreflightReport {
  verdict: Verdict;
  /** Null when the file could not be read at all. */
  pageCount: number | null;
  findings: Finding[];
  engineVersion: string;
  /** Id of the profile the file was checked against, for example "gwg2022-sheetfed". */
  profile: string;
  /** Page geometry in page order; empty when the file could not be read. */
  pages: PageGeometry[];
}

/** Random access to the bytes of a file, for example through ranged GET requests. */
export interface RangeReader {
  /** Total size in bytes. */
  readonly size: number;
  /** Returns `length` bytes from `offset`; fewer only at the end of the file. */
  read(offset: number, length: number): Promise<Uint8Array>;
}

export interface PreflightOptions {
  /** Profile to check against; default "gwg2022-sheetfed". */
  profile?: ProfileId;
  /** Minimum bleed on every side of the trim box, in millimetres; overrides the profile's value. */
  minBleedMm?: number;
  /** The order's specification, checked when given. */
  order?: OrderSpecification;
  /** Called after each page's content has been checked, for progress reports. */
  onProgress?: (pagesDone: number, pageCount: number) => void | Promise<void>;
}

/** Product specification of the order that the file must match. */
export interface OrderSpecification {
  /** Trim size in millimetres (width × height, portrait or landscape accepted). */
  trimWidthMm?: number;
  trimHeightMm?: number;
  /** The page count must be a multiple of this, e.g. 4 for saddle stitching. */
  pageCountMultiple?: number;
  /** Exact page count, when the order fixes it. */
  pageCount?: number;
}
