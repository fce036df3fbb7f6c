import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { UndeclaredFieldError } from './errors.js';
import { fields } from './fields.js';
import type { Grouping } from './grouping.js';
import { partialKey } from './partial-key.js';
import { seededRandom, targetOf, taskRange, tally } from './test-targets.js';

/** Zipf(s = 1.2) over `keys` distinct words: a few words dominate, as in natural text. */
function zipfStream(tuples: number, keys: number, random: () => number): string[] {
  const weights = taskRange(1, keys).map((rank) => 1 / rank ** 1.2);
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  return Array.from({ length: tuples }, () => {
    let target = random() * total;
    let rank = 0;
    while (rank < keys - 1 && target > (weights[rank] ?? 0)) target -= weights[rank++] ?? 0;
    return `word${rank}`;
  });
}

function maxOverMean(grouping: Grouping, stream: readonly string[], tasks: number): number {
  const counts = tally(stream.flatMap((word) => grouping.chooseTasks([word, 1], 1)));
  return Math.max(...counts.values()) / (stream.length / tasks);
}

describe('partial-key grouping', () => {
  it('balances a skewed key distribution better than the fields grouping', () => {
    const tasks = 8;
    const stream = zipfStream(20_000, 1_000, seededRandom(42));
    const target = targetOf(taskRange(1, tasks));
    const partial = maxOverMean(partialKey(target, ['word']), stream, tasks);
    const hashed = maxOverMean(fields(target, ['word']), stream, tasks);
    expect(partial).toBeLessThan(hashed);
    expect(partial).toBeLessThan(1.1);
  });

  it('sends each key to at most two tasks, the first being the fields grouping choice', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 16 }), fc.array(fc.string(), { minLength: 1, maxLength: 200 }), (n, words) => {
        const target = targetOf(taskRange(1, n));
        const grouping = partialKey(target, ['word']);
        const seen = new Map<string, Set<number>>();
        for (const word of words) {
          const [task] = grouping.chooseTasks([word, 0], 1);
          seen.set(word, (seen.get(word) ?? new Set()).add(task ?? -1));
        }
        for (const [word, taskSet] of seen) {
          expect(taskSet.size).toBeLessThanOrEqual(2);
          if (taskSet.size === 2) expect(taskSet).toContain(fields(target, ['word']).chooseTasks([word, 0], 1)[0]);
        }
      }),
    );
  });

  it('refuses an undeclared field', () => {
    expect(() => partialKey(targetOf([1, 2]), ['lemma'])).toThrow(UndeclaredFieldError);
  });
});
