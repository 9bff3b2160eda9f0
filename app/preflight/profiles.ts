// Check profiles after the Ghent Workgroup's GWG 2022 specification, one per
// print process. Thresholds that GWG 2022 sets are marked as such; the others
// (bleed, page count, colour-space policy of the shop) are house rules that
// a shop may change here.

export const PROFILE_IDS = ["gwg2022-sheetfed", "gwg2022-digital", "gwg2022-newspaper", "gwg2022-largeformat"] as const;
export type ProfileId = (typeof PROFILE_IDS)[number];

export const DEFAULT_PROFILE_ID: ProfileId = "gwg2022-sheetfed";

export interface ImageResolutionLimits {
  /** Effective resolution in ppi at or below which an image is an error. */
  errorAtOrBelow: number;
  /** Effective resolution in ppi at or below which an image is a warning. */
  warningAtOrBelow: number;
}

export interface PreflightProfile {
  id: ProfileId;
  /** German name shown to staff when they choose the profile for an order. */
  name: string;
  /** House rule: minimum bleed beyond the trim box on every side, in millimetres. */
  minBleedMm: number;
  images: {
    /** Colour and grayscale images (GWG 2022). */
    continuousTone: ImageResolutionLimits;
    /** 1-bit images (GWG 2022). */
    bitmap: ImageResolutionLimits;
    /** Images with this many pixels or fewer on either axis are not measured (GWG 2022). */
    exemptAtOrBelowPixels: number;
  };
  colour: {
    /** Whether RGB, Lab, ICC-based and calibrated colour may appear without an error. */
    allowDeviceIndependent: boolean;
    /** Maximum number of spot colours; 0 forbids them. */
    maxSpotColours: number;
  };
  text: {
    /** Text in two or more inks, or white text, smaller than this (pt) is a warning. */
    minMultiInkOrWhiteSizePt: number;
    /** Black text smaller than this (pt) should overprint. */
    blackOverprintBelowPt: number;
  };
  lines: {
    /** White or multi-ink lines thinner than this (pt) are a warning. */
    minMultiInkOrWhiteWidthPt: number;
    /** Black lines thinner than this (pt) should overprint. */
    blackOverprintBelowPt: number;
  };
}

const sheetfed: PreflightProfile = {
  id: "gwg2022-sheetfed",
  name: "Bogenoffset CMYK (GWG 2022)",
  minBleedMm: 3,
  images: {
    continuousTone: { errorAtOrBelow: 149, warningAtOrBelow: 224 },
    bitmap: { errorAtOrBelow: 549, warningAtOrBelow: 799 },
    exemptAtOrBelowPixels: 16,
  },
  colour: { allowDeviceIndependent: false, maxSpotColours: 2 },
  text: { minMultiInkOrWhiteSizePt: 9, blackOverprintBelowPt: 12 },
  lines: { minMultiInkOrWhiteWidthPt: 0.25, blackOverprintBelowPt: 2 },
};

// NOTE: the digital, newspaper and large-format thresholds below are
// estimates after the GWG 2022 variants and are not yet checked against the
// specification text.
const profiles: Record<ProfileId, PreflightProfile> = {
  "gwg2022-sheetfed": sheetfed,
  "gwg2022-digital": {
    ...sheetfed,
    id: "gwg2022-digital",
    name: "Digitaldruck (GWG 2022)",
    colour: { allowDeviceIndependent: true, maxSpotColours: 0 },
  },
  "gwg2022-newspaper": {
    ...sheetfed,
    id: "gwg2022-newspaper",
    name: "Zeitungsdruck (GWG 2022)",
    images: {
      continuousTone: { errorAtOrBelow: 99, warningAtOrBelow: 149 },
      bitmap: { errorAtOrBelow: 399, warningAtOrBelow: 549 },
      exemptAtOrBelowPixels: 16,
    },
    colour: { allowDeviceIndependent: false, maxSpotColours: 0 },
    text: { minMultiInkOrWhiteSizePt: 12, blackOverprintBelowPt: 12 },
    lines: { minMultiInkOrWhiteWidthPt: 0.5, blackOverprintBelowPt: 2 },
  },
  "gwg2022-largeformat": {
    ...sheetfed,
    id: "gwg2022-largeformat",
    name: "Großformat (GWG 2022)",
    minBleedMm: 5,
    images: {
      continuousTone: { errorAtOrBelow: 49, warningAtOrBelow: 74 },
      bitmap: { errorAtOrBelow: 199, warningAtOrBelow: 299 },
      exemptAtOrBelowPixels: 16,
    },
    colour: { allowDeviceIndependent: true, maxSpotColours: 2 },
  },
};

export function getProfile(id: ProfileId = DEFAULT_PROFILE_ID): PreflightProfile {
  return profiles[id];
}

export function isProfileId(value: unknown): value is ProfileId {
  return typeof value === "string" && (PROFILE_IDS as readonly string[]).includes(value);
}

export function listProfiles(): PreflightProfile[] {
  return PROFILE_IDS.map((id) => profiles[id]);
}
