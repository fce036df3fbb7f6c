import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { CoordClient } from '../client/coord-client.js';
import { Barrier, DoubleBarrier } from './barrier.js';
import { BarrierTimeoutError } from './errors.js';
import { flushEvents, hasSettled, RecipeHarness } from './recipe-test-harness.js';

let harness: RecipeHarness;

beforeEach(async () => {
  harness = await RecipeHarness.start();
});

afterEach(async () => {
  await harness.close();
});

/** Resolves once `path` has `count` children, awaiting child watches in between. */
async function untilChildren(client: CoordClient, path: string, count: number): Promise<void> {
  for (;;) {
    let changed!: () => void;
    const next = new Promise<void>((resolve) => (changed = resolve));
    const children = await client.getChildren(path, () => changed()).catch(() => [] as string[]);
    if (children.length === count) return;
    if (children.length === 0) await client.exists(path, () => changed());
    await next;
  }
}

describe('double barrier', () => {
  it('lets 3 participants enter only together and leave only together', async () => {
    const [observer, ...clients] = await Promise.all([0, 1, 2, 3].map(() => harness.connect()));
    await observer!.mkdirp('/barriers/round');
    const barriers = clients.map((client, index) => new DoubleBarrier(client, '/barriers/round', 3, `p${index}`));

    const entering = barriers.slice(0, 2).map((barrier) => barrier.enter(5_000));
    await untilChildren(observer!, '/barriers/round', 2);
    await flushEvents(clients);
    for (const pending of entering) expect(await hasSettled(pending)).toBe(false);
    await Promise.all([...entering, barriers[2]!.enter(5_000)]);
    expect((await observer!.getChildren('/barriers/round')).sort()).toEqual(['p0', 'p1', 'p2', 'ready']);

    // p0 is lowest and must stay until everyone else has gone; p1 waits on p0.
    const leaving = barriers.slice(0, 2).map((barrier) => barrier.leave(5_000));
    await untilChildren(observer!, '/barriers/round', 3);
    await flushEvents(clients);
    for (const pending of leaving) expect(await hasSettled(pending)).toBe(false);
    await Promise.all([...leaving, barriers[2]!.leave(5_000)]);
    expect(await observer!.getChildren('/barriers/round')).toEqual([]);
  });

  it('can host a second round on the same path', async () => {
    const clients = await Promise.all([1, 2].map(() => harness.connect()));
    for (const round of [1, 2]) {
      const barriers = clients.map((client, index) => new DoubleBarrier(client, '/barriers/again', 2, `p${index}-${round}`));
      await Promise.all(barriers.map((barrier) => barrier.enter(5_000)));
      await Promise.all(barriers.map((barrier) => barrier.leave(5_000)));
    }
    expect(await clients[0]!.getChildren('/barriers/again')).toEqual([]);
  });

  it('withdraws a participant whose enter timed out', async () => {
    const client = await harness.connect();
    const lonely = new DoubleBarrier(client, '/barriers/lonely', 2, 'p0');
    await expect(lonely.enter(100)).rejects.toMatchObject({ code: 'BARRIER_TIMEOUT', phase: 'enter' });
    expect(await client.getChildren('/barriers/lonely')).toEqual([]);
  });
});

describe('simple barrier', () => {
  it('holds waiters until the barrier node is deleted', async () => {
    const [owner, waiterA, waiterB] = await Promise.all([1, 2, 3].map(() => harness.connect()));
    const barrier = new Barrier(owner!, '/barriers/gate');
    await barrier.raise();
    const waits = [waiterA, waiterB].map((client) => new Barrier(client!, '/barriers/gate').waitUntilLowered(5_000));
    await flushEvents([waiterA!, waiterB!]);
    for (const pending of waits) expect(await hasSettled(pending)).toBe(false);
    await barrier.lower();
    await Promise.all(waits);
    await new Barrier(waiterA!, '/barriers/gate').waitUntilLowered(0);
  });

  it('times out with BarrierTimeoutError while the barrier stays up', async () => {
    const client = await harness.connect();
    const barrier = new Barrier(client, '/barriers/stuck');
    await barrier.raise();
    await expect(barrier.waitUntilLowered(50)).rejects.toBeInstanceOf(BarrierTimeoutError);
  });
});
