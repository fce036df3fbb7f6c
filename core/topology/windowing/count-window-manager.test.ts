import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { CountWindowManager } from './count-window-manager.js';
import { InvalidWindowConfigError } from './errors.js';
import type { Window } from './window.js';

function feed(manager: CountWindowManager<number>, count: number): { windows: Window<number>[]; expired: number[][] } {
  const windows: Window<number>[] = [];
  const expired: number[][] = [];
  for (let item = 0; item < count; item += 1) {
    const advance = manager.add(item, item * 10);
    windows.push(...advance.fired);
    if (advance.fired.length > 0) expired.push([...advance.expired]);
  }
  return { windows, expired };
}

const range = (from: number, to: number): number[] => Array.from({ length: Math.max(0, to - from) }, (_, index) => from + index);

describe('count windows', () => {
  it('fire a sliding window of the last N tuples every M tuples', () => {
    const { windows } = feed(new CountWindowManager<number>(5, 2), 8);
    expect(windows.map((window) => window.get())).toEqual([[0, 1], [0, 1, 2, 3], [0, 1, 2, 3, 4, 5].slice(1), [3, 4, 5, 6, 7]]);
    expect(windows.map((window) => window.getNew())).toEqual([[0, 1], [2, 3], [4, 5], [6, 7]]);
    expect(windows.map((window) => window.getExpired())).toEqual([[], [], [0], [1, 2]]);
    expect(windows[3]).toMatchObject({ startTimestamp: 30, endTimestamp: 70 });
  });

  it('tumbling windows hand every tuple to exactly one window and expire it right after', () => {
    const manager = new CountWindowManager<number>(3, 3);
    const { windows, expired } = feed(manager, 9);
    expect(windows.map((window) => window.get())).toEqual([[0, 1, 2], [3, 4, 5], [6, 7, 8]]);
    expect(expired).toEqual([[0, 1, 2], [3, 4, 5], [6, 7, 8]]);
    expect(manager.size).toBe(0);
  });

  it('refuses a slide longer than the window', () => {
    expect(() => new CountWindowManager(2, 3)).toThrow(InvalidWindowConfigError);
    expect(() => new CountWindowManager(0, 0)).toThrow(InvalidWindowConfigError);
  });

  it('window k holds exactly the tuples max(0, kM − N) .. kM − 1 (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 80 }), (length, slideSeed, count) => {
        const slide = 1 + (slideSeed % length);
        const { windows } = feed(new CountWindowManager<number>(length, slide), count);
        expect(windows).toHaveLength(Math.floor(count / slide));
        windows.forEach((window, index) => {
          const end = (index + 1) * slide;
          expect(window.get()).toEqual(range(Math.max(0, end - length), end));
        });
      }),
    );
  });

  it('expires each tuple exactly once, only after its last window fired (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 10 }), fc.integer({ min: 0, max: 60 }), (length, slideSeed, count) => {
        const slide = 1 + (slideSeed % length);
        const manager = new CountWindowManager<number>(length, slide);
        const lastWindowOf = new Map<number, number>();
        const expiredAt = new Map<number, number>();
        let fired = 0;
        for (let item = 0; item < count; item += 1) {
          const advance = manager.add(item, item);
          for (const window of advance.fired) {
            fired += 1;
            for (const member of window.get()) lastWindowOf.set(member, fired);
          }
          for (const gone of advance.expired) {
            expect(expiredAt.has(gone)).toBe(false);
            expiredAt.set(gone, fired);
          }
        }
        for (const [item, at] of expiredAt) expect(lastWindowOf.get(item)).toBe(at);
        // Everything not expired is still needed by a window yet to fire.
        expect(manager.size + expiredAt.size).toBe(count);
        expect(manager.size).toBeLessThanOrEqual(length);
      }),
    );
  });
});
