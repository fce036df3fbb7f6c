import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { BrokenRandomSourceError, InvalidTupleIdError } from './errors.js';
import { MAX_TUPLE_ID, TUPLE_ID_BATCH_SIZE } from './limits.js';
import { assertTupleId, createTupleIdGenerator, isTupleId, xorIds, xorTupleIds, type RandomSource } from './tuple-id.js';

/** A source that yields the ids `values` (as high/low 32-bit halves) in order, then repeats them. */
function replaying(values: readonly number[]): RandomSource {
  let position = 0;
  return (target) => {
    for (let i = 0; i < target.length; i += 2) {
      const value = values[position++ % values.length] ?? 0;
      target[i] = Math.floor(value / 2 ** 32);
      target[i + 1] = value % 2 ** 32;
    }
  };
}

describe('tuple ids', () => {
  it('hands out the values of the injected source, in order', () => {
    const next = createTupleIdGenerator(replaying([5, 7, MAX_TUPLE_ID]));
    expect([next(), next(), next(), next()]).toEqual([5, 7, MAX_TUPLE_ID, 5]);
  });

  it('never hands out zero: zeros from the source are skipped', () => {
    const next = createTupleIdGenerator(replaying([0, 3, 0, 0, 9]));
    expect([next(), next(), next()]).toEqual([3, 9, 3]);
  });

  it('refills across batches', () => {
    let calls = 0;
    const next = createTupleIdGenerator((target) => {
      calls++;
      target.fill(calls);
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

  it('keeps only the low 52 bits of the source: ids are safe integers', () => {
    const next = createTupleIdGenerator((target) => target.fill(0xffff_ffff));
    expect(next()).toBe(MAX_TUPLE_ID);
    expect(Number.isSafeInteger(MAX_TUPLE_ID)).toBe(true);
  });

  it('rejects zero, negatives, fractions, values past 52 bits and non-numbers', () => {
    for (const bad of [0, -1, 1.5, MAX_TUPLE_ID + 1, BigInt(5), '5', undefined, Number.NaN]) {
      expect(isTupleId(bad)).toBe(false);
      expect(() => assertTupleId(bad)).toThrow(InvalidTupleIdError);
    }
  });

  it('XORs ids exactly as 64-bit integer XOR would', () => {
    const id = fc.integer({ min: 0, max: MAX_TUPLE_ID });
    fc.assert(
      fc.property(id, id, (a, b) => {
        expect(xorIds(a, b)).toBe(Number(BigInt(a) ^ BigInt(b)));
      }),
    );
    expect(xorIds(MAX_TUPLE_ID, 1)).toBe(MAX_TUPLE_ID - 1);
    expect(xorIds(2 ** 51, 2 ** 51)).toBe(0);
  });

  it('XOR of ids cancels every id that appears twice', () => {
    const id = fc.integer({ min: 1, max: MAX_TUPLE_ID });
    fc.assert(
      fc.property(fc.array(id, { maxLength: 20 }), (ids) => {
        expect(xorTupleIds([...ids, ...ids.slice().reverse()])).toBe(0);
        expect(isTupleId(xorTupleIds(ids)) || xorTupleIds(ids) === 0).toBe(true);
      }),
    );
  });
});
