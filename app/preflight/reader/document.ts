// Lazy access to the objects of one PDF file: cross-reference lookup, object streams,
// decryption and a one-time repair when the cross-reference data turns out to be wrong.

import { PasswordRequiredError, PdfSyntaxError, UnreadableFileError, UnsupportedEncryptionError, isFormatError } from "./errors";
import { Lexer, latin1 } from "./lexer";
import { PdfDict, PdfRef, PdfStream, PdfString, dictOf, isName, numberValue, type PdfObject } from "./objects";
import { parseObject, readIndirectObjectAt } from "./parser";
import type { CachedReader } from "./range-cache";
import { decodeStreamData } from "./filters";
import { readRawStreamData } from "./stream-data";
import { findStartxref, readCrossReference, type XrefEntry } from "./xref";
import { scanFile, type RepairScan } from "./repair";
import { setUpSecurity, type Decryptor } from "./encryption";

const MAX_CACHED_OBJECTS = 20_000;
/** Nesting depth up to which strings inside one object are decrypted. */
const MAX_STRING_DECRYPTION_DEPTH = 64;
const MAX_CACHED_OBJECT_STREAMS = 8;
const MAX_OBJECTS_PER_OBJECT_STREAM = 1_000_000;
/** Upper bound for the objects parsed while searching object streams for a lost catalog. */
const MAX_CATALOG_CANDIDATES = 100_000;

interface ObjectStreamContents {
  data: Uint8Array;
  /** Byte position of each object in `data`, by index. */
  offsets: number[];
  nums: number[];
}

export class PdfDocument {
  /** Whether the cross-reference data had to be rebuilt by scanning the file. */
  repaired = false;
  headerOffset = -1;
  /** Whether "%%EOF" occurs in the last 1024 bytes; a file without it was probably cut off. */
  hasEofMarker = false;

  private entries = new Map<number, XrefEntry>();
  private trailer = new PdfDict();
  private decryptor: Decryptor | undefined;
  private userPassword: Uint8Array | undefined;
  private readonly objectCache = new Map<string, PdfObject>();
  private readonly objectStreams = new Map<number, ObjectStreamContents>();
  private scan: RepairScan | undefined;

  private constructor(readonly reader: CachedReader) {}

  /**
   * Opens the file: reads the cross-reference data (repairing it when needed) and tests the user
   * password, empty unless given. Throws UnreadableFileError, PasswordRequiredError or UnsupportedEncryptionError.
   */
  static async open(reader: CachedReader, userPassword?: Uint8Array): Promise<PdfDocument> {
    if (reader.size === 0) throw new UnreadableFileError("the file is empty");

    const document = new PdfDocument(reader);
    document.userPassword = userPassword;
    document.headerOffset = await findHeader(reader);
    document.hasEofMarker = await findEofMarker(reader);
    await document.loadCrossReference();
    await document.setUpEncryption();
    return document;
  }

  async getCatalog(): Promise<PdfDict> {
    const catalog = dictOf(await this.resolve(this.trailer.get("Root")));
    if (catalog) return catalog;
    if (!this.repaired) {
      await this.repair();
      const repairedCatalog = dictOf(await this.resolve(this.trailer.get("Root")));
      if (repairedCatalog) return repairedCatalog;
    }
    throw new UnreadableFileError("the document catalog cannot be found");
  }

  /**
   * Resolves references. A missing object is null (PDF 32000-1:2008, section 7.3.10), and so is an
   * object that cannot be parsed, decoded or decrypted. Errors of the reader itself propagate, and
   * so does UnreadableFileError.
   */
  async resolve(value: PdfObject | undefined): Promise<PdfObject | undefined> {
    if (!(value instanceof PdfRef)) return value;
    try {
      return await this.getObject(value);
    } catch (error) {
      if (error instanceof UnreadableFileError || !isFormatError(error)) throw error;
      return null;
    }
  }

  async getObject(ref: PdfRef): Promise<PdfObject> {
    const cached = this.objectCache.get(ref.key);
    if (cached !== undefined) return cached;

    let value: PdfObject;
    try {
      value = await this.loadObject(ref);
    } catch (error) {
      if (this.repaired || !isFormatError(error)) throw error;
      await this.repair();
      value = await this.loadObject(ref);
    }

    if (this.objectCache.size >= MAX_CACHED_OBJECTS) this.objectCache.clear();
    this.objectCache.set(ref.key, value);
    return value;
  }

  /** Returns the decrypted and decoded data of a stream. */
  async readStream(stream: PdfStream, ref: PdfRef | undefined): Promise<Uint8Array> {
    const length = numberValue(await this.resolve(stream.dict.get("Length")));
    let data = await readRawStreamData(this.reader, stream, length);

    const isXrefStream = isName(stream.dict.get("Type"), "XRef");
    if (this.decryptor && ref && !isXrefStream) data = await this.decryptor.decryptStream(data, ref);

    const filter = await this.resolve(stream.dict.get("Filter"));
    const parms = await this.resolve(stream.dict.get("DecodeParms"));
    return decodeStreamData(data, filter, parms);
  }

