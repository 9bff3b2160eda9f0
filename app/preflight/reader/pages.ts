// Page tree traversal with inherited attributes (PDF 32000-1:2008, sections 7.7.3.3 and 7.7.3.4).

import { PdfDict, PdfRef, dictOf, isName, type PdfObject } from "./objects";
import type { PdfDocument } from "./document";

export interface PageEntry {
  /** 1-based page number in document order. */
  number: number;
  dict: PdfDict;
  /** Attributes taken from the page or from its nearest ancestor that has them. */
  mediaBox: PdfObject | undefined;
  cropBox: PdfObject | undefined;
  resources: PdfObject | undefined;
  rotate: PdfObject | undefined;
}

export interface PageTree {
  pages: PageEntry[];
  /** Whether kids were missing, unreadable or cyclic, so pages may be lost. */
  damaged: boolean;
}

const INHERITABLE_KEYS = ["MediaBox", "CropBox", "Resources", "Rotate"] as const;
type Inherited = Record<(typeof INHERITABLE_KEYS)[number], PdfObject | undefined>;

const MAX_TREE_DEPTH = 64;
// NOTE: a document with more pages than this is cut off and reported as a damaged page tree.
const MAX_PAGES = 100_000;

interface PendingNode {
  value: PdfObject | undefined;
  inherited: Inherited;
  depth: number;
}

/** Walks the page tree depth-first in document order. Cycles, excessive depth and broken kids mark the tree as damaged. */
export async function collectPages(document: PdfDocument): Promise<PageTree> {
  const catalog = await document.getCatalog();
  const pages: PageEntry[] = [];
  const visited = new Set<string>();
  let damaged = false;

  const emptyInherited: Inherited = { MediaBox: undefined, CropBox: undefined, Resources: undefined, Rotate: undefined };
  const stack: PendingNode[] = [{ value: catalog.get("Pages"), inherited: emptyInherited, depth: 0 }];

  while (stack.length > 0 && pages.length < MAX_PAGES) {
    const node = stack.pop() as PendingNode;

    if (node.value instanceof PdfRef) {
      if (visited.has(node.value.key)) {
        damaged = true;
        continue;
      }
      visited.add(node.value.key);
    }

    const dict = dictOf(await document.resolve(node.value));
    if (!dict || node.depth > MAX_TREE_DEPTH) {
      damaged = true;
      continue;
    }

    const inherited = inheritAttributes(dict, node.inherited);
    const kids = await document.resolve(dict.get("Kids"));
    const isPage = isName(dict.get("Type"), "Page") || (!Array.isArray(kids) && !isName(dict.get("Type"), "Pages"));

    if (isPage) {
      pages.push({
        number: pages.length + 1,
        dict,
        mediaBox: inherited.MediaBox,
        cropBox: inherited.CropBox,
        resources: inherited.Resources,
        rotate: inherited.Rotate,
      });
      continue;
    }

    if (!Array.isArray(kids)) {
      damaged = true;
      continue;
    }

    // Push in reverse so that the first kid is visited first.
    const kidList = kids;
    for (let i = kidList.length - 1; i >= 0; i--) {
      stack.push({ value: kidList[i], inherited, depth: node.depth + 1 });
    }
  }

  if (stack.length > 0) damaged = true;
  return { pages, damaged };
}

function inheritAttributes(dict: PdfDict, parent: Inherited): Inherited {
  const result = { ...parent };
  for (const key of INHERITABLE_KEYS) {
    const value = dict.get(key);
    if (value !== undefined && value !== null) result[key] = value;
  }
  return result;
}
