// Resource lookup for nested content: a form, pattern or glyph procedure looks up a name in its
// own /Resources first and then in those of the content that painted it. PDF 1.1 forms without
// /Resources rely on this, and so do files whose forms carry an empty /Resources dictionary.

import type { PdfDocument } from "../reader/document";
import { dictOf, type PdfDict, type PdfObject } from "../reader/objects";

export class ResourceScope {
  constructor(
    private readonly document: PdfDocument,
    readonly dict: PdfDict | undefined,
    private readonly parent: ResourceScope | undefined,
  ) {}

  /** Returns the entry `name` of the resource category (for example "XObject"), or undefined when no scope has it. */
  async lookup(category: string, name: string): Promise<PdfObject | undefined> {
    for (let scope: ResourceScope | undefined = this; scope; scope = scope.parent) {
      const entries = dictOf(await this.document.resolve(scope.dict?.get(category)));
      const value = entries?.get(name);
      if (value !== undefined && value !== null) return value;
    }
    return undefined;
  }

  /** Returns a scope for nested content with its own resource dictionary, falling back to this one. */
  async child(resources: PdfObject | undefined): Promise<ResourceScope> {
    const dict = dictOf(await this.document.resolve(resources));
    return dict ? new ResourceScope(this.document, dict, this) : this;
  }
}
