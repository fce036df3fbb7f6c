import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { EventTimeWindowManager } from './event-time-window-manager.js';

describe('event-time windows', () => {
  it('fire when the watermark (max event time − lag) passes their end', () => {
    const manager = new EventTimeWindowManager<string>({ lengthMs: 10, slideMs: 10, lagMs: 3 });
    manager.add('a', 'spout:1', 2);
    manager.add('b', 'spout:1', 12);
    expect(manager.advanceWatermark().fired).toEqual([]); // watermark 9
    manager.add('c', 'spout:1', 13);
    const advance = manager.advanceWatermark(); // watermark 10
    expect(manager.watermarkMs).toBe(10);
    expect(advance.fired.map((window) => [window.endTimestamp, window.get()])).toEqual([[10, ['a']]]);
    expect(advance.expired).toEqual(['a']);
  });

  it('accepts out-of-order items within the lag and refuses those behind the watermark', () => {
    const manager = new EventTimeWindowManager<string>({ lengthMs: 10, slideMs: 10, lagMs: 5 });
    manager.add('x', 'spout:1', 20);
    manager.advanceWatermark(); // 15
    expect(manager.add('within lag', 'spout:1', 16)).toEqual({ late: false, evicted: [] });
    expect(manager.add('late', 'spout:1', 14)).toEqual({ late: true, watermarkMs: 15 });
    manager.add('y', 'spout:1', 40);
    expect(manager.advanceWatermark().fired.map((window) => window.get())).toEqual([['within lag'], ['x']]);
  });

  it('waits for the slowest input task', () => {
    const manager = new EventTimeWindowManager<string>({ lengthMs: 10, slideMs: 10, lagMs: 0 });
    manager.add('fast', 'spout:1', 100);
    manager.add('slow', 'spout:2', 5);
    expect(manager.advanceWatermark().fired).toEqual([]);
    manager.add('slow catches up', 'spout:2', 100);
    expect(manager.advanceWatermark().fired.map((window) => window.get())).toEqual([['slow']]); // 'fast' (100) waits for the window ending at 110
  });

  it('never puts a late item in a window, and every accepted item in all windows covering it (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20 }),
        fc.array(fc.oneof(fc.record({ ts: fc.integer({ min: 0, max: 200 }), source: fc.integer({ min: 1, max: 2 }) }), fc.constant('watermark' as const)), { maxLength: 60 }),
        (lagMs, steps) => {
          const manager = new EventTimeWindowManager<number>({ lengthMs: 20, slideMs: 5, lagMs });
          const accepted = new Map<number, number>();
          const windows = [];
          let id = 0;
          for (const step of steps) {
            if (step === 'watermark') {
              windows.push(...manager.advanceWatermark().fired);
              continue;
            }
            const result = manager.add(id, `spout:${step.source}`, step.ts);
            expect(result.late).toBe(step.ts < manager.watermarkMs);
            if (!result.late) accepted.set(id, step.ts);
            id += 1;
          }
          for (const window of windows) {
            expect(window.endTimestamp).toBeLessThanOrEqual(manager.watermarkMs);
            const covered = [...accepted].filter(([, ts]) => ts >= window.startTimestamp && ts < window.endTimestamp).map(([item]) => item);
            expect([...window.get()].sort((a, b) => a - b)).toEqual(covered.sort((a, b) => a - b));
          }
        },
      ),
    );
  });
});
