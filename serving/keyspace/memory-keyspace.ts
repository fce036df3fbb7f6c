/**
 * An in-memory Keyspace: the reference the RESP tests run on, and the store of a single-node
 * `barista dev`. Every operation is atomic (one JavaScript turn), so `compareAndSet` is trivially
 * linearizable. The clock is injectable: entries expire when `nowMs()` reaches their
 * `expiresAtMs`, checked lazily on access and swept by `size()`, `scan()` and `purgeExpired()`.
 *
 * SCAN walks keys in the order of their 64-bit ring hash (the hash serving/ring places keys by),
 * and a cursor is "the next hash to visit": it stays valid whatever is inserted or deleted, so a
 * key present for the whole iteration is returned exactly once.
 *
 * Stored values are copies of what callers pass; returned values are the stored buffers and must
 * not be modified.
 */
import { xxhash64Key } from '../ring/xxhash64.js';
import { InvalidConsistencyError, InvalidCursorError, InvalidEntryError, KeyspaceFullError } from './errors.js';
import { entriesEqual, isExpired, type CompareAndSetResult, type Consistency, type Entry, type Keyspace, type ScanPage } from './keyspace.js';
import { DEFAULT_MEMORY_KEYSPACE_MAX_BYTES, MAX_SCAN_BATCH_KEYS, MAX_SCAN_CURSOR } from './limits.js';

export interface MemoryKeyspaceOptions {
  /** The clock entries expire by; Date.now unless a test injects one. */
  nowMs?: () => number;
  /** Most bytes of keys and values held (default DEFAULT_MEMORY_KEYSPACE_MAX_BYTES). */
  maxBytes?: number;
}

interface Slot {
  /** Concurrent siblings; the last one is what `get` resolves to. Never empty. */
  siblings: Entry[];
  hash: bigint;
}

interface HashedKey {
  hash: bigint;
  /** The key's bytes as a latin1 string (one char per byte): the map key. */
  id: string;
}

const DECIMAL = /^(0|[1-9][0-9]*)$/;

export class MemoryKeyspace implements Keyspace {
  private readonly slots = new Map<string, Slot>();
  private readonly nowMs: () => number;
  private readonly maxBytes: number;
  private usedBytes = 0;
  /** Keys sorted by (hash, id), rebuilt lazily after keys come or go. */
  private hashOrder: HashedKey[] | undefined;

  constructor(options: MemoryKeyspaceOptions = {}) {
    this.nowMs = options.nowMs ?? Date.now;
    this.maxBytes = options.maxBytes ?? DEFAULT_MEMORY_KEYSPACE_MAX_BYTES;
  }

  /** Bytes of keys and values held, expired entries included until they are swept. */
  get bytesUsed(): number {
    return this.usedBytes;
  }

  async get(key: Buffer, consistency?: Consistency): Promise<Entry | undefined> {
    checkConsistency(consistency);
    return this.current(key.toString('latin1'));
  }

  async getAll(key: Buffer, consistency?: Consistency): Promise<Entry[]> {
    checkConsistency(consistency);
    const id = key.toString('latin1');
    if (this.current(id) === undefined) return [];
    const now = this.nowMs();
    return this.slots.get(id)!.siblings.filter((entry) => !isExpired(entry, now));
  }

  async set(key: Buffer, entry: Entry, consistency?: Consistency): Promise<void> {
    checkConsistency(consistency);
    checkEntry(entry);
    this.write(key.toString('latin1'), entry);
  }

  async delete(key: Buffer, consistency?: Consistency): Promise<void> {
    checkConsistency(consistency);
    this.write(key.toString('latin1'), undefined);
  }

  async compareAndSet(key: Buffer, expected: Entry | undefined, next: Entry | undefined, consistency?: Consistency): Promise<CompareAndSetResult> {
    checkConsistency(consistency);
    if (expected !== undefined) checkEntry(expected);
    if (next !== undefined) checkEntry(next);
    const id = key.toString('latin1');
    const current = this.current(id);
    if (!entriesEqual(current, expected)) return { written: false, current };
    // Writing what is already there changes nothing; only a real change replaces siblings.
    if (!entriesEqual(current, next)) this.write(id, next);
    return { written: true };
  }

  async scan(cursor: string, count: number): Promise<ScanPage> {
    if (!DECIMAL.test(cursor) || BigInt(cursor) > MAX_SCAN_CURSOR) throw new InvalidCursorError(cursor);
    const order = this.sortedKeys();
    const batch = Math.max(1, Math.min(Math.floor(count) || 1, MAX_SCAN_BATCH_KEYS));
    let index = lowerBound(order, BigInt(cursor));
    const keys: Buffer[] = [];
    let examined = 0;
    let lastHash: bigint | undefined;
    // Finish the last hash seen even past `count`, so that the next cursor (lastHash + 1) skips nothing.
    while (index < order.length && (examined < batch || order[index]!.hash === lastHash)) {
      const { hash, id } = order[index++]!;
      lastHash = hash;
      examined += 1;
      if (this.current(id) !== undefined) keys.push(Buffer.from(id, 'latin1'));
    }
    const done = index >= order.length || lastHash === undefined || lastHash === MAX_SCAN_CURSOR;
    return { cursor: done ? '0' : (lastHash! + 1n).toString(), keys };
  }

