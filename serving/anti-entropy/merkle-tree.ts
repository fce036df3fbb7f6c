/**
 * A Merkle tree over one partition's slice [start, end) of the 64-bit hash space (Dynamo §4.7,
 * Cassandra repair), for finding which keys two replicas disagree on without sending the keys.
 *
 * Shape: fixed fanout and depth, chosen by configuration rather than by content, so two replicas
 * build trees with the same nodes over the same ranges and compare them node by node. Leaf i covers
 * [start + ⌈i·W/L⌉, start + ⌈(i+1)·W/L⌉) for width W and L leaves.
 * Hashes: a leaf is the XOR of SHA-256(keyHash ‖ valueDigest) over its entries: independent of
 * insertion order and updated in O(1) by a put. An inner node is SHA-256 of its children's hashes,
 * recomputed lazily (only nodes on a changed path, once per batch of puts).
 *
 * Guarantees: equal contents give equal hashes whatever the order of puts; a node's hash differs
 * between two trees if (barring SHA-256 collisions) the contents below it differ. Holds every
 * (keyHash, digest) in memory (~100 bytes per key), so keysInLeaf can answer without storage.
 */
import { createHash } from 'node:crypto';
import { HASH_SPACE_END, type HashRange } from '../ring/index.js';
import { InvalidDigestError, InvalidTreeShapeError, KeyOutsideRangeError } from './errors.js';
import { DEFAULT_MERKLE_DEPTH, DEFAULT_MERKLE_FANOUT, MAX_MERKLE_DEPTH, MAX_MERKLE_FANOUT, MAX_MERKLE_LEAVES, MAX_VALUE_DIGEST_BYTES, MIN_MERKLE_FANOUT } from './limits.js';

/** Bytes of every node hash (SHA-256). */
export const MERKLE_HASH_BYTES = 32;

export interface TreeShape {
  readonly range: HashRange;
  readonly fanout: number;
  readonly depth: number;
}

export interface MerkleTreeOptions {
  /** Default DEFAULT_MERKLE_FANOUT. */
  readonly fanout?: number;
  /** Levels below the root; default DEFAULT_MERKLE_DEPTH. */
  readonly depth?: number;
}

/** Checks a shape (range inside the hash space and wide enough for its leaves, fanout^depth within
 * MAX_MERKLE_LEAVES) and returns it. */
export function assertTreeShape(shape: TreeShape): TreeShape {
  const { range, fanout, depth } = shape;
  if (!Number.isInteger(fanout) || fanout < MIN_MERKLE_FANOUT || fanout > MAX_MERKLE_FANOUT) {
    throw new InvalidTreeShapeError('fanout', fanout, `an integer in [${MIN_MERKLE_FANOUT}, ${MAX_MERKLE_FANOUT}]`);
  }
  if (!Number.isInteger(depth) || depth < 1 || depth > MAX_MERKLE_DEPTH) throw new InvalidTreeShapeError('depth', depth, `an integer in [1, ${MAX_MERKLE_DEPTH}]`);
  if (fanout ** depth > MAX_MERKLE_LEAVES) throw new InvalidTreeShapeError('fanout^depth', fanout ** depth, `at most ${MAX_MERKLE_LEAVES} leaves`);
  if (typeof range.start !== 'bigint' || typeof range.end !== 'bigint' || range.start < 0n || range.end > HASH_SPACE_END) {
    throw new InvalidTreeShapeError('range', formatRange(range), 'bigints within [0, 2^64]');
  }
  if (range.end - range.start < BigInt(fanout ** depth)) throw new InvalidTreeShapeError('range', formatRange(range), `at least ${fanout ** depth} hashes wide (one per leaf)`);
  return shape;
}

export function formatRange(range: HashRange): string {
  return `[${range.start.toString(16)}, ${range.end.toString(16)})`;
}

export function formatShape(shape: TreeShape): string {
  return `${formatRange(shape.range)} fanout ${shape.fanout} depth ${shape.depth}`;
}

