import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { InvalidBoltOptionError, InvalidTupleValueError } from './errors.js';
import { compareRankables, Rankings, toRankable, type Rankable } from './rankings.js';

/** The specification: sort everything by the rank order and cut at n. */
function topN(counts: Map<string, number>, n: number): Rankable[] {
  return [...counts].map(([object, count]) => ({ object, count })).sort(compareRankables).slice(0, n);
}

describe('rankings', () => {
  it('keeps the top n by count, ties by object, replacing the count of an object already ranked', () => {
    const rankings = new Rankings(3);
    for (const [object, count] of [['a', 5], ['b', 7], ['c', 1], ['d', 5], ['c', 9]] as const) rankings.updateWith({ object, count });
    expect(rankings.toArray()).toEqual([{ object: 'c', count: 9 }, { object: 'b', count: 7 }, { object: 'a', count: 5 }]);
    rankings.updateWith({ object: 'b', count: 0 });
    rankings.pruneZeroCounts();
    expect(rankings.toArray().map((item) => item.object)).toEqual(['c', 'a']);
    expect(rankings.countOf('d')).toBeUndefined();
  });

  it('copies and emits plain arrays that do not share state with the rankings', () => {
    const rankings = Rankings.from([{ object: 1, count: 2 }], 2);
    const copy = rankings.copy();
    copy.updateWith({ object: 2, count: 3 });
    expect(rankings.size).toBe(1);
    expect(structuredClone(copy.toArray())).toEqual([{ object: 2, count: 3 }, { object: 1, count: 2 }]);
  });

  it('checks sizes and received rankables', () => {
    expect(() => new Rankings(0)).toThrow(InvalidBoltOptionError);
    expect(() => toRankable('Bolt', 'rankings', { object: {}, count: 1 })).toThrow(InvalidTupleValueError);
    expect(() => toRankable('Bolt', 'rankings', { object: 'a', count: Number.NaN })).toThrow(InvalidTupleValueError);
    expect(toRankable('Bolt', 'rankings', { object: 'a', count: 2, extra: true })).toEqual({ object: 'a', count: 2 });
  });

  const countsArbitrary = fc.dictionary(fc.constantFrom(...'abcdefghijklmnop'), fc.integer({ min: 0, max: 20 }));

  it('merging the top-n of disjoint parts gives the top-n of the whole (property)', () => {
    fc.assert(
      fc.property(countsArbitrary, fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 8 }), (counts, parts, n) => {
        const all = new Map(Object.entries(counts));
        const partials = Array.from({ length: parts }, () => new Rankings(n));
        [...all].forEach(([object, count], index) => partials[index % parts]!.updateWith({ object, count }));
        const total = new Rankings(n);
        for (const partial of partials) total.mergeWith(partial);
        expect(total.toArray()).toEqual(topN(all, n));
      }),
      { numRuns: 500 },
    );
  });

  it('streaming rising counts gives the top-n of the latest counts, sorted, within size (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ object: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), by: fc.integer({ min: 0, max: 5 }) })), fc.integer({ min: 1, max: 4 }), (increments, n) => {
        const rankings = new Rankings(n);
        const latest = new Map<string, number>();
        for (const { object, by } of increments) {
          latest.set(object, (latest.get(object) ?? 0) + by);
          rankings.updateWith({ object, count: latest.get(object)! });
          expect(rankings.size).toBeLessThanOrEqual(n);
        }
        expect(rankings.toArray()).toEqual(topN(latest, n));
      }),
      { numRuns: 500 },
    );
  });
});
