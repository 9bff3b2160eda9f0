import type { RangeReader } from "~/preflight";

/** Reads an R2 object by ranged GETs, so the preflight engine never loads a whole file. */
export function r2RangeReader(bucket: R2Bucket, key: string, size: number): RangeReader {
  return {
    size,
    async read(offset, length) {
      const end = Math.min(offset + length, size);
      if (end <= offset) return new Uint8Array(0);

      const object = await bucket.get(key, { range: { offset, length: end - offset } });
      if (!object) throw new Error(`R2 object ${key} disappeared while it was being read`);
      return new Uint8Array(await object.arrayBuffer());
    },
  };
}
