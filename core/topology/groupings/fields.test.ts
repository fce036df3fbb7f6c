import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { InvalidKeyFieldsError, UndeclaredFieldError } from './errors.js';
import { fields } from './fields.js';
import { targetOf, taskRange, tally } from './test-targets.js';

const keyArbitrary = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null));

describe('fields grouping', () => {
  it('sends equal keys to the same task, whatever the other fields or the emitting task', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 64 }), keyArbitrary, fc.integer(), fc.integer(), fc.nat(), (n, key, countA, countB, source) => {
        const grouping = fields(targetOf(taskRange(10, n)), ['word']);
        const first = grouping.chooseTasks([key, countA], source);
        expect(first).toHaveLength(1);
        expect(grouping.chooseTasks([key, countB], source + 1)).toEqual(first);
        // A fresh grouping on another worker agrees.
        expect(fields(targetOf(taskRange(10, n)), ['word']).chooseTasks([key, countA], 0)).toEqual(first);
      }),
    );
  });

  it('reaches every task and spreads many distinct keys roughly evenly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 32 }), fc.string(), (n, prefix) => {
        const grouping = fields(targetOf(taskRange(1, n)), ['word']);
        const keys = 400 * n;
        const counts = tally(taskRange(0, keys).flatMap((i) => grouping.chooseTasks([`${prefix}${i}`, 0], 1)));
        expect(counts.size).toBe(n);
        for (const count of counts.values()) {
          expect(count).toBeGreaterThan(400 * 0.75);
          expect(count).toBeLessThan(400 * 1.25);
        }
      }),
      { numRuns: 20 },
    );
  });

  it('keys on several fields in the order selected', () => {
    const grouping = fields(targetOf(taskRange(1, 8), ['a', 'b', 'c']), ['c', 'a']);
    expect(grouping.chooseTasks([1, 'x', 2], 1)).toEqual(grouping.chooseTasks([1, 'y', 2], 1));
  });

  it('refuses an undeclared field, naming component, stream and field', () => {
    expect(() => fields(targetOf([1]), ['lemma'])).toThrow(UndeclaredFieldError);
    expect(() => fields(targetOf([1]), ['lemma'])).toThrow(/'counter' subscribing to stream 'default' of 'splitter'.*'lemma'.*'word', 'count'/);
    expect(() => fields(targetOf([1]), [])).toThrow(InvalidKeyFieldsError);
    expect(() => fields(targetOf([1]), ['word', 'word'])).toThrow(/twice/);
  });
});
