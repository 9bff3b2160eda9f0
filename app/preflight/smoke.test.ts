import { test } from "vitest";
import { readdirSync } from "node:fs";
import { preflight } from "./index";
import { openFileReader } from "./test-support/file-reader";

test("smoke", async () => {
  for (const name of readdirSync("/work/shared/pdf-corpus").filter((n) => n.endsWith(".pdf"))) {
    const reader = openFileReader(`/work/shared/pdf-corpus/${name}`);
    const t = performance.now();
    const report = await preflight(reader);
    console.log(name, Math.round(performance.now() - t), "ms", reader.readCount, reader.bytesRead, JSON.stringify({ ...report, findings: report.findings.map((f) => [f.check, f.severity, f.page, f.measured, f.expected]) }));
    reader.close();
  }
});
