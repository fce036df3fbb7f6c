import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { InvalidBoundariesError } from './errors.js';
import { HashPartitioner } from './hash-partitioner.js';
import { keyArbitrary } from './test-keys.js';
import { defaultOrdering, reverseOrdering, sortKeys } from './ordering.js';
import { RangePartitioner, determineBoundaries } from './range-partitioner.js';

/** A small deterministic PRNG (mulberry32), so the balance test cannot flake. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b_79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

describe('range partitioner', () => {
  it('keeps keys of partition i at or below keys of partition i+1 (ascending and descending)', () => {
    fc.assert(
      fc.property(fc.array(keyArbitrary, { maxLength: 60 }), fc.array(keyArbitrary, { maxLength: 60 }), fc.integer({ min: 1, max: 12 }), fc.boolean(), (sample, keys, numPartitions, ascending) => {
        const partitioner = RangePartitioner.fromSample(sample, numPartitions, defaultOrdering, ascending);
        expect(partitioner.numPartitions).toBeLessThanOrEqual(numPartitions);
        const order = ascending ? defaultOrdering : reverseOrdering(defaultOrdering);
        const sorted = sortKeys([...sample, ...keys], order);
        const partitions = sorted.map((key) => partitioner.getPartition(key));
        for (let index = 1; index < partitions.length; index++) expect(partitions[index]!).toBeGreaterThanOrEqual(partitions[index - 1]!);
        for (const partition of partitions) expect(partition >= 0 && partition < partitioner.numPartitions).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('cuts a sample of distinct keys into partitions whose sizes differ by at most one step rounding', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer(), { minLength: 1, maxLength: 2_000 }), fc.integer({ min: 1, max: 64 }), (sample, numPartitions) => {
        const partitioner = RangePartitioner.fromSample(sample, numPartitions);
        expect(partitioner.numPartitions).toBe(Math.min(numPartitions, sample.length + 1));
        const counts = new Array<number>(partitioner.numPartitions).fill(0);
        for (const key of sample) counts[partitioner.getPartition(key)]! += 1;
        const step = sample.length / numPartitions;
        for (const count of counts) expect(Math.abs(count - step)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('balances uniform keys drawn like its sample', () => {
    const next = random(42);
    const sample = Array.from({ length: 20 * 16 }, () => next());
    const partitioner = RangePartitioner.fromSample(sample, 16);
    const counts = new Array<number>(16).fill(0);
    for (let index = 0; index < 160_000; index++) counts[partitioner.getPartition(next())]! += 1;
    // 20 samples per partition (Spark's default) bound each range's share within about ±50%.
    for (const count of counts) expect(count / 10_000).toBeGreaterThan(0.5);
    for (const count of counts) expect(count / 10_000).toBeLessThan(1.5);
  });

  it('sends a key equal to boundary i to partition i, and skips duplicate candidates', () => {
    const partitioner = new RangePartitioner(4, [10, 20, 30]);
    expect([5, 10, 11, 20, 29, 30, 31].map((key) => partitioner.getPartition(key))).toEqual([0, 0, 1, 1, 2, 2, 3]);
    const descending = new RangePartitioner(4, [10, 20, 30], defaultOrdering, false);
    expect([5, 10, 11, 31].map((key) => descending.getPartition(key))).toEqual([3, 3, 2, 0]);
    expect(determineBoundaries([1, 1, 1, 1, 1, 1, 2, 3], 4, defaultOrdering)).toEqual([1, 2, 3]);
    expect(determineBoundaries(['a', 'a', 'a', 'a'], 4, defaultOrdering)).toEqual(['a']);
    expect(RangePartitioner.fromSample([], 8).numPartitions).toBe(1);
  });

  it('equals a partitioner with the same boundaries, direction, count and ordering', () => {
    const base = new RangePartitioner(3, [[1, 'a'], [2, 'b']]);
    expect(base.equals(new RangePartitioner(3, [[1, 'a'], [2, 'b']]))).toBe(true);
    expect(base.equals(new RangePartitioner(3, [[1, 'a'], [2, 'c']]))).toBe(false);
    expect(base.equals(new RangePartitioner(3, [[1, 'a'], [2, 'b']], defaultOrdering, false))).toBe(false);
    expect(base.equals(new RangePartitioner(4, [[1, 'a'], [2, 'b']]))).toBe(false);
    expect(base.equals(new HashPartitioner(3))).toBe(false);
    expect(base.describe()).toBe('RangePartitioner(3, ascending, 2 boundaries)');
  });

  it('refuses boundaries that are unsorted, repeated or too many', () => {
    expect(() => new RangePartitioner(4, [2, 1])).toThrow(InvalidBoundariesError);
    expect(() => new RangePartitioner(4, [1, 1])).toThrow(/not greater/);
    expect(() => new RangePartitioner(2, [1, 2])).toThrow(/more than numPartitions/);
    expect(() => RangePartitioner.fromSample([1], 0)).toThrow(expect.objectContaining({ code: 'INVALID_PARTITION_COUNT' }));
  });
});
