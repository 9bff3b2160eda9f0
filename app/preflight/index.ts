// Public interface of the PDF preflight engine ("Datencheck").

export type { Finding, PreflightOptions, PreflightReport, RangeReader, Severity, Verdict } from "./types";
export { ENGINE_VERSION, preflight } from "./preflight";
export { bytesReader } from "./bytes-reader";
