// Visibility of optional content (layers) in the default configuration, PDF 32000-1:2008, section 8.11.

import type { PdfDocument } from "../reader/document";
import { PdfRef, dictOf, isName, nameValue, type PdfObject } from "../reader/objects";

/** Decides whether optional content groups and membership dictionaries are visible in the document's default configuration. */
export class OptionalContent {
  private hiddenGroups: Set<string> | undefined;

  constructor(private readonly document: PdfDocument) {}

  /** Returns whether content marked with this group or membership dictionary is hidden. */
  async isHidden(value: PdfObject | undefined): Promise<boolean> {
    const hidden = await this.loadHiddenGroups();
    if (hidden.size === 0) return false;
    if (value instanceof PdfRef && hidden.has(value.key)) return true;

    const dict = dictOf(await this.document.resolve(value));
    if (!dict || !isName(await this.document.resolve(dict.get("Type")), "OCMD")) return false;

    // A membership dictionary: /OCGs with the policy /P (default AnyOn). /VE expressions are not evaluated.
    const groupsValue = await this.document.resolve(dict.get("OCGs"));
    const groups = (Array.isArray(groupsValue) ? groupsValue : [dict.get("OCGs")]).filter((item): item is PdfRef => item instanceof PdfRef);
    if (groups.length === 0) return false;
    const on = groups.map((group) => !hidden.has(group.key));
    switch (nameValue(await this.document.resolve(dict.get("P"))) ?? "AnyOn") {
      case "AllOn":
        return !on.every(Boolean);
      case "AnyOff":
        return on.every(Boolean);
      case "AllOff":
        return on.some(Boolean);
      default:
        return !on.some(Boolean);
    }
  }

  /** Reads /OCProperties /D: groups in /OFF, or every group not in /ON when /BaseState is /OFF. */
  private async loadHiddenGroups(): Promise<Set<string>> {
    if (this.hiddenGroups) return this.hiddenGroups;
    const hidden = new Set<string>();
    this.hiddenGroups = hidden;

    const catalog = await this.document.getCatalog();
    const properties = dictOf(await this.document.resolve(catalog.get("OCProperties")));
    const config = dictOf(await this.document.resolve(properties?.get("D")));
    if (!properties || !config) return hidden;

    const refsOf = async (key: string, owner = config) => {
      const array = await this.document.resolve(owner.get(key));
      return Array.isArray(array) ? array.filter((item): item is PdfRef => item instanceof PdfRef) : [];
    };
    if (isName(await this.document.resolve(config.get("BaseState")), "OFF")) {
      const on = new Set((await refsOf("ON")).map((ref) => ref.key));
      for (const group of await refsOf("OCGs", properties)) if (!on.has(group.key)) hidden.add(group.key);
    }
    for (const group of await refsOf("OFF")) hidden.add(group.key);
    return hidden;
  }
}
