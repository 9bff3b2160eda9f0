// Public types of the preflight engine.

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
}

/** Any error makes the verdict "error", otherwise any warning makes it "warning". */
export type Verdict = "ok" | "warning" | "error";

export interface PreflightReport {
  verdict: Verdict;
  /** Null when the file could not be read at all. */
  pageCount: number | null;
  findings: Finding[];
  engineVersion: string;
}

/** Random access to the bytes of a file, for example through ranged GET requests. */
export interface RangeReader {
  /** Total size in bytes. */
  readonly size: number;
  /** Returns `length` bytes from `offset`; fewer only at the end of the file. */
  read(offset: number, length: number): Promise<Uint8Array>;
}

export interface PreflightOptions {
  /** Minimum bleed on every side of the trim box, in millimetres. Default 3. */
  minBleedMm?: number;
}
