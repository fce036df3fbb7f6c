import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { DEFAULT_VNODES_PER_NODE } from './limits.js';
import { diffRings } from './ring-diff.js';
import { HashRing, type RingOptions } from './ring.js';

const nodeIdArbitrary = fc.stringMatching(/^[a-z0-9-]{1,12}$/);
const membersArbitrary = (min: number, max: number): fc.Arbitrary<string[]> => fc.uniqueArray(nodeIdArbitrary, { minLength: min, maxLength: max });
const seedArbitrary = fc.integer({ min: 0, max: 0xffff_ffff });
/** Small rings keep these properties fast; they hold at any size. */
const SMALL: RingOptions = { vnodesPerNode: 16, maxNodes: 12 };

function sameMembers(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((node) => b.includes(node));
}

describe('hash ring (properties)', () => {
  it(`balances own and replicated shares within ±10% of the mean at ${DEFAULT_VNODES_PER_NODE} vnodes, 3 to 10 nodes`, () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 10 }), seedArbitrary, fc.boolean(), (size, seed, tight) => {
        const members = Array.from({ length: size }, (_, i) => `node-${seed.toString(36)}-${i}`);
        // tight: sized for exactly these nodes, so each holds 256 to 512 partitions.
        const ring = HashRing.fromMembers(members, tight ? { seed, maxNodes: size } : { seed });
        for (const n of [1, 3]) {
          const shares = [...ring.ownershipShares(n).values()];
          const mean = shares.reduce((sum, share) => sum + share, 0) / shares.length;
          for (const share of shares) expect(Math.abs(share / mean - 1)).toBeLessThanOrEqual(0.1);
        }
        for (const share of ring.ownershipShares(1).values()) {
          expect(share * ring.partitionCount).toBeGreaterThanOrEqual(DEFAULT_VNODES_PER_NODE);
        }
      }),
      { numRuns: 12 },
    );
  });

  it('moves only ranges the joining node now holds (minimal movement)', () => {
    fc.assert(
      fc.property(membersArbitrary(2, 10), seedArbitrary, fc.integer({ min: 1, max: 4 }), (members, seed, n) => {
        const [joining, ...existing] = members as [string, ...string[]];
        const before = HashRing.fromMembers(existing, { ...SMALL, seed });
        const after = before.withNode(joining);
        for (let partition = 0; partition < after.partitionCount; partition++) {
          const from = before.replicasOfPartition(partition, n);
          const to = after.replicasOfPartition(partition, n);
          if (!sameMembers(from, to)) expect(to).toContain(joining);
          if (before.ownerOf(partition) !== after.ownerOf(partition)) expect(after.ownerOf(partition)).toBe(joining);
        }
        for (const move of diffRings(before, after, n)) {
          expect(move.to).toContain(joining);
          expect(move.gained).toContain(joining);
          expect(move.from).not.toContain(joining);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('moves only ranges the leaving node held', () => {
    fc.assert(
      fc.property(membersArbitrary(2, 10), seedArbitrary, fc.nat(), fc.integer({ min: 1, max: 4 }), (members, seed, pick, n) => {
        const leaving = members[pick % members.length] as string;
        const before = HashRing.fromMembers(members, { ...SMALL, seed });
        const after = before.withoutNode(leaving);
        for (let partition = 0; partition < after.partitionCount; partition++) {
          const from = before.replicasOfPartition(partition, n);
          const to = after.replicasOfPartition(partition, n);
          if (!sameMembers(from, to)) expect(from).toContain(leaving);
          if (before.ownerOf(partition) !== leaving) expect(after.ownerOf(partition)).toBe(before.ownerOf(partition));
        }
        for (const move of diffRings(before, after, n)) {
          expect(move.from).toContain(leaving);
          expect(move.to).not.toContain(leaving);
          expect(move.lost).toContain(leaving);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('keeps own shares within one partition of each other through joins and leaves', () => {
    const step = fc.oneof(fc.record({ join: nodeIdArbitrary }), fc.record({ leave: fc.nat() }));
    fc.assert(
      fc.property(fc.array(step, { maxLength: 15 }), seedArbitrary, (steps, seed) => {
        let ring = HashRing.empty({ ...SMALL, seed });
        for (const s of steps) {
          if ('join' in s && !ring.has(s.join) && ring.size < 12) ring = ring.withNode(s.join);
          if ('leave' in s && ring.size > 0) ring = ring.withoutNode(ring.nodes[s.leave % ring.size] as string);
        }
        if (ring.size === 0) return;
        const counts = [...ring.ownershipShares(1).values()].map((share) => Math.round(share * ring.partitionCount));
        expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
      }),
      { numRuns: 40 },
    );
  });

  it('gives every key n distinct replicas when there are at least n nodes, else every node', () => {
    fc.assert(
      fc.property(membersArbitrary(1, 8), seedArbitrary, fc.array(fc.string(), { minLength: 1, maxLength: 20 }), fc.integer({ min: 1, max: 10 }), (members, seed, keys, n) => {
        const ring = HashRing.fromMembers(members, { ...SMALL, seed });
        for (const key of keys) {
          const replicas = ring.preferenceList(key, n);
          expect(new Set(replicas).size).toBe(replicas.length);
          expect(replicas).toHaveLength(Math.min(n, members.length));
          for (const node of replicas) expect(members).toContain(node);
          const fallbacks = ring.fallbacks(key, n);
          expect(fallbacks.filter((node) => replicas.includes(node))).toEqual([]);
          expect(replicas.length + fallbacks.length).toBe(members.length);
          expect(ring.preferenceList(key, n + 1).slice(0, replicas.length)).toEqual(replicas);
        }
      }),
      { numRuns: 60 },
    );
  });
});
