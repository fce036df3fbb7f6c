import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { SpoutError } from './errors.js';
import { OffsetTracker } from './offset-tracker.js';

type Step = { kind: 'emit'; gap: number } | { kind: 'ack'; pick: number } | { kind: 'fail'; pick: number } | { kind: 'replay'; pick: number };

const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('emit' as const), gap: fc.nat(3) }),
  fc.record({ kind: fc.constant('ack' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('fail' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('replay' as const), pick: fc.nat() }),
);

/** Runs `steps` against a tracker and a plain model, checking the invariants after each. */
function run(start: number, steps: readonly Step[]): { tracker: OffsetTracker; emitted: number[]; unacked: Set<number> } {
  const tracker = new OffsetTracker(1_000);
  tracker.assign(0, start);
  const emitted: number[] = [];
  const unacked = new Set<number>();
  let next = start;
  let lastCommittable = tracker.committable(0);
  for (const step of steps) {
    const choices = [...unacked];
    const picked = choices.length === 0 ? undefined : choices[(step.kind === 'emit' ? 0 : step.pick) % choices.length];
    if (step.kind === 'emit') {
      const offset = next + step.gap;
      tracker.emitted(0, offset);
      emitted.push(offset);
      unacked.add(offset);
      next = offset + 1;
    } else if (step.kind === 'ack' && picked !== undefined) {
      expect(tracker.acked(0, picked)).toBe(true);
      unacked.delete(picked);
    } else if (step.kind === 'replay' && picked !== undefined) {
      tracker.emitted(0, picked); // a failed offset emitted again stays pending
    }
    // 'fail' changes nothing in the tracker: the offset stays unacked.
    const committable = tracker.committable(0);
    for (const offset of unacked) expect(committable).toBeLessThanOrEqual(offset);
    expect(committable).toBeGreaterThanOrEqual(lastCommittable);
    lastCommittable = committable;
  }
  return { tracker, emitted, unacked };
}

describe('offset tracker', () => {
  it('never lets the committable offset pass an unacked offset, and never moves it back', () => {
    fc.assert(fc.property(fc.nat(1_000), fc.array(stepArbitrary, { maxLength: 200 }), (start, steps) => void run(start, steps)));
  });

  it('commits the offset after the last one emitted once everything is acked', () => {
    fc.assert(
      fc.property(fc.nat(1_000), fc.array(stepArbitrary, { maxLength: 200 }), (start, steps) => {
        const { tracker, emitted, unacked } = run(start, steps);
        for (const offset of unacked) tracker.acked(0, offset);
        expect(tracker.committable(0)).toBe(emitted.length === 0 ? start : emitted[emitted.length - 1]! + 1);
        expect(tracker.pendingCount(0)).toBe(0);
      }),
    );
  });

  it('holds the committable offset at the first unacked one (acks out of order)', () => {
    const tracker = new OffsetTracker();
    tracker.assign(3, 10);
    for (const offset of [10, 11, 12, 15]) tracker.emitted(3, offset);
    tracker.acked(3, 11);
    tracker.acked(3, 12);
    expect(tracker.committable(3)).toBe(10);
    tracker.acked(3, 10);
    expect(tracker.committable(3)).toBe(15);
    expect(tracker.acked(3, 10)).toBe(false); // a duplicate ack
    tracker.acked(3, 15);
    expect(tracker.committable(3)).toBe(16);
  });

  it('uses the given next offset for variable-length entries (byte offsets of lines)', () => {
    const tracker = new OffsetTracker();
    tracker.assign(0, 0);
    tracker.emitted(0, 0, 6);
    tracker.emitted(0, 6, 20);
    tracker.acked(0, 0);
    expect(tracker.committable(0)).toBe(6);
    tracker.acked(0, 6);
    expect(tracker.committable(0)).toBe(20);
    expect(tracker.position(0)).toBe(20);
  });

  it('is full at its bound of pending offsets, counting acked offsets behind an unacked one', () => {
    const tracker = new OffsetTracker(3);
    tracker.assign(0, 0);
    for (const offset of [0, 1, 2]) tracker.emitted(0, offset);
    tracker.acked(0, 1);
    tracker.acked(0, 2);
    expect(tracker.isFull(0)).toBe(true);
    tracker.acked(0, 0);
    expect(tracker.isFull(0)).toBe(false);
  });

  it('refuses offsets emitted out of order', () => {
    const tracker = new OffsetTracker();
    tracker.assign(0, 5);
    expect(() => tracker.emitted(0, 4)).toThrow(SpoutError);
    tracker.emitted(0, 5);
    tracker.acked(0, 5);
    expect(() => tracker.emitted(0, 5)).toThrow(expect.objectContaining({ code: 'OFFSET_ORDER_VIOLATED' }));
  });
});
