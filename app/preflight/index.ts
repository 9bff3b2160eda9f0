// Public interface of the PDF preflight engine ("Datencheck").

export type {
  Box,
  Finding,
  OrderSpecification,
  PageGeometry,
  PreflightOptions,
  PreflightReport,
  RangeReader,
  Severity,
  Verdict,
} from "./types";
export { DEFAULT_PROFILE_ID, getProfile, isProfileId, listProfiles, PROFILE_IDS, type ProfileId, type PreflightProfile } from "./profiles";
export { ENGINE_VERSION, preflight } from "./preflight";
export { bytesReader } from "./bytes-reader";
export { detectRasterFormat, inspectRasterFile, type RasterFormat } from "./raster/inspect";
