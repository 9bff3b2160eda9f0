import { describe, expect, it } from "vitest";

import type { Finding, PageGeometry } from "~/preflight";

import { describeSeverityCounts, layOutReport, toOverlayRect } from "./report-layout";

function finding(check: string, severity: Finding["severity"], page?: number): Finding {
  return { check, severity, page, title: check, message: `${check} message` };
}

const geometry: PageGeometry = { number: 2, mediaBox: [0, 0, 612, 792], trimBox: [9, 9, 603, 783], rotate: 0 };

describe("layOutReport", () => {
  it("numbers page findings in page order", () => {
    const layout = layOutReport(
      [finding("fonts.a", "error", 3), finding("file.repaired", "warning"), finding("boxes.b", "warning", 1), finding("fonts.c", "info", 3)],
      3,
      [],
    );

    expect(layout.pages.map((page) => page.number)).toEqual([1, 2, 3]);
    expect(layout.pages[0].findings.map((entry) => [entry.number, entry.finding.check])).toEqual([[1, "boxes.b"]]);
    expect(layout.pages[1].findings).toEqual([]);
    expect(layout.pages[2].findings.map((entry) => [entry.number, entry.finding.check])).toEqual([
      [2, "fonts.a"],
      [3, "fonts.c"],
    ]);
    expect(layout.documentFindings.map((entry) => entry.check)).toEqual(["file.repaired"]);
    expect(layout.severityCounts).toEqual({ error: 1, warning: 2, info: 1 });
  });

  it("attaches page geometry by number", () => {
    const layout = layOutReport([], 2, [geometry]);
    expect(layout.pages[0].geometry).toBeNull();
    expect(layout.pages[1].geometry).toEqual(geometry);
  });

  it("treats unknown page as document finding", () => {
    const layout = layOutReport([finding("x.far", "error", 7), finding("x.zero", "error", 0)], 2, []);
    expect(layout.documentFindings.map((entry) => entry.check)).toEqual(["x.far", "x.zero"]);
    expect(layout.pages.every((page) => page.findings.length === 0)).toBe(true);
  });

  it("lays out no pages without page count", () => {
    const layout = layOutReport([finding("file.unreadable", "error")], null, []);
    expect(layout.pages).toEqual([]);
    expect(layout.documentFindings).toHaveLength(1);
  });
});

describe("toOverlayRect", () => {
  it("normalises corners in any order", () => {
    expect(toOverlayRect([100, 300, 50, 200])).toEqual({ x: 50, y: 200, width: 50, height: 100 });
  });

  it("grows hairline area to visible size", () => {
    expect(toOverlayRect([10, 20, 10, 60])).toEqual({ x: 7, y: 20, width: 6, height: 40 });
  });
});

describe("describeSeverityCounts", () => {
  it("uses singular and plural", () => {
    expect(describeSeverityCounts({ error: 1, warning: 1, info: 2 })).toBe("1 Fehler, 1 Warnung, 2 Hinweise");
    expect(describeSeverityCounts({ error: 0, warning: 3, info: 0 })).toBe("keine Fehler, 3 Warnungen, keine Hinweise");
  });
});
