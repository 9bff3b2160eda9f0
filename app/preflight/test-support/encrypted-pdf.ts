// Hand-written encrypted PDFs for tests. The page tree sits in an encrypted object stream,
// so the engine can only find the page if it decrypts streams correctly.

import { createCipheriv, createHash, randomBytes } from "node:crypto";
import { deflateSync } from "node:zlib";
import { rc4 } from "../crypto/rc4";
import { hashPasswordAes256 } from "../reader/encryption";
import { fromLatin1 } from "./pdf-builders";

export type EncryptionMethod = "RC4-40" | "RC4-128" | "AESV2" | "AESV3";

const PASSWORD_PADDING = Buffer.from("28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a", "hex");
const PERMISSIONS = -3904;
const OBJECT_STREAM_NUM = 5;
const REVISION_BY_METHOD: Record<EncryptionMethod, number> = { "RC4-40": 2, "RC4-128": 3, AESV2: 4, AESV3: 6 };

export interface EncryptedPdfOptions {
  method: EncryptionMethod;
  /** Empty string: the file opens without a password (only an owner password is set). */
  userPassword: string;
  /** A /Lang string for the catalog, stored encrypted like every string of an indirect object. */
  catalogLang?: string;
}

/** Builds a one-page A4 document with 3 mm bleed and a non-embedded Helvetica. */
export async function buildEncryptedPdf(options: EncryptedPdfOptions): Promise<Uint8Array> {
  const documentId = randomBytes(16);
  const security = await createSecurity(options, documentId);

  const bleed = 3 * (72 / 25.4);
  const width = 210 * (72 / 25.4) + 2 * bleed;
  const height = 297 * (72 / 25.4) + 2 * bleed;
  const members = [
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${width} ${height}] /TrimBox [${bleed} ${bleed} ${width - bleed} ${height - bleed}] /Resources << /Font << /F1 4 0 R >> >> >>`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  ];
  const objectStream = buildObjectStream([2, 3, 4], members);
  const encryptedStream = await security.encrypt(deflateSync(objectStream), OBJECT_STREAM_NUM, 0);

  const chunks: Uint8Array[] = [];
  const offsets = new Map<number, number>();
  let position = 0;
  const append = (bytes: Uint8Array) => {
    chunks.push(bytes);
    position += bytes.length;
  };

  append(fromLatin1("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"));
  offsets.set(1, position);
  let lang = "";
  if (options.catalogLang !== undefined) {
    const encrypted = await security.encrypt(Buffer.from(options.catalogLang, "latin1"), 1, 0);
    lang = ` /Lang <${Buffer.from(encrypted).toString("hex")}>`;
  }
  append(fromLatin1(`1 0 obj\n<< /Type /Catalog /Pages 2 0 R${lang} >>\nendobj\n`));
  offsets.set(OBJECT_STREAM_NUM, position);
  append(fromLatin1(`5 0 obj\n<< /Type /ObjStm /N 3 /First ${objectStream.indexOf("<<")} /Filter /FlateDecode /Length ${encryptedStream.length} >>\nstream\n`));
  append(encryptedStream);
  append(fromLatin1("\nendstream\nendobj\n"));
  offsets.set(6, position);
  append(fromLatin1(`6 0 obj\n${security.dictionary}\nendobj\n`));

  const xrefOffset = position;
  const idHex = documentId.toString("hex");
  const xrefData = buildXrefStreamData(offsets, xrefOffset);
  append(
    fromLatin1(
      `7 0 obj\n<< /Type /XRef /Size 8 /W [1 4 2] /Root 1 0 R /Encrypt 6 0 R /ID [<${idHex}> <${idHex}>] /Length ${xrefData.length} >>\nstream\n`,
    ),
  );
  append(xrefData);
  append(fromLatin1(`\nendstream\nendobj\nstartxref\n${xrefOffset}\n%%EOF\n`));

  return Buffer.concat(chunks);
}

function buildObjectStream(nums: number[], bodies: string[]): Buffer {
  let header = "";
  let body = "";
  nums.forEach((num, index) => {
    header += `${num} ${body.length} `;
    body += `${bodies[index]}\n`;
  });
  return Buffer.from(`${header}\n${body}`, "latin1");
}

/** Entries for objects 0 to 7: 2, 3 and 4 are compressed in object stream 5; 7 is the cross-reference stream itself. */
function buildXrefStreamData(offsets: Map<number, number>, xrefOffset: number): Uint8Array {
  const rows: [number, number, number][] = [
    [0, 0, 0xffff],
    [1, offsets.get(1) ?? 0, 0],
    [2, OBJECT_STREAM_NUM, 0],
    [2, OBJECT_STREAM_NUM, 1],
    [2, OBJECT_STREAM_NUM, 2],
    [1, offsets.get(OBJECT_STREAM_NUM) ?? 0, 0],
    [1, offsets.get(6) ?? 0, 0],
    [1, xrefOffset, 0],
  ];
  const data = Buffer.alloc(rows.length * 7);
  rows.forEach(([type, field2, field3], row) => {
    data.writeUInt8(type, row * 7);
    data.writeUInt32BE(field2, row * 7 + 1);
    data.writeUInt16BE(field3, row * 7 + 5);
  });
  return data;
}

interface Security {
  dictionary: string;
  encrypt(data: Uint8Array, num: number, gen: number): Promise<Uint8Array>;
}

async function createSecurity(options: EncryptedPdfOptions, documentId: Buffer): Promise<Security> {
  if (options.method === "AESV3") return createAes256Security(options.userPassword);

  // Revisions 2 and 3 (RC4) and 4 (AESV2) derive the key with MD5 (algorithm 2 of PDF 32000-1:2008).
  const revision = REVISION_BY_METHOD[options.method];
  const keyBytes = revision === 2 ? 5 : 16;
  const owner = randomBytes(32);
  const fileKey = deriveMd5Key(options.userPassword, owner, documentId, revision, keyBytes);
  const user =
    revision === 2
      ? Buffer.from(rc4(fileKey, PASSWORD_PADDING))
      : Buffer.concat([computeUserHash(fileKey, documentId), randomBytes(16)]);

  const cryptFilter =
    revision === 4 ? "/CF << /StdCF << /CFM /AESV2 /AuthEvent /DocOpen /Length 16 >> >> /StmF /StdCF /StrF /StdCF " : "";
  const dictionary =
    `<< /Filter /Standard /V ${revision === 4 ? 4 : revision === 2 ? 1 : 2} /R ${revision} /Length ${keyBytes * 8} ${cryptFilter}` +
    `/O <${owner.toString("hex")}> /U <${user.toString("hex")}> /P ${PERMISSIONS} >>`;

  return {
    dictionary,
    async encrypt(data, num, gen) {
      const aes = revision === 4;
      const objectNumber = Buffer.from([num & 0xff, (num >> 8) & 0xff, (num >> 16) & 0xff, gen & 0xff, (gen >> 8) & 0xff]);
      const salt = aes ? Buffer.from("sAlT") : Buffer.alloc(0);
      const objectKey = md5(Buffer.concat([fileKey, objectNumber, salt])).subarray(0, Math.min(keyBytes + 5, 16));
      return aes ? encryptAesWithIv("aes-128-cbc", objectKey, data) : rc4(objectKey, data);
    },
  };
}

function deriveMd5Key(password: string, owner: Buffer, documentId: Buffer, revision: number, keyBytes: number): Buffer {
  const padded = Buffer.concat([Buffer.from(password, "latin1"), PASSWORD_PADDING]).subarray(0, 32);
  const permissions = Buffer.alloc(4);
  permissions.writeInt32LE(PERMISSIONS);
  let key = md5(Buffer.concat([padded, owner, permissions, documentId]));
  if (revision >= 3) {
    for (let round = 0; round < 50; round++) key = md5(key.subarray(0, keyBytes));
  }
  return key.subarray(0, keyBytes);
}

function computeUserHash(fileKey: Buffer, documentId: Buffer): Buffer {
  let value = Buffer.from(rc4(fileKey, md5(Buffer.concat([PASSWORD_PADDING, documentId]))));
  for (let round = 1; round <= 19; round++) {
    value = Buffer.from(rc4(fileKey.map((byte) => byte ^ round), value));
  }
  return value;
}

async function createAes256Security(userPassword: string): Promise<Security> {
  const password = new TextEncoder().encode(userPassword);
  const fileKey = randomBytes(32);
  const validationSalt = randomBytes(8);
  const keySalt = randomBytes(8);

  const user = Buffer.concat([await hashPasswordAes256(6, password, validationSalt), validationSalt, keySalt]);
  const intermediateKey = await hashPasswordAes256(6, password, keySalt);
  const cipher = createCipheriv("aes-256-cbc", intermediateKey, Buffer.alloc(16)).setAutoPadding(false);
  const userKey = Buffer.concat([cipher.update(fileKey), cipher.final()]);

  // The owner entries are random: the engine never checks an owner password.
  const dictionary =
    "<< /Filter /Standard /V 5 /R 6 /Length 256 /CF << /StdCF << /CFM /AESV3 /AuthEvent /DocOpen /Length 32 >> >> " +
    `/StmF /StdCF /StrF /StdCF /O <${randomBytes(48).toString("hex")}> /U <${user.toString("hex")}> ` +
    `/OE <${randomBytes(32).toString("hex")}> /UE <${userKey.toString("hex")}> /Perms <${randomBytes(16).toString("hex")}> /P ${PERMISSIONS} >>`;

  return {
    dictionary,
    async encrypt(data) {
      return encryptAesWithIv("aes-256-cbc", fileKey, data);
    },
  };
}

function encryptAesWithIv(algorithm: "aes-128-cbc" | "aes-256-cbc", key: Uint8Array, data: Uint8Array): Uint8Array {
  const iv = randomBytes(16);
  const cipher = createCipheriv(algorithm, key, iv);
  return Buffer.concat([iv, cipher.update(data), cipher.final()]);
}

function md5(data: Uint8Array): Buffer {
  return createHash("md5").update(data).digest();
}