export function sameShape(a: TreeShape, b: TreeShape): boolean {
  return a.fanout === b.fanout && a.depth === b.depth && a.range.start === b.range.start && a.range.end === b.range.end;
}

/** Number of nodes at `level` (0: the root). */
export function nodesAtLevel(shape: TreeShape, level: number): number {
  return shape.fanout ** level;
}

function entryHash(keyHash: bigint, digest: Uint8Array): Buffer {
  const key = Buffer.alloc(8);
  key.writeBigUInt64BE(keyHash);
  return createHash('sha256').update(key).update(digest).digest();
}

function xorInto(target: Buffer, offset: number, hash: Buffer): void {
  for (let i = 0; i < MERKLE_HASH_BYTES; i++) target[offset + i] = (target[offset + i] ?? 0) ^ (hash[i] ?? 0);
}

export class MerkleTree implements TreeShape {
  readonly range: HashRange;
  readonly fanout: number;
  readonly depth: number;
  readonly leafCount: number;
  readonly #width: bigint;
  /** Hashes per level, MERKLE_HASH_BYTES each; the last level holds the leaves' XOR accumulators. */
  readonly #levels: Buffer[];
  /** Inner nodes whose hash is out of date; a dirty node's ancestors are dirty too. */
  readonly #dirty: Uint8Array[];
  readonly #leaves = new Map<number, Map<bigint, Buffer>>();
  #size = 0;

  constructor(range: HashRange, options: MerkleTreeOptions = {}) {
    const shape = assertTreeShape({ range, fanout: options.fanout ?? DEFAULT_MERKLE_FANOUT, depth: options.depth ?? DEFAULT_MERKLE_DEPTH });
    this.range = { start: range.start, end: range.end };
    this.fanout = shape.fanout;
    this.depth = shape.depth;
    this.leafCount = this.fanout ** this.depth;
    this.#width = range.end - range.start;
    this.#levels = Array.from({ length: this.depth + 1 }, (_, level) => Buffer.alloc(nodesAtLevel(this, level) * MERKLE_HASH_BYTES));
    this.#dirty = Array.from({ length: this.depth }, (_, level) => new Uint8Array(nodesAtLevel(this, level)).fill(1));
  }

  /** A tree holding `entries` (keyHash, valueDigest). */
  static build(range: HashRange, entries: Iterable<readonly [bigint, Uint8Array]>, options: MerkleTreeOptions = {}): MerkleTree {
    const tree = new MerkleTree(range, options);
    for (const [keyHash, digest] of entries) tree.put(keyHash, digest);
    return tree;
  }

  /** Number of keys held. */
  get size(): number {
    return this.#size;
  }

