/**
 * Recently written and read values of a Bitcask store, in memory, least recently used out first.
 * Riak's Bitcask leaves this to the OS page cache; here every read of a cached page still costs an
 * asynchronous positioned read through libuv's thread pool, which dominated a realtime view's
 * read-modify-write loop (the Paxos acceptor state and the value are read on every update).
 *
 * A cached value is valid only for the key-directory entry it was stored with (compared by
 * identity): a later write, a merge or recovery puts a new entry object in the directory, so a
 * stale value can never be returned and nothing has to be invalidated explicitly.
 */
import type { KeyDirectoryEntry } from './key-directory.js';

export interface CachedValue {
  readonly value: Buffer;
  readonly writtenAtMs: number;
  readonly expiresAtMs: number | undefined;
}

interface Slot {
  readonly entry: KeyDirectoryEntry;
  readonly stored: CachedValue;
  readonly bytes: number;
}

/** Bookkeeping per cached key beyond its bytes (key string, slot object, Map entry). */
const SLOT_OVERHEAD_BYTES = 96;

export class ValueCache {
  /** Map iteration order is insertion order: the first slot is the least recently used. */
  private readonly slots = new Map<string, Slot>();
  private usedBytes = 0;
  /** Values larger than this are not cached: one large value must not flush every hot one. */
  private readonly maxValueBytes: number;

  constructor(private readonly capacityBytes: number) {
    this.maxValueBytes = Math.floor(capacityBytes / 16);
  }

  get sizeBytes(): number {
    return this.usedBytes;
  }

  get(keyId: string, entry: KeyDirectoryEntry): CachedValue | undefined {
    const slot = this.slots.get(keyId);
    if (slot === undefined) return undefined;
    this.slots.delete(keyId);
    if (slot.entry !== entry) {
      this.usedBytes -= slot.bytes;
      return undefined;
    }
    this.slots.set(keyId, slot);
    return slot.stored;
  }

  set(keyId: string, entry: KeyDirectoryEntry, stored: CachedValue): void {
    const previous = this.slots.get(keyId);
    if (previous !== undefined) {
      this.slots.delete(keyId);
      this.usedBytes -= previous.bytes;
    }
    if (stored.value.length > this.maxValueBytes) return;
    const bytes = stored.value.length + keyId.length + SLOT_OVERHEAD_BYTES;
    this.slots.set(keyId, { entry, stored, bytes });
    this.usedBytes += bytes;
    for (const [oldest, slot] of this.slots) {
      if (this.usedBytes <= this.capacityBytes) break;
      this.slots.delete(oldest);
      this.usedBytes -= slot.bytes;
    }
  }

  delete(keyId: string): void {
    const slot = this.slots.get(keyId);
    if (slot === undefined) return;
    this.slots.delete(keyId);
    this.usedBytes -= slot.bytes;
  }
}
