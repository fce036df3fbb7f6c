import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ClockDriftExceededError, InvalidPhysicalTimeError, InvalidTimestampError, LogicalCounterOverflowError } from './errors.js';
import {
  HLC_ZERO,
  HybridLogicalClock,
  compareHlc,
  decodeHlc,
  encodeHlc,
  hlcFromString,
  hlcToString,
  maxHlc,
  type HlcTimestamp,
} from './hybrid-logical-clock.js';
import { HLC_ENCODED_BYTES, MAX_HLC_LOGICAL, MAX_HLC_WALL_MS } from './limits.js';

/** A physical clock the test moves by hand. */
function manualClock(startMs: number): { readonly read: () => number; set(ms: number): void } {
  let nowMs = startMs;
  return {
    read: () => nowMs,
    set(ms: number) {
      nowMs = ms;
    },
  };
}

const timestampArbitrary = fc.record({
  wallMs: fc.integer({ min: 0, max: MAX_HLC_WALL_MS }),
  logical: fc.integer({ min: 0, max: MAX_HLC_LOGICAL }),
});

describe('hybrid logical clock', () => {
  it('follows the physical clock while it advances', () => {
    const physical = manualClock(1_000);
    const clock = new HybridLogicalClock({ physicalClockMs: physical.read });
    expect(clock.now()).toEqual({ wallMs: 1_000, logical: 0 });
    physical.set(1_005);
    expect(clock.now()).toEqual({ wallMs: 1_005, logical: 0 });
  });

  it('counts logically while the physical clock stands still or steps back', () => {
    const physical = manualClock(1_000);
    const clock = new HybridLogicalClock({ physicalClockMs: physical.read });
    clock.now();
    expect(clock.now()).toEqual({ wallMs: 1_000, logical: 1 });
    physical.set(900);
    expect(clock.now()).toEqual({ wallMs: 1_000, logical: 2 });
    physical.set(1_001);
    expect(clock.now()).toEqual({ wallMs: 1_001, logical: 0 });
  });

  it('moves past a received timestamp that is ahead of the local clock', () => {
    const clock = new HybridLogicalClock({ physicalClockMs: () => 1_000 });
    clock.now();
    expect(clock.update({ wallMs: 1_500, logical: 7 })).toEqual({ wallMs: 1_500, logical: 8 });
    expect(clock.now()).toEqual({ wallMs: 1_500, logical: 9 });
  });

  it('takes the larger logical counter when local and received wall times tie', () => {
    const clock = new HybridLogicalClock({ physicalClockMs: () => 1_000, initial: { wallMs: 2_000, logical: 3 } });
    expect(clock.update({ wallMs: 2_000, logical: 10 })).toEqual({ wallMs: 2_000, logical: 11 });
    expect(clock.update({ wallMs: 2_000, logical: 1 })).toEqual({ wallMs: 2_000, logical: 12 });
  });

  it('resets the logical counter when the physical clock is ahead of both', () => {
    const clock = new HybridLogicalClock({ physicalClockMs: () => 5_000, initial: { wallMs: 2_000, logical: 3 } });
    expect(clock.update({ wallMs: 4_000, logical: 9 })).toEqual({ wallMs: 5_000, logical: 0 });
  });

  it('refuses a timestamp further ahead than the drift limit and stays unchanged', () => {
    const clock = new HybridLogicalClock({ physicalClockMs: () => 1_000, maxDriftMs: 100 });
    const before = clock.now();
    expect(clock.update({ wallMs: 1_100, logical: 0 })).toEqual({ wallMs: 1_100, logical: 1 });
    const last = clock.last;
    let caught: unknown;
    try {
      clock.update({ wallMs: 1_201, logical: 0 });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ClockDriftExceededError);
    expect(caught).toMatchObject({ code: 'CLOCK_DRIFT_EXCEEDED', receivedWallMs: 1_201, physicalMs: 1_000, maxDriftMs: 100 });
    expect(clock.last).toBe(last);
    expect(compareHlc(before, last)).toBe(-1);
  });

  it('resumes after a restart from the persisted last timestamp', () => {
    const clock = new HybridLogicalClock({ physicalClockMs: () => 10, initial: { wallMs: 50, logical: 4 } });
    expect(clock.last).toEqual({ wallMs: 50, logical: 4 });
    expect(clock.now()).toEqual({ wallMs: 50, logical: 5 });
  });

  it('rejects a physical clock that returns garbage', () => {
    for (const bad of [Number.NaN, -1, Number.POSITIVE_INFINITY]) {
      const clock = new HybridLogicalClock({ physicalClockMs: () => bad });
      expect(() => clock.now()).toThrow(InvalidPhysicalTimeError);
    }
    const fractional = new HybridLogicalClock({ physicalClockMs: () => 12.9 });
    expect(fractional.now()).toEqual({ wallMs: 12, logical: 0 });
  });

  it('rejects malformed received timestamps with a typed error', () => {
    const clock = new HybridLogicalClock({ physicalClockMs: () => 1_000 });
    for (const bad of [{ wallMs: -1, logical: 0 }, { wallMs: 1.5, logical: 0 }, { wallMs: 1, logical: MAX_HLC_LOGICAL + 1 }]) {
      expect(() => clock.update(bad)).toThrow(InvalidTimestampError);
    }
    expect(() => clock.update(null as unknown as HlcTimestamp)).toThrow(InvalidTimestampError);
    expect(() => new HybridLogicalClock({ physicalClockMs: () => 0, maxDriftMs: -5 })).toThrow(/maxDriftMs/);
  });

  it('fails loudly instead of wrapping the logical counter', () => {
    const clock = new HybridLogicalClock({ physicalClockMs: () => 0, initial: { wallMs: 7, logical: MAX_HLC_LOGICAL } });
    expect(() => clock.now()).toThrow(LogicalCounterOverflowError);
    expect(() => clock.update({ wallMs: 7, logical: 0 })).toThrow(LogicalCounterOverflowError);
  });

  describe('properties', () => {
    type Step = { readonly kind: 'now'; readonly physicalMs: number } | { readonly kind: 'update'; readonly physicalMs: number; readonly received: HlcTimestamp };
    const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
      fc.record({ kind: fc.constant('now' as const), physicalMs: fc.integer({ min: 0, max: 2_000 }) }),
      fc.record({
        kind: fc.constant('update' as const),
        physicalMs: fc.integer({ min: 0, max: 2_000 }),
        received: fc.record({ wallMs: fc.integer({ min: 0, max: 2_000 }), logical: fc.integer({ min: 0, max: 50 }) }),
      }),
    );

    it('is strictly monotonic whatever the physical clock does', () => {
      fc.assert(
        fc.property(fc.array(stepArbitrary, { maxLength: 60 }), (steps) => {
          const physical = manualClock(0);
          const clock = new HybridLogicalClock({ physicalClockMs: physical.read, maxDriftMs: 5_000 });
          let previous = clock.last;
          for (const step of steps) {
            physical.set(step.physicalMs);
            const next = step.kind === 'now' ? clock.now() : clock.update(step.received);
            expect(compareHlc(next, previous)).toBe(1);
            expect(next.wallMs).toBeGreaterThanOrEqual(step.physicalMs);
            previous = next;
          }
        }),
      );
    });

    it('returns from update a timestamp greater than the one received', () => {
      fc.assert(
        fc.property(fc.array(stepArbitrary, { maxLength: 20 }), timestampArbitrary, (warmUp, received) => {
          const physical = manualClock(0);
          const clock = new HybridLogicalClock({ physicalClockMs: physical.read, maxDriftMs: MAX_HLC_WALL_MS });
          for (const step of warmUp) {
            physical.set(step.physicalMs);
            if (step.kind === 'now') clock.now();
            else clock.update(step.received);
          }
          const before = clock.last;
          let result: HlcTimestamp;
          try {
            result = clock.update(received);
          } catch (error) {
            // Only the (legitimate) exhaustion of the counter at the very top of its range may refuse.
            expect(error).toBeInstanceOf(LogicalCounterOverflowError);
            return;
          }
          expect(compareHlc(result, received)).toBe(1);
          expect(compareHlc(result, before)).toBe(1);
        }),
      );
    });

    it('keeps wall time within the drift limit of a monotonic physical clock', () => {
      fc.assert(
        fc.property(fc.array(stepArbitrary, { maxLength: 60 }), fc.integer({ min: 0, max: 300 }), (steps, maxDriftMs) => {
          const physical = manualClock(0);
          const clock = new HybridLogicalClock({ physicalClockMs: physical.read, maxDriftMs });
          let physicalMs = 0;
          for (const step of steps) {
            physicalMs = Math.max(physicalMs, step.physicalMs);
            physical.set(physicalMs);
            const before = clock.last;
            try {
              if (step.kind === 'now') clock.now();
              else clock.update(step.received);
            } catch (error) {
              expect(error).toBeInstanceOf(ClockDriftExceededError);
              expect(clock.last).toBe(before);
            }
            expect(clock.last.wallMs - physicalMs).toBeLessThanOrEqual(maxDriftMs);
          }
        }),
      );
    });

    it('orders every pair of causally related events (happened-before implies smaller timestamp)', () => {
      const nodes = 3;
      type Action = { readonly node: number; readonly send: boolean; readonly tickMs: number; readonly skewMs: number };
      const actionArbitrary = fc.record({
        node: fc.integer({ min: 0, max: nodes - 1 }),
        send: fc.boolean(),
        tickMs: fc.integer({ min: -3, max: 5 }),
        skewMs: fc.integer({ min: -20, max: 20 }),
      });
      fc.assert(
        fc.property(fc.array(actionArbitrary, { minLength: 1, maxLength: 40 }), (actions: Action[]) => {
          let physicalMs = 1_000;
          const skews = [0, 0, 0];
          const clocks = skews.map((_, node) => new HybridLogicalClock({ physicalClockMs: () => physicalMs + (skews[node] ?? 0), maxDriftMs: 1_000 }));
          // Vector clocks give the ground truth of happened-before.
          const vectors = clocks.map(() => new Array<number>(nodes).fill(0));
          const events: { timestamp: HlcTimestamp; vector: number[] }[] = [];
          const inFlight: { timestamp: HlcTimestamp; vector: number[] }[] = [];
          for (const action of actions) {
            physicalMs = Math.max(0, physicalMs + action.tickMs);
            skews[action.node] = action.skewMs;
            const clock = clocks[action.node];
            const vector = vectors[action.node];
            if (clock === undefined || vector === undefined) throw new Error('node out of range');
            const message = action.send ? undefined : inFlight.shift();
            const timestamp = message === undefined ? clock.now() : clock.update(message.timestamp);
            if (message !== undefined) message.vector.forEach((count, index) => (vector[index] = Math.max(vector[index] ?? 0, count)));
            vector[action.node] = (vector[action.node] ?? 0) + 1;
            const event = { timestamp, vector: [...vector] };
            events.push(event);
            if (action.send) inFlight.push(event);
          }
          const happenedBefore = (a: number[], b: number[]): boolean => a.every((count, index) => count <= (b[index] ?? 0)) && a.some((count, index) => count < (b[index] ?? 0));
          for (const e of events) {
            for (const f of events) {
              if (happenedBefore(e.vector, f.vector)) expect(compareHlc(e.timestamp, f.timestamp)).toBe(-1);
            }
          }
        }),
      );
    });
  });
});

