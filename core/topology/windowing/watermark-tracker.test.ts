import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { TooManyWatermarkSourcesError } from './errors.js';
import { WatermarkTracker } from './watermark-tracker.js';

describe('watermark tracker', () => {
  it('is the slowest source’s newest event time minus the lag', () => {
    const tracker = new WatermarkTracker(5);
    expect(tracker.compute()).toBe(Number.NEGATIVE_INFINITY);
    tracker.track('spout:1', 100);
    tracker.track('spout:2', 40);
    tracker.track('spout:1', 90); // older than its max: ignored
    expect(tracker.compute()).toBe(35);
    tracker.track('spout:2', 120);
    expect(tracker.compute()).toBe(95);
  });

  it('only moves when computed, and never back', () => {
    const tracker = new WatermarkTracker(0);
    tracker.track('a:1', 50);
    expect(tracker.watermarkMs).toBe(Number.NEGATIVE_INFINITY);
    expect(tracker.compute()).toBe(50);
    tracker.track('late-starter:1', 10);
    expect(tracker.compute()).toBe(50);
  });

  it('bounds the sources it tracks', () => {
    const tracker = new WatermarkTracker(0, 2);
    tracker.track('a:1', 1);
    tracker.track('b:1', 1);
    expect(() => tracker.track('c:1', 1)).toThrow(TooManyWatermarkSourcesError);
  });

  it('never passes any source’s newest time minus the lag, and never decreases (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 1_000 })), { minLength: 1, maxLength: 50 }), (lagMs, events) => {
        const tracker = new WatermarkTracker(lagMs);
        const newest = new Map<number, number>();
        let previous = Number.NEGATIVE_INFINITY;
        for (const [source, ts] of events) {
          tracker.track(`s:${source}`, ts);
          newest.set(source, Math.max(newest.get(source) ?? ts, ts));
          const watermark = tracker.compute();
          expect(watermark).toBeGreaterThanOrEqual(previous);
          if (watermark > previous) expect(watermark).toBe(Math.min(...newest.values()) - lagMs);
          previous = watermark;
        }
      }),
    );
  });
});