  /** Returns the decrypted but still encoded data of a stream, for callers that decode it in chunks. */
  async readEncodedStream(stream: PdfStream, ref: PdfRef | undefined): Promise<Uint8Array> {
    const length = numberValue(await this.resolve(stream.dict.get("Length")));
    const data = await readRawStreamData(this.reader, stream, length);
    return this.decryptor && ref ? this.decryptor.decryptStream(data, ref) : data;
  }

  private async loadCrossReference(): Promise<void> {
    const startxref = await findStartxref(this.reader);
    if (startxref !== undefined) {
      try {
        const crossReference = await readCrossReference(this.reader, startxref, Math.max(0, this.headerOffset));
        this.entries = crossReference.entries;
        this.trailer = crossReference.trailer;
        return;
      } catch (error) {
        if (!isFormatError(error)) throw error;
      }
    }
    await this.repair();
  }

  /** Rebuilds the cross-reference data from a scan of the whole file. Runs at most once per document. */
  private async repair(): Promise<void> {
    if (this.repaired) return;
    this.repaired = true;
    this.objectCache.clear();
    this.objectStreams.clear();

    const scan = await scanFile(this.reader);
    if (scan.entries.size === 0) throw new UnreadableFileError("no PDF objects found in the file");
    this.scan = scan;
    this.entries = scan.entries;

    // Keep the old /Encrypt and /ID if the newest trailer found lacks them.
    const previous = this.trailer;
    const trailer = [...scan.trailers].reverse().find((dict) => dict.get("Root") instanceof PdfRef);
    this.trailer = new PdfDict(new Map(trailer?.entries ?? []));
    for (const key of ["Encrypt", "ID"]) {
      if (!this.trailer.has(key) && previous.has(key)) this.trailer.entries.set(key, previous.get(key) ?? null);
    }

    await this.indexScannedObjectStreams();
  }

  /**
   * Adds the objects of the object streams found by the scan and, if the trailer's /Root is
   * unusable, looks for the catalog. Runs again once the file key is known, because object
   * streams of an encrypted file cannot be read before.
   */
  private async indexScannedObjectStreams(): Promise<void> {
    if (!this.scan) return;
    this.objectStreams.clear();
    await this.addObjectStreamEntries(this.scan.objectStreamNums);

    if (!(await this.hasCatalog())) {
      const catalogNum = this.scan.catalogNums.at(-1) ?? (await this.findCatalogInObjectStreams());
      if (catalogNum !== undefined) this.trailer.entries.set("Root", new PdfRef(catalogNum, 0));
    }
  }

  private async hasCatalog(): Promise<boolean> {
    const root = this.trailer.get("Root");
    if (!(root instanceof PdfRef)) return false;
    const catalog = await this.loadObject(root).catch(ignoreFormatError);
    return isName(dictOf(catalog ?? undefined)?.get("Type"), "Catalog");
  }

  /** Lists the objects inside object streams that no direct object definition overrides. */
  private async addObjectStreamEntries(streamNums: number[]): Promise<void> {
    for (const streamNum of streamNums) {
      const contents = await this.loadObjectStream(streamNum).catch(ignoreFormatError);
      if (!contents) continue;
      contents.nums.forEach((num, index) => {
        if (!this.entries.has(num)) this.entries.set(num, { type: "compressed", streamNum, index });
      });
    }
  }

  private async findCatalogInObjectStreams(): Promise<number | undefined> {
    let candidates = 0;
    for (const [num, entry] of this.entries) {
      if (entry.type !== "compressed") continue;
      if (++candidates > MAX_CATALOG_CANDIDATES) break;
      const value = await this.loadObject(new PdfRef(num, 0)).catch(ignoreFormatError);
      if (isName(dictOf(value ?? undefined)?.get("Type"), "Catalog")) return num;
    }
    return undefined;
  }

  private async setUpEncryption(): Promise<void> {
    const encryptValue = this.trailer.get("Encrypt");
    if (encryptValue === undefined || encryptValue === null) return;

    const encrypt = dictOf(await this.resolve(encryptValue));
    if (!encrypt) throw new UnsupportedEncryptionError("the /Encrypt dictionary cannot be read");

    const ids = await this.resolve(this.trailer.get("ID"));
    const firstId = Array.isArray(ids) && ids[0] instanceof PdfString ? ids[0].bytes : new Uint8Array(0);
    const setup = await setUpSecurity(encrypt, firstId, (value) => this.resolve(value), this.userPassword);

    if (setup.kind === "password-required") throw new PasswordRequiredError("a user password is required");
    if (setup.kind === "unsupported") throw new UnsupportedEncryptionError(setup.detail);
    this.decryptor = setup.decryptor;
    this.objectCache.clear();
    await this.indexScannedObjectStreams();
  }

