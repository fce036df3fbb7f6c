import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { InvalidViewValueError, UnknownMonoidError } from '../errors.js';
import { maxMonoid, minMonoid } from './extremum.js';
import type { Monoid } from './monoid.js';
import { monoidFromSpec } from './registry.js';
import { setUnionMonoid } from './set-union.js';
import { sumMonoid } from './sum.js';
import { topByCountMonoid } from './top-by-count.js';

const member = fc.string({ maxLength: 4 });
const cases: Array<[string, Monoid<unknown>, fc.Arbitrary<unknown>]> = [
  ['sum', sumMonoid, fc.bigInt()],
  ['max', maxMonoid, fc.option(fc.bigInt(), { nil: null })],
  ['min', minMonoid, fc.option(fc.bigInt(), { nil: null })],
  ['set', setUnionMonoid, fc.array(member, { maxLength: 8 }).map((members) => setUnionMonoid.from(members))],
  ['topn:3', topByCountMonoid(3), fc.array(fc.tuple(member, fc.bigInt({ min: -3n, max: 3n })), { maxLength: 8 }).map((entries) => topByCountMonoid(3).from(new Map(entries)))],
];

describe.each(cases)('monoid %s (laws)', (_name, monoid, value) => {
  it('is associative', () => {
    fc.assert(fc.property(value, value, value, (a, b, c) => monoid.equals(monoid.combine(monoid.combine(a, b), c), monoid.combine(a, monoid.combine(b, c)))));
  });

  it('has zero as identity on both sides', () => {
    fc.assert(fc.property(value, (a) => monoid.equals(monoid.combine(monoid.zero, a), a) && monoid.equals(monoid.combine(a, monoid.zero), a)));
  });

  it('is commutative (views fold partitions in no particular order)', () => {
    fc.assert(fc.property(value, value, (a, b) => monoid.equals(monoid.combine(a, b), monoid.combine(b, a))));
  });

  it('decodes what it encodes, and equal values encode to equal bytes', () => {
    fc.assert(
      fc.property(value, value, (a, b) => {
        expect(monoid.equals(monoid.decode(monoid.encode(a)), a)).toBe(true);
        const ab = monoid.combine(a, b);
        expect(monoid.encode(ab).equals(monoid.encode(monoid.combine(b, a)))).toBe(true);
      }),
    );
  });

  it('refuses garbage with InvalidViewValueError, never another error', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 24 }), (bytes) => {
        try {
          const decoded = monoid.decode(Buffer.from(bytes));
          expect(monoid.equals(monoid.decode(monoid.encode(decoded)), decoded)).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidViewValueError);
        }
      }),
    );
  });
});

describe('monoid inputs', () => {
  it('takes integers as bigint or safe numbers for sum, max and min', () => {
    expect(sumMonoid.from(3)).toBe(3n);
    expect(maxMonoid.from(-2n)).toBe(-2n);
    expect(minMonoid.from(null)).toBeNull();
    expect(() => sumMonoid.from(1.5)).toThrow(InvalidViewValueError);
    expect(() => sumMonoid.from('1')).toThrow(InvalidViewValueError);
    expect(() => maxMonoid.from(2 ** 60)).toThrow(InvalidViewValueError);
  });

  it('takes a member or members for set, sorted and distinct', () => {
    expect(setUnionMonoid.from('b')).toEqual(['b']);
    expect(setUnionMonoid.from(new Set(['b', 'a', 'b']))).toEqual(['a', 'b']);
    expect(() => setUnionMonoid.from([1])).toThrow(InvalidViewValueError);
  });

  it('counts items for topn and presents the N highest, ties by item', () => {
    const top2 = topByCountMonoid(2);
    const counts = top2.combine(top2.from(['b', 'a', 'c', 'c']), top2.from({ a: 1, d: -1 }));
    expect(top2.present(counts)).toEqual({ kind: 'ranking', entries: [['a', 2n], ['c', 2n]] });
    expect(top2.combine(top2.from({ a: 2 }), top2.from({ a: -2 })).size).toBe(0);
  });

  it('presents empty extremums as none, and ranks only ordered monoids', () => {
    expect(maxMonoid.present(null)).toEqual({ kind: 'none' });
    expect(maxMonoid.rank?.(null)).toBeUndefined();
    expect(sumMonoid.rank?.(5n)).toBe(5n);
    expect(setUnionMonoid.rank).toBeUndefined();
  });
});

describe('monoid registry', () => {
  it('finds monoids by spec, case-insensitively, with canonical specs', () => {
    expect(monoidFromSpec('SUM')).toBe(sumMonoid);
    expect(monoidFromSpec('max').spec).toBe('max');
    expect(monoidFromSpec('TopN:10').spec).toBe('topn:10');
  });

  it('refuses unknown specs and out-of-range N', () => {
    for (const spec of ['avg', 'topn', 'topn:0', 'topn:1001', 'topn:01', 'sum ']) expect(() => monoidFromSpec(spec)).toThrow(UnknownMonoidError);
  });
});
