import { describe, expect, it } from '@jest/globals';
import { Backoff } from './backoff.js';

describe('backoff', () => {
  it('grows exponentially from the initial delay up to the cap', () => {
    const backoff = new Backoff({ initialMs: 100, maxMs: 1_000, multiplier: 2, jitter: 0 });
    expect([1, 2, 3, 4, 5, 6].map(() => backoff.nextDelayMs())).toEqual([100, 200, 400, 800, 1_000, 1_000]);
  });

  it('starts over after reset', () => {
    const backoff = new Backoff({ initialMs: 50, maxMs: 1_000, jitter: 0 });
    backoff.nextDelayMs();
    backoff.nextDelayMs();
    backoff.reset();
    expect(backoff.nextDelayMs()).toBe(50);
  });

  it('spreads delays by at most the jitter fraction', () => {
    const low = new Backoff({ initialMs: 1_000, maxMs: 10_000, jitter: 0.2, random: () => 0 });
    const high = new Backoff({ initialMs: 1_000, maxMs: 10_000, jitter: 0.2, random: () => 0.999999 });
    expect(low.nextDelayMs()).toBe(800);
    expect(high.nextDelayMs()).toBe(1_200);
  });

  it('refuses nonsensical settings with a clear error', () => {
    expect(() => new Backoff({ initialMs: 0 })).toThrow(/initialMs/);
    expect(() => new Backoff({ multiplier: 0.5 })).toThrow(/multiplier/);
    expect(() => new Backoff({ jitter: 2 })).toThrow(/jitter/);
  });
});