describe('hybrid timestamp encodings', () => {
  it('encodes to 12 big-endian bytes and 24 hex characters', () => {
    const timestamp = { wallMs: 0x0102_0304_0506, logical: 0x0a0b0c0d };
    expect(encodeHlc(timestamp).toString('hex')).toBe('00000102030405060a0b0c0d');
    expect(hlcToString(timestamp)).toBe('0000010203040506' + '0a0b0c0d');
    expect(hlcToString(HLC_ZERO)).toBe('0'.repeat(24));
  });

  it('writes into a caller buffer at an offset', () => {
    const target = Buffer.alloc(20, 0xff);
    encodeHlc({ wallMs: 1, logical: 2 }, target, 4);
    expect(decodeHlc(target, 4)).toEqual({ wallMs: 1, logical: 2 });
    expect(target.subarray(0, 4).toString('hex')).toBe('ffffffff');
    expect(() => encodeHlc({ wallMs: 1, logical: 2 }, target, 10)).toThrow(RangeError);
  });

  it('round-trips every valid timestamp through bytes and strings', () => {
    fc.assert(
      fc.property(timestampArbitrary, (timestamp) => {
        expect(decodeHlc(encodeHlc(timestamp))).toEqual(timestamp);
        expect(hlcFromString(hlcToString(timestamp))).toEqual(timestamp);
      }),
    );
  });

  it('sorts bytes and strings in timestamp order', () => {
    fc.assert(
      fc.property(timestampArbitrary, timestampArbitrary, (a, b) => {
        const order = compareHlc(a, b);
        expect(Math.sign(Buffer.compare(encodeHlc(a), encodeHlc(b)))).toBe(order);
        const as = hlcToString(a);
        const bs = hlcToString(b);
        expect(as < bs ? -1 : as > bs ? 1 : 0).toBe(order);
        expect(maxHlc(a, b)).toBe(order >= 0 ? a : b);
      }),
    );
  });

  it('refuses short buffers, malformed strings and out-of-range values', () => {
    expect(() => decodeHlc(Buffer.alloc(HLC_ENCODED_BYTES - 1))).toThrow(InvalidTimestampError);
    expect(() => decodeHlc(Buffer.alloc(HLC_ENCODED_BYTES), 1)).toThrow(InvalidTimestampError);
    expect(() => decodeHlc(Buffer.alloc(HLC_ENCODED_BYTES, 0xff))).toThrow(InvalidTimestampError);
    for (const bad of ['', 'zz'.repeat(12), 'A'.repeat(24), '0'.repeat(25)]) expect(() => hlcFromString(bad)).toThrow(InvalidTimestampError);
    expect(() => encodeHlc({ wallMs: MAX_HLC_WALL_MS + 1, logical: 0 })).toThrow(InvalidTimestampError);
  });

  it('never crashes on garbage bytes: a timestamp or a typed error', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 30 }), fc.nat({ max: 30 }), (bytes, offset) => {
        try {
          const timestamp = decodeHlc(bytes, offset);
          expect(decodeHlc(encodeHlc(timestamp))).toEqual(timestamp);
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidTimestampError);
        }
      }),
    );
  });
});
