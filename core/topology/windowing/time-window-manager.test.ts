import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { InvalidWindowConfigError } from './errors.js';
import { TimeWindowManager } from './time-window-manager.js';
import type { Window } from './window.js';

interface Item {
  readonly id: number;
  readonly ts: number;
}

describe('time windows', () => {
  it('fire aligned sliding windows [end − length, end) once progress reaches their end', () => {
    const manager = new TimeWindowManager<string>(10, 5);
    for (const [name, ts] of [['a', 1], ['b', 6], ['c', 12]] as const) manager.add(name, ts);
    expect(manager.advance(4).fired).toEqual([]);
    const first = manager.advance(10);
    expect(first.fired.map((window) => [window.startTimestamp, window.endTimestamp, window.get()])).toEqual([
      [-5, 5, ['a']],
      [0, 10, ['a', 'b']],
    ]);
    expect(first.fired[1]?.getNew()).toEqual(['b']);
    expect(first.expired).toEqual(['a']); // 'a' can be in no window ending after 10
    const second = manager.advance(20);
    expect(second.fired.map((window) => [window.endTimestamp, window.get(), window.getNew(), window.getExpired()])).toEqual([
      [15, ['b', 'c'], ['c'], ['a']],
      [20, ['c'], [], ['b']],
    ]);
  });

  it('skips empty windows and refuses items older than the progress as late', () => {
    const manager = new TimeWindowManager<string>(10, 10);
    manager.add('early', 3);
    manager.add('later', 95);
    expect(manager.advance(100).fired.map((window) => window.endTimestamp)).toEqual([10, 100]);
    expect(manager.add('old', 99)).toEqual({ late: true, progressMs: 100 });
    expect(manager.add('now', 100)).toEqual({ late: false, evicted: [] });
  });

  it('keeps items in timestamp order even when they arrive out of order', () => {
    const manager = new TimeWindowManager<string>(10, 10);
    manager.add('c', 7);
    manager.add('a', 1);
    manager.add('b', 7);
    expect(manager.advance(10).fired[0]?.get()).toEqual(['a', 'c', 'b']);
  });

  it('evicts the oldest items beyond its bound', () => {
    const manager = new TimeWindowManager<string>(100, 100, 2);
    manager.add('x', 5);
    manager.add('y', 1);
    expect(manager.add('z', 9)).toEqual({ late: false, evicted: ['y'] });
    expect(manager.size).toBe(2);
  });

  it('refuses inconsistent settings', () => {
    expect(() => new TimeWindowManager(5, 10)).toThrow(InvalidWindowConfigError);
    expect(() => new TimeWindowManager(0, 0)).toThrow(InvalidWindowConfigError);
    expect(() => new TimeWindowManager(100_000, 1)).toThrow(/length \/ 1000/);
  });

  const scenario = fc.record({
    lengthMs: fc.integer({ min: 1, max: 40 }),
    slideSeed: fc.integer({ min: 1, max: 40 }),
    steps: fc.array(fc.oneof(fc.record({ add: fc.integer({ min: 0, max: 30 }) }), fc.record({ advance: fc.integer({ min: 0, max: 25 }) })), { maxLength: 60 }),
  });

  it('puts every accepted item in exactly the fired windows covering it, and expires it only after all of them (property)', () => {
    fc.assert(
      fc.property(scenario, ({ lengthMs, slideSeed, steps }) => {
        const slideMs = 1 + (slideSeed % lengthMs);
        const manager = new TimeWindowManager<Item>(lengthMs, slideMs);
        const accepted: Item[] = [];
        const fired: Window<Item>[] = [];
        const expired = new Set<number>();
        let progress = 0;
        for (const step of steps) {
          if ('add' in step) {
            // Timestamps are offsets ahead of (or slightly behind) the progress: some are late.
            const item = { id: accepted.length, ts: progress + step.add - 5 };
            const result = manager.add(item, item.ts);
            expect(result.late).toBe(item.ts < manager.progressMs);
            if (!result.late) accepted.push(item);
          } else {
            progress += step.advance;
            const advance = manager.advance(progress);
            fired.push(...advance.fired);
            for (const item of advance.expired) {
              expect(expired.has(item.id)).toBe(false);
              // Every window that could hold it has ended by now.
              expect(item.ts + lengthMs).toBeLessThanOrEqual(Math.floor(progress / slideMs) * slideMs + slideMs);
              expired.add(item.id);
            }
          }
        }
        for (const window of fired) {
          const covered = accepted.filter((item) => item.ts >= window.startTimestamp && item.ts < window.endTimestamp);
          expect(new Set(window.get())).toEqual(new Set(covered));
        }
        for (const item of accepted) {
          const ends = fired.filter((window) => window.get().includes(item)).map((window) => window.endTimestamp);
          for (let end = (Math.floor(item.ts / slideMs) + 1) * slideMs; end <= item.ts + lengthMs && end <= manager.progressMs; end += slideMs) {
            expect(ends).toContain(end);
          }
          const lastEnd = Math.floor((item.ts + lengthMs) / slideMs) * slideMs;
          const allFired = item.ts + lengthMs < (Math.floor(manager.progressMs / slideMs) + 1) * slideMs;
          expect(expired.has(item.id)).toBe(allFired);
          if (!allFired) expect(lastEnd).toBeGreaterThan(manager.progressMs - slideMs);
        }
      }),
    );
  });

  it('tumbling windows partition the accepted items (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.array(fc.integer({ min: 0, max: 200 }), { maxLength: 50 }), (lengthMs, timestamps) => {
        const manager = new TimeWindowManager<number>(lengthMs, lengthMs);
        timestamps.forEach((ts, id) => manager.add(id, ts));
        const advance = manager.advance(1_000);
        const seen = advance.fired.flatMap((window) => [...window.get()]);
        expect([...seen].sort((a, b) => a - b)).toEqual(timestamps.map((_, id) => id));
        for (const window of advance.fired) expect(window.getNew()).toEqual(window.get());
        expect(manager.size).toBe(0);
      }),
    );
  });
});
