import { describe, expect, it } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { DeadlineWheel } from './deadline-wheel.js';

describe('deadline wheel', () => {
  it('expires items no earlier than their deadline and at most one resolution later', async () => {
    const expired: Array<{ name: string; atMs: number }> = [];
    const wheel = new DeadlineWheel<string>(20, (name) => expired.push({ name, atMs: Date.now() }));
    const start = Date.now();
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
    wheel.add('kept', Date.now() + 20);
    wheel.add('removed', Date.now() + 20);
    wheel.remove('removed');
    await sleep(60);
    expect(expired).toEqual(['kept']);
    wheel.add('cleared', Date.now() + 10);
    wheel.clear();
    await sleep(30);
    expect(expired).toEqual(['kept']);
  });
});
