import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { combineAdjacent, mergeSorted } from './sorted-merge.js';

describe('k-way merge', () => {
  it('yields the sorted union of sorted sources, equal items in source order', () => {
    fc.assert(fc.property(fc.array(fc.array(fc.integer({ min: 0, max: 20 })), { maxLength: 40 }), (lists) => {
      const sources = lists.map((list, source) => list.sort((a, b) => a - b).map((value) => ({ value, source })));
      const merged = [...mergeSorted(sources.map((source) => source[Symbol.iterator]()), (a, b) => a.value - b.value)];
      const expected = sources.flat().sort((a, b) => a.value - b.value || a.source - b.source);
      expect(merged).toEqual(expected);
    }));
  });

  it('closes every source when the consumer stops early', () => {
    let closed = 0;
    function* source(): Generator<number> {
      try {
        yield* [1, 2, 3];
      } finally {
        closed += 1;
      }
    }
    for (const value of mergeSorted([source(), source(), source()], (a, b) => a - b)) if (value === 1) break;
    expect(closed).toBe(3);
  });
});

describe('combining adjacent equal items', () => {
  it('folds each run of equal items into one', () => {
    const items = [1, 1, 2, 3, 3, 3, 1].map((key) => ({ key, count: 1 }));
    const combined = combineAdjacent(items, (a, b) => a.key === b.key, (a, b) => ({ key: a.key, count: a.count + b.count }));
    expect([...combined]).toEqual([{ key: 1, count: 2 }, { key: 2, count: 1 }, { key: 3, count: 3 }, { key: 1, count: 1 }]);
    expect([...combineAdjacent([], () => true, (a: number) => a)]).toEqual([]);
  });
});
