import { describe, expect, it } from "vitest";

import { formatBytes, formatDate, formatDateTime, formatNumber } from "./format";

describe("formatDate", () => {
  it("writes German dates without leading zeros", () => {
    expect(formatDate(Date.UTC(2024, 5, 25, 10, 0))).toBe("25.06.2024");
  });

  it("uses Berlin time near midnight", () => {
    // 23:30 UTC on 30 June is already 1 July in Berlin (UTC+2 in summer).
    expect(formatDate(Date.UTC(2024, 5, 30, 23, 30))).toBe("01.07.2024");
  });
});

describe("formatDateTime", () => {
  it("writes Berlin winter time", () => {
    expect(formatDateTime(Date.UTC(2026, 11, 4, 20, 14))).toBe("04.12.2026, 21:14");
  });
});

describe("formatBytes", () => {
  it("formats with German decimal commas", () => {
    expect(formatBytes(0)).toBe("0 Byte");
    expect(formatBytes(1330)).toBe("1,3 KB");
    expect(formatBytes(95 * 1024 * 1024)).toBe("95 MB");
    expect(formatBytes(5 * 1024 ** 3)).toBe("5 GB");
  });
});

describe("formatNumber", () => {
  it("prefixes offer and order numbers with #", () => {
    expect(formatNumber("42793.04")).toBe("#42793.04");
    expect(formatNumber(null)).toBe("");
  });
});
