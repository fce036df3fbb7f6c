import { describe, expect, it } from '@jest/globals';
import {
  DuplicateNodeError,
  EmptyRingError,
  InvalidNodeIdError,
  InvalidPartitionError,
  InvalidReplicaCountError,
  InvalidRingOptionsError,
  RingFullError,
  UnknownNodeError,
} from './errors.js';
import { DEFAULT_MAX_NODES, DEFAULT_VNODES_PER_NODE, MAX_PARTITIONS } from './limits.js';
import { HASH_SPACE_END, HashRing, hashKey, partitionsFor, rangeContains } from './ring.js';

const SMALL = { vnodesPerNode: 16, maxNodes: 8 } as const;

describe('hash ring', () => {
  it('has no replicas while empty', () => {
    const ring = HashRing.empty();
    expect(ring.size).toBe(0);
    expect(ring.partitionCount).toBe(0);
    expect(() => ring.preferenceList('k', 3)).toThrow(EmptyRingError);
    expect(() => ring.withoutNode('a')).toThrow(UnknownNodeError);
  });

  it('sizes the partitions from vnodes per node and the most nodes expected', () => {
    expect(partitionsFor(DEFAULT_VNODES_PER_NODE, DEFAULT_MAX_NODES)).toBe(4096);
    expect(partitionsFor(256, 10)).toBe(4096);
    expect(partitionsFor(16, 8)).toBe(128);
    expect(HashRing.fromMembers(['a']).partitionCount).toBe(4096);
  });

  it('gives a lone node every key and the whole hash space', () => {
    const ring = HashRing.fromMembers(['solo'], SMALL);
    expect(ring.preferenceList('user:1', 3)).toEqual(['solo']);
    expect(ring.fallbacks('user:1', 3)).toEqual([]);
    expect(ring.ownedRanges('solo')).toEqual([{ start: 0n, end: HASH_SPACE_END }]);
    expect(ring.ownership('solo', 3)).toBe(1);
  });

  it('gives every node at least vnodesPerNode partitions, within one of each other', () => {
    const ring = HashRing.fromMembers(['a', 'b', 'c', 'd', 'e'], SMALL);
    const counts = ring.nodes.map((node) => ring.ownership(node) * ring.partitionCount);
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(SMALL.vnodesPerNode);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    expect(counts.reduce((sum, count) => sum + count, 0)).toBe(ring.partitionCount);
  });

  it('routes a key to the partition whose range holds its hash', () => {
    const ring = HashRing.fromMembers(['a', 'b', 'c'], SMALL);
    for (const key of ['', 'user:1', 'cart:42', 'ü']) {
      const partition = ring.partitionOfKey(key);
      expect(rangeContains(ring.partitionRange(partition), hashKey(key))).toBe(true);
      expect(ring.preferenceList(key, 2)).toEqual(ring.replicasOfPartition(partition, 2));
      expect(ring.preferenceList(key, 2)[0]).toBe(ring.ownerOf(partition));
    }
    expect(ring.partitionOfHash(0n)).toBe(0);
    expect(ring.partitionOfHash(HASH_SPACE_END - 1n)).toBe(ring.partitionCount - 1);
    expect(hashKey(Buffer.from('user:1'))).toBe(hashKey('user:1'));
  });

  it('lists n distinct replicas, then the other nodes as fallbacks', () => {
    const ring = HashRing.fromMembers(['a', 'b', 'c', 'd', 'e'], SMALL);
    const replicas = ring.preferenceList('order:7', 3);
    const fallbacks = ring.fallbacks('order:7', 3);
    expect(new Set(replicas).size).toBe(3);
    expect(fallbacks).toHaveLength(2);
    expect([...replicas, ...fallbacks].sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(ring.fallbacks('order:7', 3, 1)).toEqual(fallbacks.slice(0, 1));
    expect(ring.preferenceList('order:7', 5).slice(0, 3)).toEqual(replicas);
    expect(ring.preferenceList('order:7', 9)).toHaveLength(5);
  });

  it('merges adjacent partitions into owned ranges', () => {
    const ring = HashRing.fromMembers(['a', 'b', 'c'], SMALL);
    const all = ring.nodes.flatMap((node) => ring.ownedRanges(node)).sort((x, y) => (x.start < y.start ? -1 : 1));
    expect(all[0]?.start).toBe(0n);
    expect(all[all.length - 1]?.end).toBe(HASH_SPACE_END);
    all.slice(1).forEach((range, i) => expect(range.start).toBe(all[i]?.end));
    for (const node of ring.nodes) {
      const ranges = ring.ownedRanges(node);
      ranges.slice(1).forEach((range, i) => expect(range.start > (ranges[i]?.end ?? 0n)).toBe(true));
      const replicated = ring.ownedRanges(node, 3);
      expect(replicated).toEqual([{ start: 0n, end: HASH_SPACE_END }]); // 3 nodes, n = 3: everyone holds everything
    }
  });

  it('reports every node share in one pass, as ownership does one by one', () => {
    const ring = HashRing.fromMembers(['a', 'b', 'c', 'd'], SMALL);
    for (const n of [1, 2, 3]) {
      const shares = ring.ownershipShares(n);
      for (const node of ring.nodes) expect(shares.get(node)).toBeCloseTo(ring.ownership(node, n), 12);
      expect([...shares.values()].reduce((sum, share) => sum + share, 0)).toBeCloseTo(n, 12);
    }
  });

  it('is the same ring on every member for the same join order and seed', () => {
    const members = ['n1', 'n2', 'n3', 'n4'];
    const one = HashRing.fromMembers(members, SMALL);
    const other = HashRing.fromMembers([...members], SMALL);
    expect(other.ownerTable()).toEqual(one.ownerTable());
    const reseeded = HashRing.fromMembers(members, { ...SMALL, seed: 7 });
    expect(reseeded.ownerTable()).not.toEqual(one.ownerTable());
  });

  it('returns to the empty ring when the last node leaves', () => {
    const ring = HashRing.fromMembers(['a', 'b'], SMALL).withoutNode('a').withoutNode('b');
    expect(ring.size).toBe(0);
    expect(ring.withNode('c').preferenceList('k', 1)).toEqual(['c']);
  });

  it('refuses bad input with typed errors', () => {
    const ring = HashRing.fromMembers(['a', 'b'], SMALL);
    expect(() => ring.withNode('a')).toThrow(DuplicateNodeError);
    expect(() => ring.withNode('')).toThrow(InvalidNodeIdError);
    expect(() => ring.withNode('x'.repeat(300))).toThrow(InvalidNodeIdError);
    expect(() => ring.ownedRanges('zz')).toThrow(UnknownNodeError);
    expect(() => ring.preferenceList('k', 0)).toThrow(InvalidReplicaCountError);
    expect(() => ring.preferenceList('k', 1.5)).toThrow(InvalidReplicaCountError);
    expect(() => ring.fallbacks('k', 1, -1)).toThrow(InvalidReplicaCountError);
    expect(() => ring.partitionRange(ring.partitionCount)).toThrow(InvalidPartitionError);
    expect(() => ring.ownerOf(-1)).toThrow(InvalidPartitionError);
    expect(() => HashRing.empty({ vnodesPerNode: 0 })).toThrow(InvalidRingOptionsError);
    expect(() => HashRing.empty({ vnodesPerNode: 256, maxNodes: MAX_PARTITIONS })).toThrow(InvalidRingOptionsError);
    expect(() => HashRing.empty({ seed: -1 })).toThrow(InvalidRingOptionsError);
    expect(() => HashRing.empty({ distinctWindow: 0 })).toThrow(InvalidRingOptionsError);
  });

  it('refuses a node beyond the size it was built for', () => {
    const full = HashRing.fromMembers(['a', 'b'], { vnodesPerNode: 4, maxNodes: 2 });
    expect(() => full.withNode('c')).toThrow(RingFullError);
    expect(full.withoutNode('a').withNode('c').nodes).toEqual(['b', 'c']);
  });
});