  /** The leaf whose range holds `keyHash`. */
  leafOf(keyHash: bigint): number {
    if (typeof keyHash !== 'bigint' || keyHash < this.range.start || keyHash >= this.range.end) throw new KeyOutsideRangeError(keyHash, formatRange(this.range));
    return Number(((keyHash - this.range.start) * BigInt(this.leafCount)) / this.#width);
  }

  /** The slice of the hash space leaf `leaf` covers. */
  leafRange(leaf: number): HashRange {
    this.#assertIndex(this.depth, leaf);
    const boundary = (i: number): bigint => this.range.start + (BigInt(i) * this.#width + BigInt(this.leafCount) - 1n) / BigInt(this.leafCount);
    return { start: boundary(leaf), end: boundary(leaf + 1) };
  }

  /** Records that the key at `keyHash` now has a value with digest `digest` (insert or replace). */
  put(keyHash: bigint, digest: Uint8Array): void {
    if (digest.length < 1 || digest.length > MAX_VALUE_DIGEST_BYTES) throw new InvalidDigestError(digest.length, MAX_VALUE_DIGEST_BYTES);
    const leaf = this.leafOf(keyHash);
    const entries = this.#leaves.get(leaf) ?? new Map<bigint, Buffer>();
    const previous = entries.get(keyHash);
    if (previous !== undefined && previous.equals(digest)) return;
    const leaves = this.#levels[this.depth] as Buffer;
    if (previous !== undefined) xorInto(leaves, leaf * MERKLE_HASH_BYTES, entryHash(keyHash, previous));
    else this.#size++;
    const copy = Buffer.from(digest);
    entries.set(keyHash, copy);
    this.#leaves.set(leaf, entries);
    xorInto(leaves, leaf * MERKLE_HASH_BYTES, entryHash(keyHash, copy));
    this.#markDirty(leaf);
  }

  /** Forgets the key at `keyHash` (its tombstone was collected). False if it was not there. */
  remove(keyHash: bigint): boolean {
    const leaf = this.leafOf(keyHash);
    const entries = this.#leaves.get(leaf);
    const previous = entries?.get(keyHash);
    if (entries === undefined || previous === undefined) return false;
    entries.delete(keyHash);
    if (entries.size === 0) this.#leaves.delete(leaf);
    this.#size--;
    xorInto(this.#levels[this.depth] as Buffer, leaf * MERKLE_HASH_BYTES, entryHash(keyHash, previous));
    this.#markDirty(leaf);
    return true;
  }

  /** The digest held for `keyHash`, if any. */
  digestOf(keyHash: bigint): Buffer | undefined {
    return this.#leaves.get(this.leafOf(keyHash))?.get(keyHash);
  }

  /** The (keyHash, digest) entries of leaf `leaf`, by key hash. */
  entriesInLeaf(leaf: number): [bigint, Buffer][] {
    this.#assertIndex(this.depth, leaf);
    return [...(this.#leaves.get(leaf) ?? [])].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** The key hashes of leaf `leaf`, ascending. */
  keysInLeaf(leaf: number): bigint[] {
    return this.entriesInLeaf(leaf).map(([keyHash]) => keyHash);
  }

  /** Hash of node `index` at `level` (0: the root; `depth`: the leaves). */
  nodeHash(level: number, index: number): Buffer {
    this.#assertIndex(level, index);
    this.#refresh(level, index);
    const hashes = this.#levels[level] as Buffer;
    return Buffer.from(hashes.subarray(index * MERKLE_HASH_BYTES, (index + 1) * MERKLE_HASH_BYTES));
  }

  rootHash(): Buffer {
    return this.nodeHash(0, 0);
  }

  #assertIndex(level: number, index: number): void {
    if (!Number.isInteger(level) || level < 0 || level > this.depth) throw new InvalidTreeShapeError('level', level, `an integer in [0, ${this.depth}]`);
    const count = nodesAtLevel(this, level);
    if (!Number.isInteger(index) || index < 0 || index >= count) throw new InvalidTreeShapeError(`index at level ${level}`, index, `an integer in [0, ${count})`);
  }

  #markDirty(leaf: number): void {
    let index = leaf;
    for (let level = this.depth - 1; level >= 0; level--) {
      index = Math.floor(index / this.fanout);
      const dirty = this.#dirty[level] as Uint8Array;
      if (dirty[index] === 1) return;
      dirty[index] = 1;
    }
  }

  #refresh(level: number, index: number): void {
    if (level === this.depth) return;
    const dirty = this.#dirty[level] as Uint8Array;
    if (dirty[index] === 0) return;
    for (let child = index * this.fanout; child < (index + 1) * this.fanout; child++) this.#refresh(level + 1, child);
    const children = (this.#levels[level + 1] as Buffer).subarray(index * this.fanout * MERKLE_HASH_BYTES, (index + 1) * this.fanout * MERKLE_HASH_BYTES);
    createHash('sha256').update(children).digest().copy(this.#levels[level] as Buffer, index * MERKLE_HASH_BYTES);
    dirty[index] = 0;
  }
}
