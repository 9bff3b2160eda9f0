// Colour spaces of content streams (PDF 32000-1:2008, section 8.6) and the inks a colour uses.

import type { PdfDocument } from "../reader/document";
import { PdfRef, PdfStream, nameValue, numberValue, type PdfObject } from "../reader/objects";
import type { ResourceScope } from "./resources";

export type ColourFamily =
  | "DeviceGray"
  | "DeviceRGB"
  | "DeviceCMYK"
  | "CalGray"
  | "CalRGB"
  | "Lab"
  | "ICCBased"
  | "Indexed"
  | "Separation"
  | "DeviceN"
  | "Pattern";

export interface ColourSpace {
  family: ColourFamily;
  /** Number of colour components of a colour value in this space. */
  components: number;
  /** ICCBased: /Alternate, or the device space for /N. Indexed and Pattern: the base space, when given. */
  base?: ColourSpace;
  /** Separation and DeviceN: the colourant names. */
  colourants?: string[];
}

export const DEVICE_GRAY: ColourSpace = { family: "DeviceGray", components: 1 };
export const DEVICE_RGB: ColourSpace = { family: "DeviceRGB", components: 3 };
export const DEVICE_CMYK: ColourSpace = { family: "DeviceCMYK", components: 4 };

export const PROCESS_COLOURANTS = new Set(["Cyan", "Magenta", "Yellow", "Black"]);

const MAX_NESTING = 8;

/** Resolves colour spaces by name or array, with the /ColorSpace resources of the current content. */
export class ColourSpaceResolver {
  private readonly byRef = new Map<string, ColourSpace>();

  constructor(private readonly document: PdfDocument) {}

  /** Returns the colour space, or undefined when it cannot be read. */
  async resolve(value: PdfObject | undefined, resources: ResourceScope | undefined, depth = 0): Promise<ColourSpace | undefined> {
    if (depth > MAX_NESTING) return undefined;
    const key = value instanceof PdfRef ? value.key : undefined;
    if (key !== undefined) {
      const cached = this.byRef.get(key);
      if (cached) return cached;
    }

    const resolved = await this.document.resolve(value);
    const space = Array.isArray(resolved)
      ? await this.resolveArray(resolved, resources, depth)
      : await this.resolveName(nameValue(resolved), resources, depth);
    if (space && key !== undefined) this.byRef.set(key, space);
    return space;
  }

  private async resolveName(name: string | undefined, resources: ResourceScope | undefined, depth: number): Promise<ColourSpace | undefined> {
    if (name === undefined) return undefined;
    const device = deviceSpace(name);
    if (device) return device;
    if (name === "Pattern") return { family: "Pattern", components: 0 };

    const entry = await resources?.lookup("ColorSpace", name);
    if (entry === undefined) return undefined;
    // A named colour space never refers to the resources again, so the lookup cannot loop.
    return this.resolve(entry, undefined, depth + 1);
  }

  private async resolveArray(array: PdfObject[], resources: ResourceScope | undefined, depth: number): Promise<ColourSpace | undefined> {
    const family = nameValue(await this.document.resolve(array[0]));
    switch (family) {
      case "DeviceGray":
      case "DeviceRGB":
      case "DeviceCMYK":
        return deviceSpace(family);
      case "CalGray":
        return { family, components: 1 };
      case "CalRGB":
        return { family, components: 3 };
      case "Lab":
        return { family, components: 3 };
      case "ICCBased":
        return this.resolveIcc(array[1], resources, depth);
      case "Indexed":
      case "I": {
        const base = await this.resolve(array[1], resources, depth + 1);
        return { family: "Indexed", components: 1, base };
      }
      case "Separation": {
        const name = nameValue(await this.document.resolve(array[1])) ?? "";
        return { family: "Separation", components: 1, colourants: [name], base: await this.resolve(array[2], resources, depth + 1) };
      }
      case "DeviceN": {
        const names = await this.document.resolve(array[1]);
        const colourants = Array.isArray(names) ? names.map((item) => nameValue(item) ?? "") : [];
        return { family: "DeviceN", components: colourants.length, colourants, base: await this.resolve(array[2], resources, depth + 1) };
      }
      case "Pattern": {
        const base = array.length > 1 ? await this.resolve(array[1], resources, depth + 1) : undefined;
        return { family: "Pattern", components: base?.components ?? 0, base };
      }
      default:
        return undefined;
    }
  }

