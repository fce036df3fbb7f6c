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

const ROOT = 0xabcd;
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
    expect(acker.init(ROOT, SPOUT, 0x11, 100)).toEqual([]);
    expect(acker.ack(ROOT, 0x11, 130)).toEqual([{ kind: 'complete', rootId: ROOT, spoutTaskId: SPOUT, latencyMs: 30 }]);
    expect(acker.pendingTrees).toBe(0);
  });

  it('follows anchored emits: the tree is done only when the child is acked too', () => {
    const acker = new Acker();
    acker.init(ROOT, SPOUT, 0x11, 0);
    expect(acker.ack(ROOT, 0x11 ^ 0x22, 1)).toEqual([]); // acked input 0x11, anchored child 0x22
    expect(acker.ack(ROOT, 0x22, 2)).toEqual([{ kind: 'complete', rootId: ROOT, spoutTaskId: SPOUT, latencyMs: 2 }]);
  });

  it('keeps acks that arrive before init and completes when init arrives', () => {
    const acker = new Acker();
    expect(acker.ack(ROOT, 0x22, 5)).toEqual([]);
    expect(acker.ack(ROOT, 0x11 ^ 0x22, 6)).toEqual([]);
    expect(acker.has(ROOT)).toBe(true);
    expect(acker.init(ROOT, SPOUT, 0x11, 10)).toEqual([
      { kind: 'complete', rootId: ROOT, spoutTaskId: SPOUT, latencyMs: 0 },
    ]);
  });

  it('completes at once a spout tuple anchored to no edge (initial XOR 0)', () => {
    expect(new Acker().init(ROOT, SPOUT, 0, 0)).toEqual([{ kind: 'complete', rootId: ROOT, spoutTaskId: SPOUT, latencyMs: 0 }]);
  });

  it('fails a tree on fail, once, and ignores it afterwards', () => {
    const acker = new Acker();
    acker.init(ROOT, SPOUT, 0x11, 0);
    expect(acker.fail(ROOT)).toEqual([{ kind: 'failed', rootId: ROOT, spoutTaskId: SPOUT, reason: 'fail' }]);
    expect(acker.ack(ROOT, 0x11, 1)).toEqual([]);
    expect(acker.expire(10_000, 1)).toEqual([]); // the leftover ack has no init: dropped silently
    expect(acker.pendingTrees).toBe(0);
  });

  it('reports a fail that arrives before init when init arrives', () => {
    const acker = new Acker();
    expect(acker.fail(ROOT)).toEqual([]);
    expect(acker.init(ROOT, SPOUT, 0x11, 1)).toEqual([{ kind: 'failed', rootId: ROOT, spoutTaskId: SPOUT, reason: 'fail' }]);
  });

  it('times out trees strictly older than the timeout, counted from init', () => {
    const acker = new Acker({ timeoutBucketWidthMs: 10 });
    acker.ack(1, 0x5, 0); // seen at 0, initialised at 20: its age counts from 20
    acker.init(2, SPOUT, 0x6, 5);
    acker.init(1, SPOUT, 0x7, 20);
    expect(acker.expire(35, 30)).toEqual([]);
    expect(acker.expire(36, 30)).toEqual([{ kind: 'failed', rootId: 2, spoutTaskId: SPOUT, reason: 'timeout' }]);
    expect(acker.expire(50, 30)).toEqual([]);
    expect(acker.expire(51, 30)).toEqual([{ kind: 'failed', rootId: 1, spoutTaskId: SPOUT, reason: 'timeout' }]);
    acker.checkInvariants();
  });

  it('fails the oldest tree when more than maxPendingTrees are pending', () => {
    const acker = new Acker({ maxPendingTrees: 2 });
    acker.init(1, SPOUT, 0x1, 0);
    acker.ack(2, 0x2, 1);
    expect(acker.init(3, SPOUT, 0x3, 2)).toEqual([{ kind: 'failed', rootId: 1, spoutTaskId: SPOUT, reason: 'evicted' }]);
    expect(acker.init(4, SPOUT, 0x4, 3)).toEqual([]); // root 2 was never initialised: dropped silently
    expect([acker.has(2), acker.has(3), acker.has(4)]).toEqual([false, true, true]);
    expect(acker.pendingTrees).toBe(2);
    acker.checkInvariants();
  });

  it('refuses a second init of the same root', () => {
    const acker = new Acker();
    acker.init(ROOT, SPOUT, 0x1, 0);
    expect(() => acker.init(ROOT, SPOUT, 0x1, 0)).toThrow(DuplicateInitError);
    expect(codeOf(() => acker.init(ROOT, SPOUT, 0x1, 0))).toBe('DUPLICATE_INIT');
  });

  it('refuses time going backwards, with the times in the error', () => {
    const acker = new Acker();
    acker.init(ROOT, SPOUT, 0x1, 100);
    expect(() => acker.ack(ROOT, 0x1, 99)).toThrow(TimeWentBackwardsError);
    expect(codeOf(() => acker.expire(99, 1))).toBe('TIME_WENT_BACKWARDS');
  });

  it('refuses invalid ids, xor values, task ids, times and options with typed errors', () => {
    const acker = new Acker();
    expect(() => acker.ack(0, 1, 0)).toThrow(InvalidTupleIdError);
    expect(() => acker.ack(MAX_TUPLE_ID + 1, 1, 0)).toThrow(InvalidTupleIdError);
    expect(() => acker.ack(ROOT, -1, 0)).toThrow(InvalidXorValueError);
    expect(codeOf(() => acker.init(ROOT, -1, 1, 0))).toBe('INVALID_TASK_ID');
    expect(codeOf(() => acker.init(ROOT, 1.5, 1, 0))).toBe('INVALID_TASK_ID');
    expect(() => acker.ack(ROOT, 1, Number.NaN)).toThrow(InvalidTimeError);
    expect(() => acker.expire(0, -1)).toThrow(InvalidTimeError);
    expect(() => new Acker({ maxPendingTrees: 0 })).toThrow(InvalidAckerOptionError);
    expect(codeOf(() => new Acker({ timeoutBucketWidthMs: 0 }))).toBe('INVALID_ACKER_OPTION');
    expect(acker.pendingTrees).toBe(0); // nothing half-applied
  });
});
