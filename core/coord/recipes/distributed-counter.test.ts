import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { CoordClient } from '../client/coord-client.js';
import { ZooKeeperError } from '../client/errors.js';
import { ErrorCode } from '../zookeeper-constants.js';
import { DistributedCounter } from './distributed-counter.js';
import { CounterContentionError, CounterCorruptError, InvalidArgumentError } from './errors.js';
import { RecipeHarness } from './recipe-test-harness.js';

let harness: RecipeHarness;

beforeEach(async () => {
  harness = await RecipeHarness.start();
});

afterEach(async () => {
  await harness.close();
});

/** A view of `client` whose setData calls run `before` first and may lose their reply. */
function interceptingSetData(client: CoordClient, options: { before?: () => Promise<void>; loseReply?: 'after-apply' | 'before-apply'; times?: number }): { client: CoordClient; calls: () => number } {
  let calls = 0;
  let remaining = options.times ?? Infinity;
  const view = Object.create(client) as CoordClient;
  view.setData = async (path, data, version) => {
    calls += 1;
    await options.before?.();
    const lose = options.loseReply !== undefined && remaining > 0;
    if (lose) remaining -= 1;
    if (lose && options.loseReply === 'before-apply') throw new ZooKeeperError(ErrorCode.CONNECTIONLOSS, 'setData', path);
    const stat = await client.setData(path, data, version);
    if (lose) throw new ZooKeeperError(ErrorCode.CONNECTIONLOSS, 'setData', path);
    return stat;
  };
  return { client: view, calls: () => calls };
}

describe('distributed counter', () => {
  it('counts exactly under contention: 5 clients × 20 increments give 100, each value once', async () => {
    const clients = await Promise.all([1, 2, 3, 4, 5].map(() => harness.connect()));
    const produced: number[] = [];
    let attempts = 0;
    await Promise.all(
      clients.map(async (client) => {
        const { client: view, calls } = interceptingSetData(client, {});
        const counter = new DistributedCounter(view, '/counters/hits');
        for (let i = 0; i < 20; i += 1) produced.push(await counter.increment());
        attempts += calls();
      }),
    );
    expect(await new DistributedCounter(clients[0]!, '/counters/hits').get()).toBe(100);
    expect(produced.sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    // Compare-and-set really raced (and retried), or this test would prove nothing.
    expect(attempts).toBeGreaterThan(100);
  });

  it('starts at 0, adds any safe integer and refuses others', async () => {
    const client = await harness.connect();
    const counter = new DistributedCounter(client, '/counters/fresh');
    expect(await counter.get()).toBe(0);
    expect(await counter.increment(5)).toBe(5);
    expect(await counter.increment(-7)).toBe(-2);
    await expect(counter.increment(0.5)).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(() => new DistributedCounter(client, '/x', { maxAttempts: 0 })).toThrow(InvalidArgumentError);
  });

  it('gives up with CounterContentionError when every attempt loses the race', async () => {
    const [client, rival] = await Promise.all([1, 2].map(() => harness.connect()));
    const rivalCounter = new DistributedCounter(rival!, '/counters/hot');
    const { client: view, calls } = interceptingSetData(client!, { before: async () => void (await rivalCounter.increment()) });
    await expect(new DistributedCounter(view, '/counters/hot', { maxAttempts: 3 }).increment()).rejects.toBeInstanceOf(CounterContentionError);
    expect(calls()).toBe(3);
    expect(await rivalCounter.get()).toBe(3);
  });

  it('does not add twice when the reply to an applied write is lost', async () => {
    const client = await harness.connect();
    const { client: view } = interceptingSetData(client, { loseReply: 'after-apply', times: 1 });
    const counter = new DistributedCounter(view, '/counters/lost-after');
    expect(await counter.increment(10)).toBe(10);
    expect(await counter.get()).toBe(10);
  });

  it('retries when the write was lost before it applied', async () => {
    const client = await harness.connect();
    const { client: view, calls } = interceptingSetData(client, { loseReply: 'before-apply', times: 1 });
    const counter = new DistributedCounter(view, '/counters/lost-before');
    expect(await counter.increment(10)).toBe(10);
    expect(await counter.get()).toBe(10);
    expect(calls()).toBe(2);
  });

  it('reports a node that does not hold a number', async () => {
    const client = await harness.connect();
    await client.create('/not-a-counter', 'hello');
    await expect(new DistributedCounter(client, '/not-a-counter').get()).rejects.toBeInstanceOf(CounterCorruptError);
  });
});
