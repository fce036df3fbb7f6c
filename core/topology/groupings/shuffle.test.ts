import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { InvalidTargetTasksError } from './errors.js';
import { shuffle } from './shuffle.js';
import { targetOf, taskRange, tally } from './test-targets.js';

describe('shuffle grouping', () => {
  it('gives every task exactly k of any k·n consecutive tuples', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 20 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (n, k, start) => {
        const grouping = shuffle(targetOf(taskRange(5, n)), { random: () => start });
        grouping.chooseTasks([], 1); // any offset into the cycle
        const counts = tally(taskRange(0, k * n).flatMap(() => grouping.chooseTasks([], 1)));
        expect([...counts.keys()].sort((a, b) => a - b)).toEqual(taskRange(5, n));
        expect(new Set(counts.values())).toEqual(new Set([k]));
      }),
    );
  });

  it('starts at a random task', () => {
    expect(shuffle(targetOf([1, 2, 3, 4]), { random: () => 0 }).chooseTasks([], 1)).toEqual([1]);
    expect(shuffle(targetOf([1, 2, 3, 4]), { random: () => 0.99 }).chooseTasks([], 1)).toEqual([4]);
  });

  it('refuses an empty or malformed target list', () => {
    expect(() => shuffle(targetOf([]))).toThrow(InvalidTargetTasksError);
    expect(() => shuffle(targetOf([1, 1]))).toThrow(/not a unique positive integer/);
    expect(() => shuffle(targetOf([0]))).toThrow(/INVALID|not a unique/);
  });
});
