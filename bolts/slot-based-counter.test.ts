import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { InvalidBoltOptionError } from './errors.js';
import { ModificationTimeTracker, SlidingWindowCounter, SlotBasedCounter } from './slot-based-counter.js';

type Step = { kind: 'count'; object: string } | { kind: 'advance' };

/** The window counter's specification: counts of the last `slots` chunks, over objects seen in the last slots+1. */
function modelReports(slots: number, steps: readonly Step[]): Map<string, number>[] {
  const chunks: Map<string, number>[] = [new Map()];
  const reports: Map<string, number>[] = [];
  for (const step of steps) {
    if (step.kind === 'count') {
      const head = chunks[chunks.length - 1]!;
      head.set(step.object, (head.get(step.object) ?? 0) + 1);
      continue;
    }
    const report = new Map<string, number>();
    for (const chunk of chunks.slice(-(slots + 1))) for (const object of chunk.keys()) report.set(object, 0);
    for (const chunk of chunks.slice(-slots)) for (const [object, count] of chunk) report.set(object, (report.get(object) ?? 0) + count);
    reports.push(report);
    chunks.push(new Map());
  }
  return reports;
}

describe('slot-based counter', () => {
  it('counts per slot, totals over slots, wipes a slot and then forgets zero rows', () => {
    const counter = new SlotBasedCounter<string>(3);
    counter.increment('a', 0);
    counter.increment('a', 2, 4);
    counter.increment('b', 1);
    expect([counter.count('a', 0), counter.count('a', 1), counter.count('a', 2)]).toEqual([1, 0, 4]);
    expect(counter.totals()).toEqual(new Map([['a', 5], ['b', 1]]));
    counter.wipeSlot(1);
    expect(counter.totals()).toEqual(new Map([['a', 5], ['b', 0]]));
    counter.wipeZeros();
    expect(counter.size).toBe(1);
    expect(() => counter.increment('a', 3)).toThrow(InvalidBoltOptionError);
  });

  it('reports the counts of the whole window, an expired object once with 0, then forgets it', () => {
    const window = new SlidingWindowCounter<string>(2);
    window.increment('a');
    window.increment('a');
    expect(window.countsThenAdvanceWindow()).toEqual(new Map([['a', 2]]));
    window.increment('b');
    expect(window.countsThenAdvanceWindow()).toEqual(new Map([['a', 2], ['b', 1]]));
    expect(window.countsThenAdvanceWindow()).toEqual(new Map([['a', 0], ['b', 1]]));
    expect(window.countsThenAdvanceWindow()).toEqual(new Map([['b', 0]]));
    expect(window.countsThenAdvanceWindow()).toEqual(new Map());
    expect(window.size).toBe(0);
    expect(() => new SlidingWindowCounter(1)).toThrow(InvalidBoltOptionError);
  });

  it('matches the sliding-window specification for any sequence of counts and advances (property)', () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('count' as const), object: fc.constantFrom('a', 'b', 'c', 'd') }),
      fc.constant({ kind: 'advance' as const }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 6 }), fc.array(step, { maxLength: 120 }), (slots, steps) => {
        const window = new SlidingWindowCounter<string>(slots);
        const reports: Map<string, number>[] = [];
        for (const each of steps) {
          if (each.kind === 'count') window.increment(each.object);
          else reports.push(window.countsThenAdvanceWindow());
        }
        expect(reports).toEqual(modelReports(slots, steps));
      }),
      { numRuns: 300 },
    );
  });
});

describe('modification time tracker', () => {
  it('reports the time since the n-th last modification, from the start until n have happened', () => {
    const tracker = new ModificationTimeTracker(3, 0);
    expect(tracker.secondsSinceOldestModification(10_000)).toBe(10);
    tracker.markAsModified(10_000);
    tracker.markAsModified(20_000);
    expect(tracker.secondsSinceOldestModification(30_000)).toBe(30);
    tracker.markAsModified(30_000);
    tracker.markAsModified(40_000);
    expect(tracker.secondsSinceOldestModification(45_500)).toBe(25);
  });
});
