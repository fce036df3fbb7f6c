import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { UnorderableKeyError } from './errors.js';
import { hashOfKey } from './hash-partitioner.js';
import { deepCopy, keyArbitrary } from './test-keys.js';
import { compareStrings, defaultOrdering, reverseOrdering, sortKeys } from './ordering.js';
import { canonicalKey } from '../../core/topology/groupings/key-hash.js';

const where = { componentId: 'test', sourceComponentId: 'test', streamId: 'test' };
const sameKey = (a: unknown, b: unknown) => canonicalKey([a], where) === canonicalKey([b], where);
const sign = Math.sign;

describe('default key ordering', () => {
  it('is reflexive and antisymmetric', () => {
    fc.assert(
      fc.property(keyArbitrary, keyArbitrary, (a, b) => {
        expect(defaultOrdering(a, a)).toBe(0);
        expect(sign(defaultOrdering(a, b))).toBe(-sign(defaultOrdering(b, a)) || 0);
      }),
      { numRuns: 500 },
    );
  });

  it('is transitive', () => {
    fc.assert(
      fc.property(keyArbitrary, keyArbitrary, keyArbitrary, (a, b, c) => {
        const [x, y, z] = sortKeys([a, b, c], defaultOrdering);
        expect(defaultOrdering(x, y)).toBeLessThanOrEqual(0);
        expect(defaultOrdering(y, z)).toBeLessThanOrEqual(0);
        expect(defaultOrdering(x, z)).toBeLessThanOrEqual(0);
      }),
      { numRuns: 500 },
    );
  });

  it('calls two keys equal exactly when the key hash sees the same key', () => {
    fc.assert(
      fc.property(keyArbitrary, keyArbitrary, (a, b) => {
        expect(defaultOrdering(a, b) === 0).toBe(sameKey(a, b));
        if (defaultOrdering(a, b) === 0) expect(hashOfKey(a)).toBe(hashOfKey(b));
      }),
      { numRuns: 500 },
    );
    // Structurally equal pairs are rare at random: check them directly.
    fc.assert(
      fc.property(keyArbitrary, (a) => {
        const copy: unknown = deepCopy(a);
        expect(defaultOrdering(a, copy)).toBe(0);
        expect(sameKey(a, copy)).toBe(true);
      }),
    );
  });

  it('ranks kinds: null < boolean < number < bigint < string < Date < bytes < array < object < undefined', () => {
    const ranked = [null, false, true, -Infinity, -0, 2, Infinity, Number.NaN, -5n, 3n, '', 'a', new Date(0), new Uint8Array([0]), [], [1], { a: 1 }, undefined];
    const shuffled = [...ranked].reverse();
    expect(shuffled.sort(defaultOrdering)).toEqual(ranked);
    expect(defaultOrdering(-0, 0)).toBe(0);
    expect(defaultOrdering(Number.NaN, Number.NaN)).toBe(0);
    expect(defaultOrdering(1, 1n)).toBeLessThan(0);
    // sortKeys honours the ordering for undefined too; Array.prototype.sort would not.
    expect(sortKeys([1, undefined, 2], reverseOrdering(defaultOrdering))).toEqual([undefined, 2, 1]);
    expect([1, undefined, 2].sort(reverseOrdering(defaultOrdering))).toEqual([2, 1, undefined]);
  });

  it('orders strings by code point (UTF-8 byte order), unlike UTF-16 `<`', () => {
    expect('\u{10000}' < '\uffff').toBe(true);
    expect(compareStrings('\uffff', '\u{10000}')).toBeLessThan(0);
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), (a, b) => {
        expect(sign(compareStrings(a, b))).toBe(sign(Buffer.compare(Buffer.from(a), Buffer.from(b))));
      }),
    );
  });

  it('orders arrays lexicographically (a prefix first) and objects by their sorted entries', () => {
    expect([[1, 'b'], [1], [0, 'z'], [1, 'a']].sort(defaultOrdering)).toEqual([[0, 'z'], [1], [1, 'a'], [1, 'b']]);
    expect(defaultOrdering({ b: 1, a: 2 }, { a: 2, b: 1 })).toBe(0);
    expect(defaultOrdering({ a: 2 }, { a: 1, b: 0 })).toBeGreaterThan(0);
    expect(reverseOrdering(defaultOrdering)(1, 2)).toBeGreaterThan(0);
  });

  it('refuses keys it cannot order, with a typed error', () => {
    const cyclic: unknown[] = [];
    cyclic.push(cyclic);
    expect(() => defaultOrdering(new Map(), 1)).toThrow(UnorderableKeyError);
    expect(() => defaultOrdering(() => 1, 1)).toThrow(/function/);
    expect(() => defaultOrdering(cyclic, cyclic)).toThrow(expect.objectContaining({ code: 'UNORDERABLE_KEY' }));
  });
});
