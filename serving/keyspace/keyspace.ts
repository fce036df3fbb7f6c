/**
 * The keyspace the Redis command layer (serving/resp) runs on: binary keys to binary values with
 * an optional absolute expiry. It is deliberately small, so that a quorum-replicated store can
 * implement it honestly:
 *
 * - `get`, `getAll`, `set`, `delete` are single-key quorum operations (R and W replicas). They are
 *   not linearizable: a `get` may miss a write that a concurrent `set` has not yet made durable on
 *   R replicas, and two blind `set`s of one key may leave concurrent siblings.
 * - `compareAndSet` is the one linearizable operation (single-decree Paxos on the key's replicas in
 *   the real store, like Cassandra's lightweight transactions). Every read-modify-write command
 *   (INCR, SET NX/XX/GET/KEEPTTL, EXPIRE, PERSIST) is a `get` followed by `compareAndSet` in a
 *   bounded retry loop.
 * - Nothing spans keys: MSET, DEL k1 k2 and MGET are one operation per key.
 *
 * Expiry is part of the entry, so that a value and its TTL change together: a store can never
 * show the new value with the old TTL. An entry whose `expiresAtMs` is at or before the store's
 * clock is absent for every operation, including `compareAndSet`'s comparison.
 */

/** A stored value. `expiresAtMs` is a Unix time in milliseconds; absent means no TTL. */
export interface Entry {
  value: Buffer;
  expiresAtMs?: number;
}

/** Per-request quorum overrides; an undefined field takes the keyspace's default. */
export interface Consistency {
  /** Replicas that must answer a read. */
  r?: number;
  /** Replicas that must acknowledge a write. */
  w?: number;
  /** Replicas that hold the key. */
  n?: number;
}

/**
 * The outcome of a compare-and-set. A refused compare-and-set returns the entry it found (refined
 * from a plain boolean): the real store learns the current value in Paxos's prepare phase anyway,
 * so returning it saves the retry loop a quorum read per attempt, and the value it returns is the
 * linearized one, where a fresh `get` could return the same stale value again and make the loop
 * spin until read repair catches up.
 */
export type CompareAndSetResult = { written: true } | { written: false; current: Entry | undefined };

/** One page of a SCAN. */
export interface ScanPage {
  /** The cursor to continue from; '0' when the iteration is complete. */
  cursor: string;
  keys: Buffer[];
}

export interface Keyspace {
  /** The live entry, or undefined when the key is absent or expired. With concurrent siblings the
   * keyspace resolves them to one by its conflict policy (e.g. last write wins). */
  get(key: Buffer, consistency?: Consistency): Promise<Entry | undefined>;

  /** Every live concurrent sibling: one element when there is no conflict, none when absent. */
  getAll(key: Buffer, consistency?: Consistency): Promise<Entry[]>;

  /** Blind write (replaces every sibling this coordinator has seen). An entry that is already
   * expired behaves as a delete. */
  set(key: Buffer, entry: Entry, consistency?: Consistency): Promise<void>;

  delete(key: Buffer, consistency?: Consistency): Promise<void>;

  /**
   * Linearizable: writes `next` (undefined = delete) only if the current entry — what `get`
   * would resolve to at the linearization point — equals `expected` (undefined = absent or
   * expired) in value AND expiry. `next` equal to `expected` writes nothing new but still
   * confirms, linearizably, that the key held `expected`: the command layer uses that to answer
   * refused conditions (SET NX on an existing key) as linearizably as successful ones.
   */
  compareAndSet(key: Buffer, expected: Entry | undefined, next: Entry | undefined, consistency?: Consistency): Promise<CompareAndSetResult>;

  /**
   * One page of keys, at most about `count` (a hint, as in Redis). Cursor '0' starts and a
   * returned '0' ends. Cursors are decimal unsigned 64-bit integers, because redis-cli parses
   * them with strtoull; a store should make them positions in its key-hash space, which stay
   * valid while keys come and go. Every key present for the whole iteration is returned at least
   * once; keys added or removed meanwhile may or may not be. Expired keys are skipped.
   */
  scan(cursor: string, count: number): Promise<ScanPage>;

  /** Number of live keys. A replicated store may answer with an estimate. */
  size(): Promise<number>;
}

/** Whether an entry has expired by `nowMs`. */
export function isExpired(entry: Entry, nowMs: number): boolean {
  return entry.expiresAtMs !== undefined && entry.expiresAtMs <= nowMs;
}

/** Equal in value and expiry; undefined (absent) equals only undefined. */
export function entriesEqual(a: Entry | undefined, b: Entry | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.expiresAtMs === b.expiresAtMs && a.value.equals(b.value);
}
