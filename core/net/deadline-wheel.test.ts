import { describe, expect, it } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { until } from '../../test/support/until.js';
import { DeadlineWheel } from './deadline-wheel.js';

describe('deadline wheel', () => {
  it('expires items no earlier than their deadline and at most one resolution later', async () => {
    const expired: Array<{ name: string; atMs: number }> = [];
    const wheel = new DeadlineWheel<string>(20, (name) => expired.push({ name, atMs: performance.now() }));
    const start = performance.now();
    wheel.add('soon', start + 30);
    wheel.add('later', start + 90);
    await sleep(160);
    expect(expired.map((entry) => entry.name)).toEqual(['soon', 'later']);
    expect(expired[0]!.atMs - start).toBeGreaterThanOrEqual(29);
    expect(expired[1]!.atMs - start).toBeGreaterThanOrEqual(89);
    expect(wheel.size).toBe(0);
  });

  it('never expires a removed item, and drops empty buckets', async () => {
    const expired: string[] = [];
    const wheel = new DeadlineWheel<string>(10, (name) => expired.push(name));
    wheel.add('kept', performance.now() + 20);
    wheel.add('removed', performance.now() + 20);
    wheel.remove('removed');
    await sleep(60);
    expect(expired).toEqual(['kept']);
    wheel.add('cleared', performance.now() + 10);
    wheel.clear();
    await sleep(30);
    expect(expired).toEqual(['kept']);
  });

  it('times deadlines on the monotonic clock, so a stepped wall clock neither ends them early nor holds them back', async () => {
    const realDateNow = Date.now;
    const expired: string[] = [];
    const wheel = new DeadlineWheel<string>(10, (name) => expired.push(name));
    try {
      Date.now = () => realDateNow() + 60_000;
      wheel.add('after a step forward', performance.now() + 40);
      Date.now = () => realDateNow() - 60_000;
      wheel.add('after a step back', performance.now() + 40);
      // A wall-clock wheel would have fired the first at once and held the second for a minute.
      expect(expired).toEqual([]);
      await sleep(20);
      expect(expired).toEqual([]);
      await until('both deadlines to expire', () => expired.length === 2, 5_000, 10);
      expect(expired).toEqual(['after a step forward', 'after a step back']);
    } finally {
      Date.now = realDateNow;
      wheel.clear();
    }
  });
});
