import { describe, expect, it } from '@jest/globals';
import { Acker } from './acker.js';
import {
  AckerError,
  DuplicateInitError,
  InvalidAckerOptionError,
  InvalidTimeError,
  InvalidTupleIdError,
  InvalidXorValueError,
  TimeWentBackwardsError,
} from './errors.js';
import { MAX_TUPLE_ID } from './limits.js';

const ROOT = 0xabcdn;
const SPOUT = 3;

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof AckerError) return error.code;
    throw error;
  }
  return undefined;
}

describe('acker', () => {
  it('completes a one-bolt tree when the bolt acks the spout tuple', () => {
    const acker = new Acker();
    expect(acker.init(ROOT, SPOUT, 0x11n, 100)).toEqual([]);
    expect(acker.ack(ROOT, 0x11n, 130)).toEqual([{ kind: 'complete', rootId: ROOT, spoutTaskId: SPOUT, latencyMs: 30 }]);
    expect(acker.pendingTrees).toBe(0);
  });

  it('follows anchored emits: the tree is done only when the child is acked too', () => {
    const acker = new Acker();
    acker.init(ROOT, SPOUT, 0x11n, 0);
    expect(acker.ack(ROOT, 0x11n ^ 0x22n, 1)).toEqual([]); // acked input 0x11, anchored child 0x22
    expect(acker.ack(ROOT, 0x22n, 2)).toEqual([{ kind: 'complete', rootId: ROOT, spoutTaskId: SPOUT, latencyMs: 2 }]);
  });

  it('keeps acks that arrive before init and completes when init arrives', () => {
    const acker = new Acker();
    expect(acker.ack(ROOT, 0x22n, 5)).toEqual([]);
    expect(acker.ack(ROOT, 0x11n ^ 0x22n, 6)).toEqual([]);
    expect(acker.has(ROOT)).toBe(true);
    expect(acker.init(ROOT, SPOUT, 0x11n, 10)).toEqual([
      { kind: 'complete', rootId: ROOT, spoutTaskId: SPOUT, latencyMs: 0 },
    ]);
  });

  it('completes at once a spout tuple anchored to no edge (initial XOR 0)', () => {
    expect(new Acker().init(ROOT, SPOUT, 0n, 0)).toEqual([{ kind: 'complete', rootId: ROOT, spoutTaskId: SPOUT, latencyMs: 0 }]);
  });

  it('fails a tree on fail, once, and ignores it afterwards', () => {
    const acker = new Acker();
    acker.init(ROOT, SPOUT, 0x11n, 0);
    expect(acker.fail(ROOT)).toEqual([{ kind: 'failed', rootId: ROOT, spoutTaskId: SPOUT, reason: 'fail' }]);
    expect(acker.ack(ROOT, 0x11n, 1)).toEqual([]);
    expect(acker.expire(10_000, 1)).toEqual([]); // the leftover ack has no init: dropped silently
    expect(acker.pendingTrees).toBe(0);
  });

  it('reports a fail that arrives before init when init arrives', () => {
    const acker = new Acker();
    expect(acker.fail(ROOT)).toEqual([]);
    expect(acker.init(ROOT, SPOUT, 0x11n, 1)).toEqual([{ kind: 'failed', rootId: ROOT, spoutTaskId: SPOUT, reason: 'fail' }]);
  });

  it('times out trees strictly older than the timeout, counted from init', () => {
    const acker = new Acker({ timeoutBucketWidthMs: 10 });
    acker.ack(1n, 0x5n, 0); // seen at 0, initialised at 20: its age counts from 20
    acker.init(2n, SPOUT, 0x6n, 5);
    acker.init(1n, SPOUT, 0x7n, 20);
    expect(acker.expire(35, 30)).toEqual([]);
    expect(acker.expire(36, 30)).toEqual([{ kind: 'failed', rootId: 2n, spoutTaskId: SPOUT, reason: 'timeout' }]);
    expect(acker.expire(50, 30)).toEqual([]);
    expect(acker.expire(51, 30)).toEqual([{ kind: 'failed', rootId: 1n, spoutTaskId: SPOUT, reason: 'timeout' }]);
    acker.checkInvariants();
  });

  it('fails the oldest tree when more than maxPendingTrees are pending', () => {
    const acker = new Acker({ maxPendingTrees: 2 });
    acker.init(1n, SPOUT, 0x1n, 0);
    acker.ack(2n, 0x2n, 1);
    expect(acker.init(3n, SPOUT, 0x3n, 2)).toEqual([{ kind: 'failed', rootId: 1n, spoutTaskId: SPOUT, reason: 'evicted' }]);
    expect(acker.init(4n, SPOUT, 0x4n, 3)).toEqual([]); // root 2 was never initialised: dropped silently
    expect([acker.has(2n), acker.has(3n), acker.has(4n)]).toEqual([false, true, true]);
    expect(acker.pendingTrees).toBe(2);
    acker.checkInvariants();
  });

  it('refuses a second init of the same root', () => {
    const acker = new Acker();
    acker.init(ROOT, SPOUT, 0x1n, 0);
    expect(() => acker.init(ROOT, SPOUT, 0x1n, 0)).toThrow(DuplicateInitError);
    expect(codeOf(() => acker.init(ROOT, SPOUT, 0x1n, 0))).toBe('DUPLICATE_INIT');
  });

  it('refuses time going backwards, with the times in the error', () => {
    const acker = new Acker();
    acker.init(ROOT, SPOUT, 0x1n, 100);
    expect(() => acker.ack(ROOT, 0x1n, 99)).toThrow(TimeWentBackwardsError);
    expect(codeOf(() => acker.expire(99, 1))).toBe('TIME_WENT_BACKWARDS');
  });

  it('refuses invalid ids, xor values, task ids, times and options with typed errors', () => {
    const acker = new Acker();
    expect(() => acker.ack(0n, 1n, 0)).toThrow(InvalidTupleIdError);
    expect(() => acker.ack(MAX_TUPLE_ID + 1n, 1n, 0)).toThrow(InvalidTupleIdError);
    expect(() => acker.ack(ROOT, -1n, 0)).toThrow(InvalidXorValueError);
    expect(codeOf(() => acker.init(ROOT, -1, 1n, 0))).toBe('INVALID_TASK_ID');
    expect(codeOf(() => acker.init(ROOT, 1.5, 1n, 0))).toBe('INVALID_TASK_ID');
    expect(() => acker.ack(ROOT, 1n, Number.NaN)).toThrow(InvalidTimeError);
    expect(() => acker.expire(0, -1)).toThrow(InvalidTimeError);
    expect(() => new Acker({ maxPendingTrees: 0 })).toThrow(InvalidAckerOptionError);
    expect(codeOf(() => new Acker({ timeoutBucketWidthMs: 0 }))).toBe('INVALID_ACKER_OPTION');
    expect(acker.pendingTrees).toBe(0); // nothing half-applied
  });
});
