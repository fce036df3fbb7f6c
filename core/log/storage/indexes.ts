/**
 * Sparse indexes of one segment, kept in memory and mirrored to files:
 *   `.index`     entries of [relative offset int32][file position int32]  (8 bytes)
 *   `.timeindex` entries of [max timestamp so far int64][relative offset int32]  (12 bytes)
 * Both keys and values only grow, so any prefix of an index is still a correct (sparser) index:
 * a torn index write loses precision, never correctness. Indexes are derived data — recovery
 * rebuilds them from the log whenever they are missing or fail checkIndex.
 */
export interface IndexEntry {
  /** Offset index: relative offset. Time index: timestamp (ms). */
  key: number;
  /** Offset index: file position. Time index: relative offset. */
  value: number;
}

export interface IndexKind {
  readonly entryBytes: number;
  encode(entry: IndexEntry, buffer: Buffer, at: number): void;
  decode(buffer: Buffer, at: number): IndexEntry;
}

export const OFFSET_INDEX: IndexKind = {
  entryBytes: 8,
  encode: (entry, buffer, at) => {
    buffer.writeInt32BE(entry.key, at);
    buffer.writeInt32BE(entry.value, at + 4);
  },
  decode: (buffer, at) => ({ key: buffer.readInt32BE(at), value: buffer.readInt32BE(at + 4) }),
};

export const TIME_INDEX: IndexKind = {
  entryBytes: 12,
  encode: (entry, buffer, at) => {
    buffer.writeBigInt64BE(BigInt(entry.key), at);
    buffer.writeInt32BE(entry.value, at + 8);
  },
  decode: (buffer, at) => ({ key: Number(buffer.readBigInt64BE(at)), value: buffer.readInt32BE(at + 8) }),
};

export class SegmentIndex {
  constructor(
    readonly kind: IndexKind,
    readonly entries: IndexEntry[] = [],
  ) {}

  last(): IndexEntry | undefined {
    return this.entries.at(-1);
  }

  add(entry: IndexEntry): void {
    this.entries.push(entry);
  }

  /** The entry with the greatest key <= `key` (binary search), or undefined if none. */
  floor(key: number): IndexEntry | undefined {
    let low = 0;
    let high = this.entries.length - 1;
    let found: IndexEntry | undefined;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const entry = this.entries[middle]!;
      if (entry.key <= key) {
        found = entry;
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    return found;
  }

  encode(from = 0): Buffer {
    const bytes = this.kind.entryBytes;
    const buffer = Buffer.alloc((this.entries.length - from) * bytes);
    for (let i = from; i < this.entries.length; i++) this.kind.encode(this.entries[i]!, buffer, (i - from) * bytes);
    return buffer;
  }

  /** Entries of an index file's bytes, or undefined if its length is not whole entries. */
  static decode(kind: IndexKind, buffer: Buffer): SegmentIndex | undefined {
    if (buffer.length % kind.entryBytes !== 0) return undefined;
    const entries: IndexEntry[] = [];
    for (let at = 0; at < buffer.length; at += kind.entryBytes) entries.push(kind.decode(buffer, at));
    return new SegmentIndex(kind, entries);
  }
}

/** True if keys and values strictly grow (time index keys may repeat) and values stay in bounds. */
export function checkIndex(index: SegmentIndex, maxKey: number, maxValue: number): boolean {
  let previous: IndexEntry | undefined;
  const strictKeys = index.kind === OFFSET_INDEX;
  for (const entry of index.entries) {
    if (entry.key > maxKey || entry.value > maxValue || entry.value < 0) return false;
    if (previous !== undefined && (entry.value < previous.value || (strictKeys ? entry.key <= previous.key : entry.key < previous.key))) return false;
    previous = entry;
  }
  return true;
}
