// Hand-written PDFs with a hybrid cross-reference section: a classic table for old readers plus an
// /XRefStm stream that lists the objects stored in an object stream.

import { deflateSync } from "node:zlib";
import { fromLatin1 } from "./pdf-builders";

export interface RawObject {
  num: number;
  body: string;
  /** Stores the object in the object stream instead of writing it directly. */
  compressed?: boolean;
}

/**
 * Writes the objects, one object stream (number `objectStreamNum`) and a cross-reference stream
 * (number `objectStreamNum + 1`). The classic table leaves the compressed objects out, as hybrid
 * files written by Acrobat do, so only a reader of /XRefStm finds them.
 */
export function buildHybridPdf(objects: RawObject[], rootNum: number, objectStreamNum: number): Uint8Array {
  const size = objectStreamNum + 2;
  const offsets = new Map<number, number>();
  let text = "%PDF-1.5\n%\xe2\xe3\xcf\xd3\n";

  for (const object of objects.filter((item) => !item.compressed)) {
    offsets.set(object.num, text.length);
    text += `${object.num} 0 obj\n${object.body}\nendobj\n`;
  }

  const compressed = objects.filter((item) => item.compressed);
  let header = "";
  let body = "";
  for (const object of compressed) {
    header += `${object.num} ${body.length} `;
    body += `${object.body}\n`;
  }
  const streamData = deflateSync(Buffer.from(`${header}\n${body}`, "latin1"));
  offsets.set(objectStreamNum, text.length);
  text += `${objectStreamNum} 0 obj\n<< /Type /ObjStm /N ${compressed.length} /First ${header.length + 1} /Filter /FlateDecode /Length ${streamData.length} >>\nstream\n`;
  text += streamData.toString("latin1") + "\nendstream\nendobj\n";

  const xrefStreamNum = objectStreamNum + 1;
  const xrefStreamOffset = text.length;
  offsets.set(xrefStreamNum, xrefStreamOffset);
  const rows = Buffer.alloc(size * 7);
  for (let num = 0; num < size; num++) {
    const index = compressed.findIndex((item) => item.num === num);
    if (index >= 0) {
      rows.writeUInt8(2, num * 7);
      rows.writeUInt32BE(objectStreamNum, num * 7 + 1);
      rows.writeUInt16BE(index, num * 7 + 5);
    } else if (offsets.has(num)) {
      rows.writeUInt8(1, num * 7);
      rows.writeUInt32BE(offsets.get(num) ?? 0, num * 7 + 1);
    }
  }
  text += `${xrefStreamNum} 0 obj\n<< /Type /XRef /Size ${size} /W [1 4 2] /Length ${rows.length} >>\nstream\n`;
  text += rows.toString("latin1") + "\nendstream\nendobj\n";

  const tableOffset = text.length;
  text += "xref\n0 1\n0000000000 65535 f \n";
  for (const [num, offset] of [...offsets].sort((a, b) => a[0] - b[0])) {
    text += `${num} 1\n${String(offset).padStart(10, "0")} 00000 n \n`;
  }
  text += `trailer\n<< /Size ${size} /Root ${rootNum} 0 R /XRefStm ${xrefStreamOffset} >>\nstartxref\n${tableOffset}\n%%EOF\n`;
  return fromLatin1(text);
}
