import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { InvalidOptionError } from './errors.js';
import { PhiAccrualFailureDetector } from './failure-detector.js';

function withBeats(detector: PhiAccrualFailureDetector, node: string, everyMs: number, count: number, fromMs = 0): number {
  let at = fromMs;
  for (let i = 0; i < count; i++, at += everyMs) detector.heartbeat(node, at);
  return at - everyMs;
}

describe('phi accrual failure detector', () => {
  it('does not consider a node it never heard from available', () => {
    const detector = new PhiAccrualFailureDetector();
    expect(detector.phi('a', 0)).toBe(Infinity);
    expect(detector.isAvailable('a', 0)).toBe(false);
  });

  it('trusts a node that beats regularly and suspects it after a long silence, until it beats again', () => {
    const detector = new PhiAccrualFailureDetector({ acceptablePauseMs: 0 });
    const last = withBeats(detector, 'a', 1000, 20);
    expect(detector.isAvailable('a', last + 1000)).toBe(true);
    expect(detector.phi('a', last + 500)).toBeLessThan(1);
    expect(detector.isAvailable('a', last + 3000)).toBe(false);
    detector.heartbeat('a', last + 3000);
    expect(detector.isAvailable('a', last + 3100)).toBe(true);
  });

  it('adapts to each node’s rhythm: a fast beater is suspected sooner', () => {
    const detector = new PhiAccrualFailureDetector({ acceptablePauseMs: 0, minStdDeviationMs: 10 });
    const lastFast = withBeats(detector, 'fast', 100, 200);
    const lastSlow = withBeats(detector, 'slow', 1000, 200);
    expect(detector.isAvailable('fast', lastFast + 600)).toBe(false);
    expect(detector.isAvailable('slow', lastSlow + 600)).toBe(true);
    expect(detector.downNodes(['fast', 'slow', 'never'], Math.max(lastFast, lastSlow) + 600)).toEqual(new Set(['fast', 'never']));
  });

  it('tolerates the acceptable pause on top of the usual interval', () => {
    const strict = new PhiAccrualFailureDetector({ acceptablePauseMs: 0 });
    const lenient = new PhiAccrualFailureDetector({ acceptablePauseMs: 3000 });
    const last = withBeats(strict, 'a', 1000, 20);
    withBeats(lenient, 'a', 1000, 20);
    expect(strict.isAvailable('a', last + 3500)).toBe(false);
    expect(lenient.isAvailable('a', last + 3500)).toBe(true);
  });

  it('ignores out-of-order heartbeats, bounds the nodes tracked and forgets nodes', () => {
    const detector = new PhiAccrualFailureDetector({ maxNodes: 1 });
    expect(detector.heartbeat('a', 100)).toBe(true);
    expect(detector.heartbeat('a', 50)).toBe(false);
    expect(detector.heartbeat('b', 100)).toBe(false);
    detector.forget('a');
    expect(detector.nodes()).toEqual([]);
    expect(detector.heartbeat('b', 100)).toBe(true);
  });

  it('refuses options out of range', () => {
    expect(() => new PhiAccrualFailureDetector({ windowSize: 0 })).toThrow(InvalidOptionError);
    expect(() => new PhiAccrualFailureDetector({ threshold: Number.NaN })).toThrow(InvalidOptionError);
    expect(() => new PhiAccrualFailureDetector().heartbeat('a', Number.POSITIVE_INFINITY)).toThrow(InvalidOptionError);
  });

  it('gives a phi that never decreases while a node stays silent (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 5000 }), { minLength: 1, maxLength: 50 }), fc.array(fc.integer({ min: 0, max: 20_000 }), { maxLength: 20 }), (intervals, probes) => {
        const detector = new PhiAccrualFailureDetector({ windowSize: 16 });
        let at = 0;
        detector.heartbeat('a', at);
        for (const interval of intervals) detector.heartbeat('a', (at += interval));
        let previous = 0;
        for (const offset of [...probes].sort((x, y) => x - y)) {
          const phi = detector.phi('a', at + offset);
          expect(phi).toBeGreaterThanOrEqual(previous);
          previous = phi;
        }
      }),
      { numRuns: 200 },
    );
  });
});
