/**
 * What a replica holds of one ring partition, as anti-entropy compares it: a Merkle tree of
 * (key hash, digest of the key's encoded copy) over the partition's hash range, and the keys and
 * digests behind each leaf. Both sides of an exchange build it the same way from their
 * LocalReplica, so equal copies give equal trees.
 *
 * Tombstones are included: a replica that missed a delete must receive it, or the key comes back.
 * Two keys with the same 64-bit hash share one tree entry whose digest covers both.
 */
import { createHash } from 'node:crypto';
import { MerkleTree } from '../anti-entropy/index.js';
import { encodeVersionedValue } from '../quorum/index.js';
import { hashKey, type HashRing } from '../ring/index.js';
import type { LocalReplica } from './local-replica.js';

export interface KeyDigest {
  key: Buffer;
  /** SHA-256 of the key's encoded versioned value. */
  digest: Buffer;
}

export class PartitionDigests {
  private constructor(
    readonly partition: number,
    readonly tree: MerkleTree,
    private readonly byHash: ReadonlyMap<bigint, readonly KeyDigest[]>,
  ) {}

  static async build(local: LocalReplica, ring: HashRing, partition: number): Promise<PartitionDigests> {
    const byHash = new Map<bigint, KeyDigest[]>();
    for (const key of local.keysInPartition(partition)) {
      const copy = await local.read(key);
      if (copy === undefined) continue;
      const digest = createHash('sha256').update(encodeVersionedValue(copy)).digest();
      const keyHash = hashKey(key);
      const sameHash = byHash.get(keyHash);
      if (sameHash) sameHash.push({ key, digest });
      else byHash.set(keyHash, [{ key, digest }]);
    }
    const entries = [...byHash].map(([keyHash, keys]) => [keyHash, entryDigest(keys)] as const);
    return new PartitionDigests(partition, MerkleTree.build(ring.partitionRange(partition), entries), byHash);
  }

  /** The keys (and their digests) under leaves `leaves` of the tree. */
  keysInLeaves(leaves: readonly number[]): KeyDigest[] {
    return leaves.flatMap((leaf) => this.tree.keysInLeaf(leaf).flatMap((keyHash) => this.byHash.get(keyHash) ?? []));
  }
}

/** One digest for every key of one hash, independent of the order they were found in. */
function entryDigest(keys: KeyDigest[]): Buffer {
  if (keys.length === 1) return keys[0]!.digest;
  const hash = createHash('sha256');
  for (const { key, digest } of [...keys].sort((a, b) => Buffer.compare(a.key, b.key))) hash.update(key).update(digest);
  return hash.digest();
}
