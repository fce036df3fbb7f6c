/**
 * Comparing two replicas' Merkle trees a level at a time, as they would over the network.
 *
 * Protocol (either side may start): send `levelOf(tree, 0)` (the root); the receiver answers with
 * the indices whose hashes differ from its own (`compareLevel`); the next message carries the
 * children of those (`levelOf(tree, level + 1, childIndices(tree, differing))`); at the leaf level
 * the differing indices are the leaves whose keys must be exchanged. Only subtrees that differ are
 * ever sent, so replicas that agree exchange one hash.
 *
 * Level messages have a compact, versioned binary form; `decodeMerkleLevel` checks every field and
 * throws MalformedMerkleMessageError (never another error) on garbage.
 */
import type { HashRange } from '../ring/index.js';
import { IncomparableTreesError, MalformedMerkleMessageError } from './errors.js';
import { MERKLE_LEVEL_FORMAT_VERSION } from './limits.js';
import { assertTreeShape, formatShape, MERKLE_HASH_BYTES, nodesAtLevel, sameShape, type MerkleTree, type TreeShape } from './merkle-tree.js';

/** Some nodes of one level of a tree: `hashes[i]` is the hash of node `indices[i]`. */
export interface MerkleLevel {
  readonly shape: TreeShape;
  readonly level: number;
  /** Strictly ascending. */
  readonly indices: readonly number[];
  readonly hashes: readonly Buffer[];
}

export interface LeafDifference {
  readonly leaf: number;
  readonly range: HashRange;
}

function shapeOf(tree: MerkleTree): TreeShape {
  return { range: tree.range, fanout: tree.fanout, depth: tree.depth };
}

/** Nodes `indices` (default: all) of `level` of `tree`. */
export function levelOf(tree: MerkleTree, level: number, indices?: readonly number[]): MerkleLevel {
  const chosen = indices ?? Array.from({ length: nodesAtLevel(tree, level) }, (_, i) => i);
  return { shape: shapeOf(tree), level, indices: [...chosen], hashes: chosen.map((index) => tree.nodeHash(level, index)) };
}

/** Indices of `remote` whose hash differs from the local tree's node. */
export function compareLevel(tree: MerkleTree, remote: MerkleLevel): number[] {
  if (!sameShape(shapeOf(tree), remote.shape)) throw new IncomparableTreesError(formatShape(shapeOf(tree)), formatShape(remote.shape));
  return remote.indices.filter((index, i) => !tree.nodeHash(remote.level, index).equals(remote.hashes[i] ?? Buffer.alloc(0)));
}

/** The children, one level down, of nodes `indices` of a tree of shape `shape`. */
export function childIndices(shape: TreeShape, indices: readonly number[]): number[] {
  return indices.flatMap((index) => Array.from({ length: shape.fanout }, (_, i) => index * shape.fanout + i));
}

/** The leaves whose contents differ between `a` and `b`, walking down only through differing nodes. */
export function diff(a: MerkleTree, b: MerkleTree): LeafDifference[] {
  let differing = [0];
  for (let level = 0; level <= a.depth && differing.length > 0; level++) {
    differing = compareLevel(a, levelOf(b, level, differing));
    if (level < a.depth) differing = childIndices(a, differing);
  }
  return differing.map((leaf) => ({ leaf, range: a.leafRange(leaf) }));
}

/**
 * Layout (big-endian): u8 version · u64 range start · u64 range end − 1 · u16 fanout · u8 depth ·
 * u8 level · u32 count · count × (u32 index · 32-byte hash).
 */
export function encodeMerkleLevel(message: MerkleLevel): Buffer {
  const buffer = Buffer.alloc(25 + message.indices.length * (4 + MERKLE_HASH_BYTES));
  let offset = buffer.writeUInt8(MERKLE_LEVEL_FORMAT_VERSION, 0);
  offset = buffer.writeBigUInt64BE(message.shape.range.start, offset);
  offset = buffer.writeBigUInt64BE(message.shape.range.end - 1n, offset);
  offset = buffer.writeUInt16BE(message.shape.fanout, offset);
  offset = buffer.writeUInt8(message.shape.depth, offset);
  offset = buffer.writeUInt8(message.level, offset);
  offset = buffer.writeUInt32BE(message.indices.length, offset);
  message.indices.forEach((index, i) => {
    offset = buffer.writeUInt32BE(index, offset);
    offset += (message.hashes[i] ?? Buffer.alloc(MERKLE_HASH_BYTES)).copy(buffer, offset, 0, MERKLE_HASH_BYTES);
  });
  return buffer;
}

/** Reads a level message from a peer. */
export function decodeMerkleLevel(bytes: Buffer): MerkleLevel {
  const fail = (reason: string, offset: number): never => {
    throw new MalformedMerkleMessageError(reason, offset);
  };
  if (bytes.length < 25) fail(`truncated header: ${bytes.length} of 25 bytes`, 0);
  const version = bytes.readUInt8(0);
  if (version !== MERKLE_LEVEL_FORMAT_VERSION) fail(`unknown format version ${version}`, 0);
  const range = { start: bytes.readBigUInt64BE(1), end: bytes.readBigUInt64BE(9) + 1n };
  const shape = { range, fanout: bytes.readUInt16BE(17), depth: bytes.readUInt8(19) };
  try {
    assertTreeShape(shape);
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error), 1);
  }
  const level = bytes.readUInt8(20);
  if (level > shape.depth) fail(`level ${level} below depth ${shape.depth}`, 20);
  const count = bytes.readUInt32BE(21);
  const nodes = nodesAtLevel(shape, level);
  if (count > nodes) fail(`${count} nodes at a level of ${nodes}`, 21);
  if (bytes.length !== 25 + count * (4 + MERKLE_HASH_BYTES)) fail(`length ${bytes.length} does not match ${count} nodes`, 25);
  const indices: number[] = [];
  const hashes: Buffer[] = [];
  for (let i = 0, offset = 25; i < count; i++, offset += 4 + MERKLE_HASH_BYTES) {
    const index = bytes.readUInt32BE(offset);
    if (index >= nodes || (i > 0 && index <= (indices[i - 1] ?? -1))) fail(`index ${index} out of order or range`, offset);
    indices.push(index);
    hashes.push(Buffer.from(bytes.subarray(offset + 4, offset + 4 + MERKLE_HASH_BYTES)));
  }
  return { shape, level, indices, hashes };
}
