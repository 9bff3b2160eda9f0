import type { RangeReader } from "~/preflight";

export interface R2RangeReader extends RangeReader {
  /**
   * The first storage error of any read. The preflight engine turns read
   * errors into findings, so the consumer checks this to retry a run that
   * failed because of storage rather than report the file as broken.
   */
  readonly readError: Error | null;
}

/** Reads an R2 object by ranged GETs, so the preflight engine never loads a whole file. */
export function r2RangeReader(bucket: R2Bucket, key: string, size: number): R2RangeReader {
  let readError: Error | null = null;

  async function read(offset: number, length: number): Promise<Uint8Array> {
    const end = Math.min(offset + length, size);
    if (end <= offset) return new Uint8Array(0);

    try {
      const object = await bucket.get(key, { range: { offset, length: end - offset } });
      if (!object) throw new Error(`R2 object ${key} disappeared while it was being read`);
      return new Uint8Array(await object.arrayBuffer());
    } catch (error) {
      readError ??= error instanceof Error ? error : new Error(String(error));
      throw error;
    }
  }

  return {
    size,
    read,
    get readError() {
      return readError;
    },
  };
}
