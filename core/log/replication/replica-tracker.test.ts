import { describe, expect, it } from '@jest/globals';
import { ReplicaTracker } from './replica-tracker.js';

const LAG_MS = 10_000;

describe('leader replica tracking', () => {
  it('holds the high watermark at the smallest log end in the ISR', () => {
    const tracker = new ReplicaTracker(1, [1, 2, 3], [1, 2, 3], 0, 0, 0, 0);
    expect(tracker.onAppend(10)).toBe(false);
    expect(tracker.onFollowerFetch(2, 10, 1)).toBe(false);
    expect(tracker.highWatermark).toBe(0);
    expect(tracker.onFollowerFetch(3, 4, 1)).toBe(true);
    expect(tracker.highWatermark).toBe(4);
    tracker.onFollowerFetch(3, 10, 2);
    expect(tracker.highWatermark).toBe(10);
  });

  it('never moves the high watermark back', () => {
    const tracker = new ReplicaTracker(1, [1, 2], [1, 2], 0, 10, 10, 0);
    tracker.onFollowerFetch(2, 3, 1);
    expect(tracker.highWatermark).toBe(10);
  });

  it('advances on append alone when the leader is the only ISR member', () => {
    const tracker = new ReplicaTracker(1, [1, 2], [1], 0, 0, 0, 0);
    expect(tracker.onAppend(5)).toBe(true);
    expect(tracker.highWatermark).toBe(5);
  });

  it('shrinks the ISR of a follower not caught up for longer than the lag limit', () => {
    const tracker = new ReplicaTracker(1, [1, 2, 3], [1, 2, 3], 0, 0, 0, 0);
    tracker.onAppend(100);
    tracker.onFollowerFetch(2, 100, 1_000);
    tracker.onFollowerFetch(3, 50, 1_000);
    expect(tracker.proposeIsrChange(5_000, LAG_MS)).toBeUndefined();
    tracker.onFollowerFetch(2, 100, 10_500);
    expect(tracker.proposeIsrChange(10_500, LAG_MS)).toEqual({ isr: [1, 2] });
    expect(tracker.setIsr([1, 2])).toBe(true);
    expect(tracker.highWatermark).toBe(100);
  });

  it('counts a follower fetching the previous log end as caught up under steady appends', () => {
    const tracker = new ReplicaTracker(1, [1, 2], [1, 2], 0, 0, 0, 0);
    for (let t = 1; t <= 50; t++) {
      tracker.onAppend(t * 10);
      // Always one append behind: fetches what the leader had at its previous fetch.
      tracker.onFollowerFetch(2, (t - 1) * 10, t * 1_000);
    }
    expect(tracker.proposeIsrChange(50_000, LAG_MS)).toBeUndefined();
  });

  it('lets a follower rejoin once it reaches the high watermark and the epoch start', () => {
    const tracker = new ReplicaTracker(1, [1, 2, 3], [1, 2], 40, 50, 50, 0);
    tracker.onFollowerFetch(2, 50, 1);
    tracker.onFollowerFetch(3, 30, 1);
    expect(tracker.proposeIsrChange(2, LAG_MS)).toBeUndefined();
    tracker.onFollowerFetch(3, 50, 3);
    expect(tracker.proposeIsrChange(4, LAG_MS)).toEqual({ isr: [1, 2, 3] });
  });

  it('ignores fetches from brokers that are not replicas', () => {
    const tracker = new ReplicaTracker(1, [1, 2], [1, 2], 0, 10, 0, 0);
    expect(tracker.onFollowerFetch(9, 10, 1)).toBe(false);
    expect(tracker.highWatermark).toBe(0);
  });
});
