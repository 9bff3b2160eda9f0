// Standard security handler (PDF 32000-1:2008, section 7.6.3, and ISO 32000-2:2020 for revision 6).
// The preflight tries only the empty user password: a file that opens without a password is
// decrypted, any other encrypted file is reported as password protected.

import { aesCbcDecryptNoPadding, aesCbcDecryptWithIv, aesCbcEncryptNoPadding, sha } from "../crypto/aes";
import { md5 } from "../crypto/md5";
import { rc4 } from "../crypto/rc4";
import { DecryptionError } from "./errors";
import { PdfDict, PdfString, dictOf, nameValue, numberValue, type PdfObject, type PdfRef } from "./objects";

type CryptMethod = "None" | "V2" | "AESV2" | "AESV3";

export interface Decryptor {
  decryptStream(data: Uint8Array, ref: PdfRef): Promise<Uint8Array>;
}

export type SecuritySetup =
  | { kind: "open"; decryptor: Decryptor }
  | { kind: "password-required" }
  | { kind: "unsupported"; detail: string };

const PASSWORD_PADDING = Uint8Array.from([
  0x28, 0xbf, 0x4e, 0x5e, 0x4e, 0x75, 0x8a, 0x41, 0x64, 0x00, 0x4e, 0x56, 0xff, 0xfa, 0x01, 0x08, 0x2e, 0x2e, 0x00,
  0xb6, 0xd0, 0x68, 0x3e, 0x80, 0x2f, 0x0c, 0xa9, 0xfe, 0x64, 0x53, 0x69, 0x7a,
]);

/** Tests a user password (default empty) and, when it opens the file, returns a decryptor. */
export async function setUpSecurity(
  encrypt: PdfDict,
  firstId: Uint8Array,
  resolve: (value: PdfObject | undefined) => Promise<PdfObject | undefined>,
  password: Uint8Array = new Uint8Array(0),
): Promise<SecuritySetup> {
  const filter = nameValue(await resolve(encrypt.get("Filter")));
  if (filter !== "Standard") return { kind: "unsupported", detail: `security handler ${filter ?? "(missing)"}` };

  const version = numberValue(await resolve(encrypt.get("V"))) ?? 0;
  const revision = numberValue(await resolve(encrypt.get("R"))) ?? 0;
  const owner = await readStringBytes(encrypt.get("O"), resolve);
  const user = await readStringBytes(encrypt.get("U"), resolve);
  if (!owner || !user) return { kind: "unsupported", detail: "encryption dictionary without /O or /U" };

  const method = await readStreamMethod(encrypt, version, resolve);
  if (method === undefined) return { kind: "unsupported", detail: `encryption version ${version}` };

  if (revision >= 5) {
    const userKeyString = await readStringBytes(encrypt.get("UE"), resolve);
    if (!userKeyString) return { kind: "unsupported", detail: "revision 5 or 6 without /UE" };
    const fileKey = await deriveAes256FileKey(revision, password.subarray(0, 127), user, userKeyString);
    return fileKey ? { kind: "open", decryptor: createDecryptor(method, fileKey) } : { kind: "password-required" };
  }

  if (revision < 2 || revision > 4) return { kind: "unsupported", detail: `revision ${revision}` };
  const keyBits = version === 1 ? 40 : (numberValue(await resolve(encrypt.get("Length"))) ?? 40);
  const permissions = numberValue(await resolve(encrypt.get("P"))) ?? 0;
  const encryptMetadata = (await resolve(encrypt.get("EncryptMetadata"))) !== false;

  const keyBytes = revision === 2 ? 5 : keyBits / 8;
  const fileKey = computeRc4FileKey({ revision, keyBytes, password, owner, permissions, firstId, encryptMetadata });
  if (!checkUserPassword(revision, fileKey, user, firstId)) return { kind: "password-required" };
  return { kind: "open", decryptor: createDecryptor(method, fileKey) };
}

async function readStringBytes(
  value: PdfObject | undefined,
  resolve: (value: PdfObject | undefined) => Promise<PdfObject | undefined>,
): Promise<Uint8Array | undefined> {
  const resolved = await resolve(value);
  return resolved instanceof PdfString ? resolved.bytes : undefined;
}

/** Returns the method for streams: /V 1 and 2 use RC4, /V 4 and 5 name it in the /StmF crypt filter. */
async function readStreamMethod(
  encrypt: PdfDict,
  version: number,
  resolve: (value: PdfObject | undefined) => Promise<PdfObject | undefined>,
): Promise<CryptMethod | undefined> {
  if (version === 1 || version === 2) return "V2";
  if (version !== 4 && version !== 5) return undefined;

  const filterName = nameValue(await resolve(encrypt.get("StmF"))) ?? "Identity";
  if (filterName === "Identity") return "None";
  const filters = dictOf(await resolve(encrypt.get("CF")));
  const filter = dictOf(await resolve(filters?.get(filterName)));
  const method = nameValue(await resolve(filter?.get("CFM")));
  if (method === "V2" || method === "AESV2" || method === "AESV3" || method === "None") return method;
  return undefined;
}

interface Rc4KeyInput {
  revision: number;
  keyBytes: number;
  password: Uint8Array;
  owner: Uint8Array;
  permissions: number;
  firstId: Uint8Array;
  encryptMetadata: boolean;
}

