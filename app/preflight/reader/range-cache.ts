// Block cache in front of a RangeReader, so the parser can make many small reads without one request each.

import type { RangeReader } from "../types";

const BLOCK_BYTES = 64 * 1024;
const MAX_CACHED_BLOCKS = 48; // 3 MiB
/** Reads at least this long skip the cache, so one large stream does not evict everything else. */
const DIRECT_READ_BYTES = 4 * BLOCK_BYTES;

export class CachedReader {
  private readonly blocks = new Map<number, Uint8Array>();
  bytesRequested = 0;

  constructor(private readonly source: RangeReader) {}

  get size(): number {
    return this.source.size;
  }

  /** Returns up to `length` bytes from `offset`; fewer only at the end of the file. */
  async read(offset: number, length: number): Promise<Uint8Array> {
    const start = Math.max(0, Math.min(offset, this.size));
    const end = Math.min(this.size, start + Math.max(0, length));
    if (end <= start) return new Uint8Array(0);

    if (end - start >= DIRECT_READ_BYTES) return this.readSource(start, end - start);

    const firstBlock = Math.floor(start / BLOCK_BYTES);
    const lastBlock = Math.floor((end - 1) / BLOCK_BYTES);
    if (firstBlock === lastBlock) {
      const block = await this.readBlock(firstBlock);
      const blockStart = firstBlock * BLOCK_BYTES;
      return block.subarray(start - blockStart, end - blockStart);
    }

    const out = new Uint8Array(end - start);
    for (let index = firstBlock; index <= lastBlock; index++) {
      const block = await this.readBlock(index);
      const blockStart = index * BLOCK_BYTES;
      const from = Math.max(start, blockStart);
      const to = Math.min(end, blockStart + block.length);
      out.set(block.subarray(from - blockStart, to - blockStart), from - start);
    }
    return out;
  }

  private async readBlock(index: number): Promise<Uint8Array> {
    const cached = this.blocks.get(index);
    if (cached) {
      // Re-insert to mark the block as most recently used (Map keeps insertion order).
      this.blocks.delete(index);
      this.blocks.set(index, cached);
      return cached;
    }

    const blockStart = index * BLOCK_BYTES;
    const block = await this.readSource(blockStart, Math.min(BLOCK_BYTES, this.size - blockStart));
    this.blocks.set(index, block);
    if (this.blocks.size > MAX_CACHED_BLOCKS) {
      const oldest = this.blocks.keys().next().value;
      if (oldest !== undefined) this.blocks.delete(oldest);
    }
    return block;
  }

  private async readSource(offset: number, length: number): Promise<Uint8Array> {
    this.bytesRequested += length;
    const bytes = await this.source.read(offset, length);
    if (bytes.length > length) return bytes.subarray(0, length);
    return bytes;
  }
}
