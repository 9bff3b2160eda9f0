import { describe, expect, it } from "vitest";

import { messages } from "~/messages";

import { choosePartSize, resumeKey, runInParallel, splitIntoParts, withoutChosenFiles } from "./client/multipart-uploader";
import { checkFileName } from "./file-name";
import { detectPrintFileType } from "./file-type";
import { MIN_PART_BYTES } from "./limits";

const encode = (text: string) => new TextEncoder().encode(text);

describe("splitIntoParts", () => {
  it("splits into equal parts and a shorter last one", () => {
    expect(splitIntoParts(25, 10)).toEqual([
      { partNumber: 1, start: 0, end: 10 },
      { partNumber: 2, start: 10, end: 20 },
      { partNumber: 3, start: 20, end: 25 },
    ]);
  });

  it("gives one part for a small file", () => {
    expect(splitIntoParts(3, 10)).toEqual([{ partNumber: 1, start: 0, end: 3 }]);
  });
});

describe("choosePartSize", () => {
  it("uses 5 MiB for files up to 5 GiB", () => {
    expect(choosePartSize(1)).toBe(MIN_PART_BYTES);
    expect(choosePartSize(5 * 1024 ** 3)).toBe(MIN_PART_BYTES);
  });

  it("grows to stay within 10,000 parts", () => {
    const size = 100 * 1024 ** 3;
    expect(Math.ceil(size / choosePartSize(size))).toBeLessThanOrEqual(10_000);
  });
});

describe("resumeKey", () => {
  it("differs by modification time", () => {
    const file = { name: "a.pdf", size: 10, lastModified: 1 };
    expect(resumeKey("o1", file)).not.toBe(resumeKey("o1", { ...file, lastModified: 2 }));
    expect(resumeKey("o1", file)).not.toBe(resumeKey("o2", file));
  });
});

describe("detectPrintFileType", () => {
  it.each([
    ["%PDF-1.7", "application/pdf"],
    ["II*\u0000", "image/tiff"],
    ["MM\u0000*", "image/tiff"],
    ["PK\u0003\u0004", "application/zip"],
    ["%!PS-Adobe-3.0", null],
    ["Text", null],
  ])("detects %j", (head, type) => {
    expect(detectPrintFileType(encode(head))).toBe(type);
  });

  it("detects JPEG and PNG", () => {
    expect(detectPrintFileType(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBe("image/jpeg");
    expect(detectPrintFileType(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe("image/png");
  });
});

describe("checkFileName", () => {
  it("keeps the base name of a path", () => {
    expect(checkFileName("../../x.pdf")).toEqual({ ok: true, name: "x.pdf" });
    expect(checkFileName("C:\\Daten\\x.pdf")).toEqual({ ok: true, name: "x.pdf" });
  });

  it("rejects names over 255 characters", () => {
    expect(checkFileName(`${"ä".repeat(252)}.pdf`)).toEqual({ ok: false, message: messages.uploadNameTooLong(255) });
    expect(checkFileName(`${"ä".repeat(251)}.pdf`).ok).toBe(true);
  });

  it("rejects control characters", () => {
    expect(checkFileName("a\u0000.pdf")).toEqual({ ok: false, message: messages.uploadNameInvalid });
  });

  it("rejects marks that turn the text direction", () => {
    expect(checkFileName("Datei\u202Efdp.exe.pdf")).toEqual({ ok: false, message: messages.uploadNameInvalid });
    expect(checkFileName("Datei\u2067x.pdf")).toEqual({ ok: false, message: messages.uploadNameInvalid });
  });
});

describe("withoutChosenFiles", () => {
  it("drops only the states of chosen files", () => {
    const state = { scope: "o1", uploadId: "u", fileName: "a.pdf", size: 10, lastModified: 1, partSize: 5, createdAt: 0 };
    const other = { ...state, uploadId: "v", fileName: "b.pdf" };
    const chosen = new File(["0123456789"], "a.pdf", { lastModified: 1 });

    expect(withoutChosenFiles([state, other], "o1", [chosen])).toEqual([other]);
  });
});

describe("runInParallel", () => {
  it("runs every item and never more than the limit at once", async () => {
    let running = 0;
    let peak = 0;
    const done: number[] = [];
    await runInParallel([1, 2, 3, 4, 5], 2, async (item) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      done.push(item);
      running--;
    });

    expect(done.sort()).toEqual([1, 2, 3, 4, 5]);
    expect(peak).toBe(2);
  });
});
