import { count } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { PDFDocument, StandardFonts } from "pdf-lib";

import { chunked } from "../app/db/chunks";
import * as schema from "../app/db/schema";

import { buildDemoData, type DemoData } from "./demo-data";

/** Renders a one-page A4 document with the given lines, as the shop's offer PDFs look in the demo. */
export async function renderDemoPdf(lines: string[]): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const page = pdf.addPage([595.28, 841.89]);

  lines.forEach((line, index) => {
    page.drawText(line, { x: 56, y: 780 - index * 18, size: index === 2 ? 16 : 11, font });
  });
  return pdf.save();
}

/**
 * Writes the demo data set into an empty database and its documents into R2.
 * Returns null and changes nothing when the database already has a shop.
 */
export async function seedDemoData(
  database: D1Database,
  bucket: R2Bucket,
  passwordHash: string,
): Promise<DemoData | null> {
  const db = drizzle(database, { schema });
  const existing = await db.select({ shops: count() }).from(schema.shopSettings).get();
  if (existing && existing.shops > 0) return null;

  const data = buildDemoData(passwordHash);
  for (const file of data.documentFiles) {
    await bucket.put(file.r2Key, await renderDemoPdf(file.lines), {
      httpMetadata: { contentType: "application/pdf" },
    });
  }

  await db.batch([
    db.insert(schema.shopSettings).values(data.shop),
    db.insert(schema.companies).values(data.companies),
    db.insert(schema.users).values(data.users),
    // D1 binds at most 100 parameters per statement, so orders go in groups of five rows.
    ...chunked(data.orders, 5).map((rows) => db.insert(schema.orders).values(rows)),
    db.insert(schema.documents).values(data.documents),
    db.insert(schema.orderEvents).values(data.orderEvents),
  ]);
  return data;
}
