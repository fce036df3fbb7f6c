import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { assignReplicas } from './assignment.js';
import { ReplicationFactorError } from './errors.js';

describe('round-robin replica assignment', () => {
  it('matches Kafka for 3 brokers, 6 partitions, RF 3 from start 0 shift 0', () => {
    expect(assignReplicas([1, 2, 3], 6, 3, { start: 0, shift: 0 })).toEqual([
      [1, 2, 3],
      [2, 3, 1],
      [3, 1, 2],
      [1, 3, 2],
      [2, 1, 3],
      [3, 2, 1],
    ]);
  });

  it('refuses a replication factor above the broker count', () => {
    expect(() => assignReplicas([1, 2], 1, 3, { start: 0, shift: 0 })).toThrow(ReplicationFactorError);
  });

  it('never puts two replicas of a partition on one broker and spreads leaders evenly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 40 }), fc.nat(), fc.nat(), (brokers, partitions, start, shift) => {
        const ids = Array.from({ length: brokers }, (_, i) => i + 10);
        const rf = 1 + (start % brokers);
        const assignment = assignReplicas(ids, partitions, rf, { start: start % brokers, shift: shift % brokers });
        expect(assignment).toHaveLength(partitions);
        for (const replicas of assignment) {
          expect(new Set(replicas).size).toBe(rf);
          for (const id of replicas) expect(ids).toContain(id);
        }
        const leaders = new Map<number, number>();
        for (const replicas of assignment) leaders.set(replicas[0]!, (leaders.get(replicas[0]!) ?? 0) + 1);
        const counts = [...leaders.values()];
        expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
      }),
    );
  });
});