/** Computes the file key from a user password (algorithm 2 of PDF 32000-1:2008). */
export function computeRc4FileKey(input: Rc4KeyInput): Uint8Array {
  const keyBytes = Math.max(5, Math.min(16, Math.floor(input.keyBytes)));
  const skipMetadata = input.revision >= 4 && !input.encryptMetadata;
  const hashInput = new Uint8Array(32 + 32 + 4 + input.firstId.length + (skipMetadata ? 4 : 0));
  const password = input.password.subarray(0, 32);
  hashInput.set(password, 0);
  hashInput.set(PASSWORD_PADDING.subarray(0, 32 - password.length), password.length);
  hashInput.set(input.owner.subarray(0, 32), 32);
  new DataView(hashInput.buffer).setInt32(64, input.permissions | 0, true);
  hashInput.set(input.firstId, 68);
  if (skipMetadata) hashInput.fill(0xff, 68 + input.firstId.length);

  let hash = md5(hashInput);
  if (input.revision >= 3) {
    for (let round = 0; round < 50; round++) hash = md5(hash.subarray(0, keyBytes));
  }
  return hash.slice(0, keyBytes);
}

/** Computes the /U value that a file key produces (algorithms 4 and 5 of PDF 32000-1:2008). */
export function computeUserValue(revision: number, fileKey: Uint8Array, firstId: Uint8Array): Uint8Array {
  if (revision === 2) return rc4(fileKey, PASSWORD_PADDING);

  const hashInput = new Uint8Array(32 + firstId.length);
  hashInput.set(PASSWORD_PADDING);
  hashInput.set(firstId, 32);
  let value = rc4(fileKey, md5(hashInput));
  for (let round = 1; round <= 19; round++) {
    value = rc4(fileKey.map((byte) => byte ^ round), value);
  }
  return value;
}

function checkUserPassword(revision: number, fileKey: Uint8Array, user: Uint8Array, firstId: Uint8Array): boolean {
  const expected = computeUserValue(revision, fileKey, firstId);
  // Revision 2 compares all 32 bytes; revisions 3 and 4 only the first 16.
  const compared = revision === 2 ? 32 : 16;
  return bytesEqual(expected.subarray(0, compared), user.subarray(0, compared));
}

/** Returns the file key for a user password, or undefined when the password does not open the file. */
async function deriveAes256FileKey(
  revision: number,
  password: Uint8Array,
  user: Uint8Array,
  userKeyString: Uint8Array,
): Promise<Uint8Array | undefined> {
  if (user.length < 48 || userKeyString.length < 32) return undefined;
  const validationSalt = user.subarray(32, 40);
  const keySalt = user.subarray(40, 48);

  const validationHash = await hashPasswordAes256(revision, password, validationSalt);
  if (!bytesEqual(validationHash, user.subarray(0, 32))) return undefined;

  const intermediateKey = await hashPasswordAes256(revision, password, keySalt);
  return aesCbcDecryptNoPadding(intermediateKey, new Uint8Array(16), userKeyString.subarray(0, 32));
}

/** Hashes a user password: SHA-256 for revision 5, the iterated hash of ISO 32000-2 (algorithm 2.B) for revision 6. */
export async function hashPasswordAes256(revision: number, password: Uint8Array, salt: Uint8Array): Promise<Uint8Array> {
  let key = await sha("SHA-256", concat(password, salt));
  if (revision < 6) return key;

  let encrypted: Uint8Array = new Uint8Array(0);
  for (let round = 0; round < 64 || encrypted[encrypted.length - 1] > round - 32; round++) {
    const block = concat(password, key);
    const repeated = new Uint8Array(block.length * 64);
    for (let i = 0; i < 64; i++) repeated.set(block, i * block.length);

    encrypted = await aesCbcEncryptNoPadding(key.subarray(0, 16), key.subarray(16, 32), repeated);

    // The first 16 bytes as a big-endian number modulo 3 equal their byte sum modulo 3, since 256 mod 3 is 1.
    const remainder = encrypted.subarray(0, 16).reduce((sum, byte) => sum + byte, 0) % 3;
    key = await sha(HASH_BY_REMAINDER[remainder], encrypted);
  }
  return key.slice(0, 32);
}

const HASH_BY_REMAINDER = ["SHA-256", "SHA-384", "SHA-512"] as const;

function createDecryptor(method: CryptMethod, fileKey: Uint8Array): Decryptor {
  return {
    async decryptStream(data, ref) {
      if (method === "None") return data;
      if (method === "V2") return rc4(computeObjectKey(fileKey, ref, false), data);

      const key = method === "AESV3" ? fileKey : computeObjectKey(fileKey, ref, true);
      try {
        return await aesCbcDecryptWithIv(key, data);
      } catch (error) {
        // WebCrypto rejects data with a wrong length or padding: the stream is damaged.
        throw new DecryptionError(`AES decryption of object ${ref.num} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    },
  };
}

/** Derives the key for one object (algorithm 1 of PDF 32000-1:2008). */
export function computeObjectKey(fileKey: Uint8Array, ref: PdfRef, aes: boolean): Uint8Array {
  const input = new Uint8Array(fileKey.length + 5 + (aes ? 4 : 0));
  input.set(fileKey);
  input.set([ref.num & 0xff, (ref.num >> 8) & 0xff, (ref.num >> 16) & 0xff, ref.gen & 0xff, (ref.gen >> 8) & 0xff], fileKey.length);
  if (aes) input.set([0x73, 0x41, 0x6c, 0x54], fileKey.length + 5);
  return md5(input).slice(0, Math.min(fileKey.length + 5, 16));
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
