// Spot colours named in colour-space resources, whether or not any content uses them.

import { describePages } from "../format";
import { colourResourceTexts } from "../messages-document";
import type { PreflightProfile } from "../profiles";
import type { PdfDocument } from "../reader/document";
import { PdfRef, PdfStream, dictOf, nameValue, numberValue, type PdfObject } from "../reader/objects";
import type { PageEntry } from "../reader/pages";
import type { Finding } from "../types";
import { decodeNameBytes, walkResources } from "./pdf-values";

/** Colorant names that are process inks or the placeholder /None, not spot colours. */
const NON_SPOT_COLORANTS = new Set(["None", "Cyan", "Magenta", "Yellow", "Black"]);
/** Nesting bound for Indexed, Pattern and DeviceN alternate spaces. */
const MAX_COLOUR_SPACE_DEPTH = 8;

/**
 * Lists the spot colours of Separation and DeviceN colour spaces in page and form resources,
 * shadings, shading patterns and images, once per document. Separation /All is a warning.
 */
export async function checkColourResources(document: PdfDocument, pages: PageEntry[], profile: PreflightProfile): Promise<Finding[]> {
  const spotNames = new Set<string>();
  const allPages = new Set<number>();
  const seenSpaces = new Set<string>();

  const addColourSpace = async (value: PdfObject | undefined, pageNumber: number, depth = 0): Promise<void> => {
    if (depth > MAX_COLOUR_SPACE_DEPTH) return;
    if (value instanceof PdfRef) {
      const key = `${value.key}@${pageNumber}`;
      if (seenSpaces.has(key)) return;
      seenSpaces.add(key);
    }
    const space = await document.resolve(value);
    if (!Array.isArray(space) || space.length === 0) return;

    const family = nameValue(await document.resolve(space[0]));
    if (family === "Separation") {
      const name = nameValue(await document.resolve(space[1]));
      if (name === "All") allPages.add(pageNumber);
      else if (name !== undefined && !NON_SPOT_COLORANTS.has(name)) spotNames.add(decodeNameBytes(name));
    } else if (family === "DeviceN") {
      const colorants = await document.resolve(space[1]);
      for (const colorant of Array.isArray(colorants) ? colorants : []) {
        const name = nameValue(await document.resolve(colorant));
        if (name === "All") allPages.add(pageNumber);
        else if (name !== undefined && !NON_SPOT_COLORANTS.has(name)) spotNames.add(decodeNameBytes(name));
      }
    } else if (family === "Indexed" || family === "I" || family === "Pattern") {
      await addColourSpace(space[1], pageNumber, depth + 1);
    }
  };

  await walkResources(
    document,
    pages,
    async (resources, pageNumber) => {
      const colourSpaces = dictOf(await document.resolve(resources.get("ColorSpace")));
      for (const value of colourSpaces?.entries.values() ?? []) await addColourSpace(value, pageNumber);

      const shadings = dictOf(await document.resolve(resources.get("Shading")));
      for (const value of shadings?.entries.values() ?? []) {
        await addColourSpace(dictOf(await document.resolve(value))?.get("ColorSpace"), pageNumber);
      }

      const patterns = dictOf(await document.resolve(resources.get("Pattern")));
      for (const value of patterns?.entries.values() ?? []) {
        const pattern = dictOf(await document.resolve(value));
        if (numberValue(await document.resolve(pattern?.get("PatternType"))) !== 2) continue;
        const shading = dictOf(await document.resolve(pattern?.get("Shading")));
        await addColourSpace(shading?.get("ColorSpace"), pageNumber);
      }

      const xobjects = dictOf(await document.resolve(resources.get("XObject")));
      for (const value of xobjects?.entries.values() ?? []) {
        const xobject = await document.resolve(value);
        if (xobject instanceof PdfStream && nameValue(xobject.dict.get("Subtype")) === "Image") {
          await addColourSpace(xobject.dict.get("ColorSpace"), pageNumber);
        }
      }
    },
    true,
  );

  const findings: Finding[] = [];
  if (spotNames.size > 0) {
    const names = [...spotNames].sort((a, b) => a.localeCompare(b, "de"));
    findings.push({
      check: "colour.spot-list",
      severity: "info",
      measured: names.length === 1 ? "1 Sonderfarbe" : `${names.length} Sonderfarben`,
      expected: profile.colour.maxSpotColours === 0 ? "keine Sonderfarben" : `höchstens ${profile.colour.maxSpotColours} Sonderfarben`,
      ...colourResourceTexts.spotList(names.join(", ")),
    });
  }
  if (allPages.size > 0) {
    const pageList = [...allPages];
    findings.push({
      check: "colour.spot-all-resource",
      severity: "warning",
      page: pageList.length === 1 ? pageList[0] : undefined,
      measured: "All",
      ...colourResourceTexts.spotAll(describePages(pageList)),
    });
  }
  return findings;
}