  private async loadObject(ref: PdfRef): Promise<PdfObject> {
    const entry = this.entries.get(ref.num);
    if (entry === undefined || entry.type === "free") return null;

    if (entry.type === "compressed") {
      const contents = await this.loadObjectStream(entry.streamNum);
      return parseObjectFromStream(contents, entry.index, ref.num);
    }

    const object = await readIndirectObjectAt(this.reader, entry.offset);
    if (object.num !== ref.num) {
      throw new PdfSyntaxError(`object ${ref.num} expected at offset ${entry.offset}, found object ${object.num}`);
    }
    return this.decryptStrings(object.value, new PdfRef(object.num, object.gen));
  }

  /**
   * Decrypts the strings of an indirect object. Objects inside object streams
   * are decrypted with their stream, and the /Encrypt dictionary is never
   * encrypted (ISO 32000-1:2008, section 7.6.1).
   */
  private async decryptStrings(value: PdfObject, ref: PdfRef): Promise<PdfObject> {
    const decryptor = this.decryptor;
    const encryptRef = this.trailer.get("Encrypt");
    if (!decryptor || (encryptRef instanceof PdfRef && encryptRef.num === ref.num)) return value;

    const visit = async (item: PdfObject, depth: number): Promise<PdfObject> => {
      if (depth > MAX_STRING_DECRYPTION_DEPTH) return item;
      if (item instanceof PdfString) {
        try {
          return new PdfString(await decryptor.decryptStream(item.bytes, ref));
        } catch {
          return item;
        }
      }
      if (Array.isArray(item)) return Promise.all(item.map((element) => visit(element, depth + 1)));
      if (item instanceof PdfDict) return visitDict(item, depth);
      if (item instanceof PdfStream) return new PdfStream(await visitDict(item.dict, depth), item.dataOffset);
      return item;
    };
    const visitDict = async (dict: PdfDict, depth: number): Promise<PdfDict> => {
      const entries = new Map<string, PdfObject>();
      for (const [key, entry] of dict.entries) entries.set(key, await visit(entry, depth + 1));
      return new PdfDict(entries);
    };
    return visit(value, 0);
  }

  private async loadObjectStream(streamNum: number): Promise<ObjectStreamContents> {
    const cached = this.objectStreams.get(streamNum);
    if (cached) return cached;

    const entry = this.entries.get(streamNum);
    if (entry?.type !== "offset") throw new PdfSyntaxError(`object stream ${streamNum} not found`);
    const object = await readIndirectObjectAt(this.reader, entry.offset);
    if (!(object.value instanceof PdfStream) || object.num !== streamNum) {
      throw new PdfSyntaxError(`object ${streamNum} is not an object stream`);
    }

    const stream = object.value;
    const data = await this.readStream(stream, new PdfRef(streamNum, object.gen));
    const contents = parseObjectStreamHeader(stream.dict, data);

    if (this.objectStreams.size >= MAX_CACHED_OBJECT_STREAMS) {
      const oldest = this.objectStreams.keys().next().value;
      if (oldest !== undefined) this.objectStreams.delete(oldest);
    }
    this.objectStreams.set(streamNum, contents);
    return contents;
  }
}

/** Turns a format error into undefined and rethrows any other error. */
function ignoreFormatError(error: unknown): undefined {
  if (!isFormatError(error)) throw error;
  return undefined;
}

/** Returns the offset of "%PDF-" within the first 1024 bytes, or -1. */
async function findHeader(reader: CachedReader): Promise<number> {
  const head = latin1(await reader.read(0, 1024));
  return head.indexOf("%PDF-");
}

async function findEofMarker(reader: CachedReader): Promise<boolean> {
  const start = Math.max(0, reader.size - 1024);
  return latin1(await reader.read(start, reader.size - start)).includes("%%EOF");
}

function parseObjectStreamHeader(dict: PdfDict, data: Uint8Array): ObjectStreamContents {
  const count = numberValue(dict.get("N")) ?? 0;
  const first = numberValue(dict.get("First")) ?? 0;
  if (count < 0 || count > MAX_OBJECTS_PER_OBJECT_STREAM || first < 0 || first > data.length) {
    throw new PdfSyntaxError("invalid object stream header");
  }

  const lexer = new Lexer(data.subarray(0, first), 0, true);
  const nums: number[] = [];
  const offsets: number[] = [];
  for (let i = 0; i < count; i++) {
    const num = parseObject(lexer);
    const offset = parseObject(lexer);
    if (typeof num !== "number" || typeof offset !== "number") break;
    nums.push(num);
    offsets.push(first + offset);
  }
  return { data, offsets, nums };
}

function parseObjectFromStream(contents: ObjectStreamContents, index: number, num: number): PdfObject {
  // Prefer the position listed for this object number; writers sometimes get /Index entries wrong.
  const position = contents.nums[index] === num ? index : contents.nums.indexOf(num);
  if (position < 0) throw new PdfSyntaxError(`object ${num} is not in its object stream`);
  const lexer = new Lexer(contents.data, 0, true);
  lexer.pos = contents.offsets[position];
  return parseObject(lexer);
}
