import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { hashKey } from '../../core/topology/groupings/key-hash.js';
import { UnhashableKeyError } from './errors.js';
import { HashPartitioner, hashOfKey } from './hash-partitioner.js';
import { deepCopy, keyArbitrary } from './test-keys.js';
import { RangePartitioner } from './range-partitioner.js';

describe('hash partitioner', () => {
  it('is pinned to the topology key hash, so partitions are the same in every process and run', () => {
    // Golden values: a change here re-partitions every stored shuffle output and batch view.
    expect(hashOfKey('the')).toBe(2_281_744_283);
    expect(hashOfKey('the')).toBe(hashKey(['the'], { componentId: 'x', sourceComponentId: 'y', streamId: 'z' }));
    expect([0, 1, 2, 3].map((key) => new HashPartitioner(7).getPartition(['k', key]))).toEqual([0, 1, 2, 3].map((key) => hashOfKey(['k', key]) % 7));
  });

  it('puts every key in 0..numPartitions-1, and equal keys in the same partition', () => {
    fc.assert(
      fc.property(keyArbitrary, fc.integer({ min: 1, max: 1000 }), (key, numPartitions) => {
        const partitioner = new HashPartitioner(numPartitions);
        const partition = partitioner.getPartition(key);
        expect(Number.isInteger(partition) && partition >= 0 && partition < numPartitions).toBe(true);
        expect(partitioner.getPartition(deepCopy(key))).toBe(partition);
      }),
      { numRuns: 500 },
    );
  });

  it('treats -0 and 0, and structurally equal arrays and objects, as the same key', () => {
    const partitioner = new HashPartitioner(1024);
    expect(partitioner.getPartition(-0)).toBe(partitioner.getPartition(0));
    expect(partitioner.getPartition([1, [2, 'x']])).toBe(partitioner.getPartition([1, [2, 'x']]));
    expect(partitioner.getPartition({ a: 1, b: [2] })).toBe(partitioner.getPartition({ b: [2], a: 1 }));
    expect(hashOfKey(1)).not.toBe(hashOfKey('1'));
    expect(hashOfKey(1)).not.toBe(hashOfKey(1n));
  });

  it('spreads distinct keys evenly', () => {
    const partitioner = new HashPartitioner(16);
    const counts = new Array<number>(16).fill(0);
    for (let index = 0; index < 32_000; index++) counts[partitioner.getPartition(`word-${index}`)]! += 1;
    for (const count of counts) expect(Math.abs(count - 2_000)).toBeLessThan(200);
  });

  it('equals another HashPartitioner of the same count only', () => {
    expect(new HashPartitioner(4).equals(new HashPartitioner(4))).toBe(true);
    expect(new HashPartitioner(4).equals(new HashPartitioner(5))).toBe(false);
    expect(new HashPartitioner(4).equals(new RangePartitioner(4, [1, 2, 3]))).toBe(false);
    expect(new HashPartitioner(4).describe()).toBe('HashPartitioner(4)');
  });

  it('refuses a bad partition count and unhashable keys with typed errors', () => {
    for (const count of [0, -1, 1.5, Number.NaN, 1e9]) expect(() => new HashPartitioner(count)).toThrow(expect.objectContaining({ code: 'INVALID_PARTITION_COUNT' }));
    expect(() => new HashPartitioner(3).getPartition(new Map())).toThrow(UnhashableKeyError);
    expect(() => new HashPartitioner(3).getPartition(() => 1)).toThrow(/HashPartitioner: .*function/);
  });
});
