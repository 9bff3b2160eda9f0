import { describe, expect, it } from "vitest";

import { parseByteRange } from "./byte-range";

describe("parseByteRange", () => {
  const size = 1000;

  it.each([
    ["bytes=0-99", { offset: 0, length: 100 }],
    ["bytes=900-", { offset: 900, length: 100 }],
    ["bytes=-100", { offset: 900, length: 100 }],
    ["bytes=-5000", { offset: 0, length: 1000 }],
    ["bytes=990-5000", { offset: 990, length: 10 }],
    ["bytes=999-999", { offset: 999, length: 1 }],
    [" bytes=1-1 ", { offset: 1, length: 1 }],
  ])("parses %s", (header, expected) => {
    expect(parseByteRange(header, size)).toEqual(expected);
  });

  it.each([null, "items=0-9", "bytes=0-9,20-29", "bytes=-", "bytes=abc", "bytes=50-10", "bytes=0x10-20"])(
    "ignores %s",
    (header) => {
      expect(parseByteRange(header, size)).toBeNull();
    },
  );

  it.each(["bytes=1000-", "bytes=5000-6000", "bytes=-0"])("rejects %s as unsatisfiable", (header) => {
    expect(parseByteRange(header, size)).toBe("unsatisfiable");
  });

  it("rejects any range of empty file", () => {
    expect(parseByteRange("bytes=0-", 0)).toBe("unsatisfiable");
    expect(parseByteRange("bytes=-10", 0)).toBe("unsatisfiable");
  });
});
