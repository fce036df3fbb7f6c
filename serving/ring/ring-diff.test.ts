import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { diffRings, type RangeMove } from './ring-diff.js';
import { HASH_SPACE_END, HashRing, type HashRange } from './ring.js';

const SMALL = { vnodesPerNode: 8, maxNodes: 8 } as const;

/** Brute force: the replica set of every position sampled at each fine partition start. */
function changedStarts(before: HashRing, after: HashRing, n: number, partitions: number): bigint[] {
  const width = HASH_SPACE_END / BigInt(partitions);
  const changed: bigint[] = [];
  for (let partition = 0; partition < partitions; partition++) {
    const position = BigInt(partition) * width;
    const from = before.size === 0 ? [] : before.replicasOfPartition(before.partitionOfHash(position), n);
    const to = after.size === 0 ? [] : after.replicasOfPartition(after.partitionOfHash(position), n);
    if (from.length !== to.length || from.some((node) => !to.includes(node))) changed.push(position);
  }
  return changed;
}

function covers(moves: readonly RangeMove[], position: bigint): boolean {
  return moves.some(({ range }) => position >= range.start && position < range.end);
}

function expectOrderedAndDisjoint(ranges: readonly HashRange[]): void {
  ranges.forEach((range, i) => {
    expect(range.start < range.end).toBe(true);
    const previous = ranges[i - 1];
    if (previous !== undefined) expect(previous.end <= range.start).toBe(true);
  });
}

describe('ring diff', () => {
  it('is empty between a ring and itself', () => {
    const ring = HashRing.fromMembers(['a', 'b', 'c'], SMALL);
    expect(diffRings(ring, ring, 3)).toEqual([]);
    expect(diffRings(HashRing.empty(), HashRing.empty(), 3)).toEqual([]);
  });

  it('hands the whole space to the first node', () => {
    const moves = diffRings(HashRing.empty(SMALL), HashRing.fromMembers(['a'], SMALL), 3);
    expect(moves).toEqual([{ range: { start: 0n, end: HASH_SPACE_END }, from: [], to: ['a'], gained: ['a'], lost: [] }]);
  });

  it('names who streams what when a node joins', () => {
    const before = HashRing.fromMembers(['a', 'b', 'c', 'd'], SMALL);
    const after = before.withNode('e');
    const moves = diffRings(before, after, 2);
    expect(moves.length).toBeGreaterThan(0);
    for (const move of moves) {
      expect(move.gained).toContain('e');
      expect(move.lost.length).toBe(move.gained.length);
      expect(move.gained.every((node) => move.to.includes(node) && !move.from.includes(node))).toBe(true);
      expect(move.lost.every((node) => move.from.includes(node) && !move.to.includes(node))).toBe(true);
    }
    expectOrderedAndDisjoint(moves.map((move) => move.range));
    // Merging: no two adjacent moves carry the same change.
    moves.slice(1).forEach((move, i) => {
      const previous = moves[i];
      if (previous !== undefined && previous.range.end === move.range.start) {
        expect(JSON.stringify([previous.from, previous.to])).not.toBe(JSON.stringify([move.from, move.to]));
      }
    });
  });

  it('lists exactly the positions whose replica set changed, for any two rings', () => {
    const members = fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), { maxLength: 6 });
    const options = fc.record({ vnodesPerNode: fc.constantFrom(2, 4, 8), maxNodes: fc.constant(8), seed: fc.nat({ max: 5 }) });
    fc.assert(
      fc.property(members, members, options, options, fc.integer({ min: 1, max: 4 }), (left, right, leftOptions, rightOptions, n) => {
        const before = HashRing.fromMembers(left, leftOptions);
        const after = HashRing.fromMembers(right, rightOptions);
        const moves = diffRings(before, after, n);
        expectOrderedAndDisjoint(moves.map((move) => move.range));
        const partitions = Math.max(before.partitionCount, after.partitionCount, 1);
        const changed = changedStarts(before, after, n, partitions);
        const width = HASH_SPACE_END / BigInt(partitions);
        expect(moves.reduce((total, move) => total + (move.range.end - move.range.start) / width, 0n)).toBe(BigInt(changed.length));
        for (const position of changed) expect(covers(moves, position)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
});
