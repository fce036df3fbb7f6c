import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ProcessingTimeWindowManager } from './processing-time-window-manager.js';

describe('processing-time windows', () => {
  it('stamp items with their arrival and fire as the clock passes each window end', () => {
    const manager = new ProcessingTimeWindowManager<string>(1_000, 500);
    manager.add('a', 100);
    manager.add('b', 700);
    expect(manager.advance(499).fired).toEqual([]);
    expect(manager.advance(1_000).fired.map((window) => [window.endTimestamp, window.get()])).toEqual([
      [500, ['a']],
      [1_000, ['a', 'b']],
    ]);
  });

  it('never refuses an item, even when the clock steps back', () => {
    const manager = new ProcessingTimeWindowManager<string>(100, 100);
    manager.advance(1_000);
    expect(() => manager.add('stale clock', 10)).not.toThrow();
    expect(manager.advance(1_100).fired[0]?.get()).toEqual(['stale clock']);
  });

  it('tumbling windows hand each item to exactly one window (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 60 }), (lengthMs, gaps) => {
        const manager = new ProcessingTimeWindowManager<number>(lengthMs, lengthMs);
        let now = 0;
        const counts = new Map<number, number>();
        gaps.forEach((gap, id) => {
          now += gap;
          for (const window of manager.advance(now).fired) for (const item of window.get()) counts.set(item, (counts.get(item) ?? 0) + 1);
          manager.add(id, now);
        });
        for (const window of manager.advance(now + lengthMs).fired) for (const item of window.get()) counts.set(item, (counts.get(item) ?? 0) + 1);
        expect([...counts.keys()].sort((a, b) => a - b)).toEqual(gaps.map((_, id) => id));
        expect([...counts.values()].every((count) => count === 1)).toBe(true);
      }),
    );
  });
});