  async size(): Promise<number> {
    this.purgeExpired();
    return this.slots.size;
  }

  /** Drops every expired entry now (otherwise they go when touched). */
  purgeExpired(): void {
    const now = this.nowMs();
    for (const [id, slot] of this.slots) {
      const live = slot.siblings.filter((entry) => !isExpired(entry, now));
      if (live.length !== slot.siblings.length) this.replace(id, slot, live);
    }
  }

  /**
   * Test hook: makes the key hold several concurrent siblings, as concurrent blind writes leave
   * them in a replicated store. `get` resolves to the last one; any later write replaces them all.
   */
  injectSiblings(key: Buffer, siblings: readonly Entry[]): void {
    siblings.forEach(checkEntry);
    const id = key.toString('latin1');
    const slot = this.slots.get(id);
    const copies = siblings.map(copyEntry);
    this.ensureRoom(id, slot, copies);
    this.replace(id, slot, copies);
  }

  /** The live resolved entry of a key, sweeping expired siblings on the way. */
  private current(id: string): Entry | undefined {
    const slot = this.slots.get(id);
    if (slot === undefined) return undefined;
    const now = this.nowMs();
    if (slot.siblings.some((entry) => isExpired(entry, now))) {
      const live = slot.siblings.filter((entry) => !isExpired(entry, now));
      this.replace(id, slot, live);
      return live.at(-1);
    }
    return slot.siblings.at(-1);
  }

  private write(id: string, entry: Entry | undefined): void {
    const siblings = entry === undefined || isExpired(entry, this.nowMs()) ? [] : [copyEntry(entry)];
    const slot = this.slots.get(id);
    this.ensureRoom(id, slot, siblings);
    this.replace(id, slot, siblings);
  }

  private ensureRoom(id: string, slot: Slot | undefined, siblings: readonly Entry[]): void {
    const after = this.usedBytes - slotBytes(id, slot?.siblings ?? []) + slotBytes(id, siblings);
    if (after > this.maxBytes && after > this.usedBytes) throw new KeyspaceFullError(this.usedBytes, this.maxBytes);
  }

  /** Swaps a key's siblings (none = delete), keeping the byte count and hash order current. */
  private replace(id: string, slot: Slot | undefined, siblings: Entry[]): void {
    this.usedBytes += slotBytes(id, siblings) - slotBytes(id, slot?.siblings ?? []);
    if (siblings.length === 0) {
      if (slot !== undefined) {
        this.slots.delete(id);
        this.hashOrder = undefined;
      }
    } else if (slot !== undefined) {
      slot.siblings = siblings;
    } else {
      this.slots.set(id, { siblings, hash: xxhash64Key(Buffer.from(id, 'latin1')) });
      this.hashOrder = undefined;
    }
  }

  private sortedKeys(): HashedKey[] {
    if (this.hashOrder === undefined) {
      this.hashOrder = [...this.slots].map(([id, slot]) => ({ hash: slot.hash, id }));
      this.hashOrder.sort((a, b) => (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    }
    return this.hashOrder;
  }
}

function slotBytes(id: string, siblings: readonly Entry[]): number {
  if (siblings.length === 0) return 0;
  return siblings.reduce((total, entry) => total + entry.value.length, id.length);
}

/** First index whose hash is at least `hash`. */
function lowerBound(order: readonly HashedKey[], hash: bigint): number {
  let low = 0;
  let high = order.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (order[middle]!.hash < hash) low = middle + 1;
    else high = middle;
  }
  return low;
}

function copyEntry(entry: Entry): Entry {
  const value = Buffer.from(entry.value);
  return entry.expiresAtMs === undefined ? { value } : { value, expiresAtMs: entry.expiresAtMs };
}

function checkEntry(entry: Entry): void {
  if (!Buffer.isBuffer(entry.value)) throw new InvalidEntryError('value', typeof entry.value, 'a Buffer');
  if (entry.expiresAtMs !== undefined && !Number.isFinite(entry.expiresAtMs)) throw new InvalidEntryError('expiresAtMs', entry.expiresAtMs, 'a finite Unix time in milliseconds, or absent');
}

function checkConsistency(consistency: Consistency | undefined): void {
  if (consistency === undefined) return;
  for (const field of ['r', 'w', 'n'] as const) {
    const value = consistency[field];
    if (value !== undefined && !(Number.isInteger(value) && value >= 1)) throw new InvalidConsistencyError(field, value, 'a positive integer, or undefined for the default');
  }
}