  private async resolveIcc(value: PdfObject | undefined, resources: ResourceScope | undefined, depth: number): Promise<ColourSpace> {
    const stream = await this.document.resolve(value);
    const dict = stream instanceof PdfStream ? stream.dict : undefined;
    const count = numberValue(await this.document.resolve(dict?.get("N"))) ?? 3;
    const alternate = dict?.has("Alternate") ? await this.resolve(dict.get("Alternate"), resources, depth + 1) : undefined;
    const base = alternate ?? deviceSpaceWithComponents(count);
    return { family: "ICCBased", components: count, base };
  }
}

function deviceSpace(name: string): ColourSpace | undefined {
  if (name === "DeviceGray" || name === "G") return DEVICE_GRAY;
  if (name === "DeviceRGB" || name === "RGB") return DEVICE_RGB;
  if (name === "DeviceCMYK" || name === "CMYK") return DEVICE_CMYK;
  return undefined;
}

function deviceSpaceWithComponents(count: number): ColourSpace {
  if (count === 1) return DEVICE_GRAY;
  if (count === 4) return DEVICE_CMYK;
  return DEVICE_RGB;
}

/** Returns the initial colour of a colour space (PDF 32000-1:2008, section 8.6.8). */
export function initialColour(space: ColourSpace): number[] {
  switch (space.family) {
    case "DeviceCMYK":
      return [0, 0, 0, 1];
    case "Separation":
    case "DeviceN":
      return new Array<number>(space.components).fill(1);
    case "ICCBased":
      return space.components === 4 ? [0, 0, 0, 1] : new Array<number>(space.components).fill(0);
    default:
      return new Array<number>(Math.max(1, space.components)).fill(0);
  }
}

/**
 * Returns the tint of each ink that a colour prints with, by colourant name, or undefined when
 * the colour is not given in inks (RGB, Lab, Indexed, Pattern). DeviceGray counts as black ink,
 * and ICC-based colour with 1 or 4 components as gray or CMYK.
 */
export function inksOf(space: ColourSpace, values: number[]): Map<string, number> | undefined {
  const family = space.family === "ICCBased" ? iccAsDevice(space) : space.family;
  switch (family) {
    case "DeviceGray":
    case "CalGray":
      return new Map([["Black", 1 - (values[0] ?? 0)]]);
    case "DeviceCMYK":
      return new Map([
        ["Cyan", values[0] ?? 0],
        ["Magenta", values[1] ?? 0],
        ["Yellow", values[2] ?? 0],
        ["Black", values[3] ?? 0],
      ]);
    case "Separation":
    case "DeviceN": {
      const inks = new Map<string, number>();
      (space.colourants ?? []).forEach((name, index) => {
        const tint = values[index] ?? 0;
        if (name === "None") return;
        if (name === "All") {
          for (const process of PROCESS_COLOURANTS) inks.set(process, Math.max(inks.get(process) ?? 0, tint));
        } else {
          inks.set(name, Math.max(inks.get(name) ?? 0, tint));
        }
      });
      return inks;
    }
    default:
      return undefined;
  }
}

function iccAsDevice(space: ColourSpace): ColourFamily | undefined {
  if (space.components === 1) return "DeviceGray";
  if (space.components === 4) return "DeviceCMYK";
  return undefined;
}

/** Returns whether the colour is white: every ink at tint 0, or RGB 1 1 1. */
export function isWhite(space: ColourSpace, values: number[]): boolean {
  const inks = inksOf(space, values);
  if (inks) return inks.size > 0 && [...inks.values()].every((tint) => tint <= 0);
  if (space.family === "DeviceRGB" || space.family === "CalRGB" || (space.family === "ICCBased" && space.components === 3)) {
    return values.length === 3 && values.every((value) => value >= 1);
  }
  return false;
}

/** Returns the names of the inks with a tint above 0. */
export function usedInks(space: ColourSpace, values: number[]): string[] {
  const inks = inksOf(space, values);
  if (!inks) return [];
  return [...inks].filter(([, tint]) => tint > 0).map(([name]) => name);
}
