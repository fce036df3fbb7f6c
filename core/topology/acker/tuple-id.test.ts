import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { BrokenRandomSourceError, InvalidTupleIdError } from './errors.js';
import { MAX_TUPLE_ID, TUPLE_ID_BATCH_SIZE } from './limits.js';
import { assertTupleId, createTupleIdGenerator, isTupleId, xorTupleIds, type RandomSource } from './tuple-id.js';

/** A source that replays `values` in order, then repeats them. */
function replaying(values: readonly bigint[]): RandomSource {
  let position = 0;
  return (target) => {
    for (let i = 0; i < target.length; i++) target[i] = values[position++ % values.length] ?? 0n;
  };
}

describe('tuple ids', () => {
  it('hands out the values of the injected source, in order', () => {
    const next = createTupleIdGenerator(replaying([5n, 7n, MAX_TUPLE_ID]));
    expect([next(), next(), next(), next()]).toEqual([5n, 7n, MAX_TUPLE_ID, 5n]);
  });

  it('never hands out zero: zeros from the source are skipped', () => {
    const next = createTupleIdGenerator(replaying([0n, 3n, 0n, 0n, 9n]));
    expect([next(), next(), next()]).toEqual([3n, 9n, 3n]);
  });

  it('refills across batches', () => {
    let calls = 0;
    const next = createTupleIdGenerator((target) => {
      calls++;
      target.fill(BigInt(calls));
    });
    for (let i = 0; i < TUPLE_ID_BATCH_SIZE + 1; i++) next();
    expect(calls).toBe(2);
  });

  it('declares a source that only yields zeros broken, with a code', () => {
    const next = createTupleIdGenerator(() => {});
    expect(next).toThrow(BrokenRandomSourceError);
    try {
      next();
    } catch (error) {
      expect((error as BrokenRandomSourceError).code).toBe('BROKEN_RANDOM_SOURCE');
    }
  });

  it('draws valid, distinct ids from the default crypto source', () => {
    const next = createTupleIdGenerator();
    const ids = Array.from({ length: 1000 }, next);
    expect(ids.every(isTupleId)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('rejects zero, negatives, values past 64 bits and non-bigints', () => {
    for (const bad of [0n, -1n, MAX_TUPLE_ID + 1n, 5, '5', undefined]) {
      expect(isTupleId(bad)).toBe(false);
      expect(() => assertTupleId(bad)).toThrow(InvalidTupleIdError);
    }
  });

  it('XOR of ids cancels every id that appears twice', () => {
    const id = fc.bigInt(1n, MAX_TUPLE_ID);
    fc.assert(
      fc.property(fc.array(id, { maxLength: 20 }), (ids) => {
        expect(xorTupleIds([...ids, ...ids.slice().reverse()])).toBe(0n);
        expect(isTupleId(xorTupleIds(ids)) || xorTupleIds(ids) === 0n).toBe(true);
      }),
    );
  });
});
