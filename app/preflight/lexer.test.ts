import { describe, expect, test } from "vitest";
import { Lexer } from "./reader/lexer";
import { parseObject } from "./reader/parser";
import { PdfDict, PdfName, PdfRef, PdfString } from "./reader/objects";

function parse(text: string) {
  return parseObject(new Lexer(new Uint8Array(Buffer.from(text, "latin1")), 0, true));
}

describe("lexer and parser", () => {
  test("dictionary with all object types", () => {
    const value = parse("<< /A 1 /B -2.5 /C (x\\(y\\)\\101) /D <48 49> /E [1 0 R true null] /F /N#20x >>");
    expect(value).toBeInstanceOf(PdfDict);
    const dict = value as PdfDict;

    expect(dict.get("A")).toBe(1);
    expect(dict.get("B")).toBe(-2.5);
    expect(Buffer.from((dict.get("C") as PdfString).bytes).toString("latin1")).toBe("x(y)A");
    expect(Buffer.from((dict.get("D") as PdfString).bytes).toString("latin1")).toBe("HI");
    expect(dict.get("E")).toEqual([new PdfRef(1, 0), true, null]);
    expect((dict.get("F") as PdfName).value).toBe("N x");
  });

  test("malformed numbers read leading number", () => {
    expect(parse("--5")).toBe(-5);
    expect(parse("1.2.3")).toBe(1.2);
    expect(parse("+.5")).toBe(0.5);
  });

  test("stray keyword becomes null", () => {
    const dict = parse("<< /A nul /B 2 >>") as PdfDict;

    expect(dict.get("A")).toBeNull();
    expect(dict.get("B")).toBe(2);
  });

  test("structure keyword inside object is rejected", () => {
    expect(() => parse("<< /A endobj >>")).toThrow("endobj");
    expect(() => parse("<< /A 1 endobj")).toThrow("not a name");
  });

  test("deep nesting is rejected", () => {
    expect(() => parse("[".repeat(1000) + "]".repeat(1000))).toThrow("nested");
  });
});
