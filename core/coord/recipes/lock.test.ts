import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { CoordClient } from '../client/coord-client.js';
import { LockTimeoutError } from './errors.js';
import { DistributedLock, type LockHandle } from './lock.js';
import { countingWatches, flushEvents, hasSettled, losingCreateReplies, RecipeHarness } from './recipe-test-harness.js';

let harness: RecipeHarness;

beforeEach(async () => {
  harness = await RecipeHarness.start();
});

afterEach(async () => {
  await harness.close();
});

const connectMany = (count: number) => Promise.all(Array.from({ length: count }, () => harness.connect()));

/** Resolves once `client` has set `count` watches' worth of queue positions: the lock dir holds `count` nodes. */
async function untilQueueLength(client: CoordClient, lockPath: string, count: number): Promise<void> {
  for (;;) {
    let changed!: () => void;
    const next = new Promise<void>((resolve) => (changed = resolve));
    if ((await client.getChildren(lockPath, () => changed())).length >= count) return;
    await next;
  }
}

describe('distributed lock', () => {
  it('guards a read-modify-write: 5 clients × 20 increments give exactly 100', async () => {
    const clients = await connectMany(5);
    await clients[0]!.create('/shared', '0');
    let holders = 0;
    let mostHolders = 0;
    const worker = async (client: CoordClient) => {
      const lock = new DistributedLock(client, '/locks/shared');
      for (let i = 0; i < 20; i += 1) {
        await lock.withLock(async () => {
          holders += 1;
          mostHolders = Math.max(mostHolders, holders);
          const value = Number((await client.getData('/shared')).data.toString());
          await client.setData('/shared', String(value + 1));
          holders -= 1;
        });
      }
    };
    await Promise.all(clients.map(worker));
    expect((await clients[0]!.getData('/shared')).data.toString()).toBe('100');
    expect(mostHolders).toBe(1);
    expect(await clients[0]!.getChildren('/locks/shared')).toEqual([]);
  });

  it('wakes only the next waiter on each release (no herd effect) and serves waiters in arrival order', async () => {
    const raw = await connectMany(5);
    const counted = raw.map(countingWatches);
    const locks = counted.map(({ client }) => new DistributedLock(client, '/locks/herd'));
    const first = await locks[0]!.acquire();
    const order: number[] = [];
    const pending: Array<Promise<LockHandle>> = [];
    for (let i = 1; i < 5; i += 1) {
      pending.push(locks[i]!.acquire().then((handle) => (order.push(i), handle)));
      await counted[i]!.untilWatchesSet(1);
    }
    const totalEvents = () => counted.reduce((sum, { events }) => sum + events.length, 0);
    let holder = first;
    for (let i = 1; i < 5; i += 1) {
      await holder.release();
      holder = await pending[i - 1]!;
      await flushEvents(raw);
      expect(totalEvents()).toBe(i);
      expect(counted[i]!.events).toHaveLength(1);
      for (let later = i + 1; later < 5; later += 1) expect(await hasSettled(pending[later - 1]!)).toBe(false);
    }
    await holder.release();
    expect(order).toEqual([1, 2, 3, 4]);
  });

  it('finds its own node by GUID when the reply to create is lost, leaving no orphan', async () => {
    const [client, rival] = await connectMany(2);
    await client!.mkdirp('/locks/lost-reply');
    const lock = new DistributedLock(losingCreateReplies(client!), '/locks/lost-reply');
    const handle = await lock.acquire(2_000);
    const children = await client!.getChildren('/locks/lost-reply');
    expect(children.map((name) => `/locks/lost-reply/${name}`)).toEqual([handle.nodePath]);
    const rivalTurn = new DistributedLock(rival!, '/locks/lost-reply').acquire(2_000);
    await handle.release();
    await (await rivalTurn).release();
  });

  it('recovers from a connection dropped while its create is in flight', async () => {
    const [client, observer] = await connectMany(2);
    await client!.mkdirp('/locks/dropped');
    const acquiring = new DistributedLock(client!, '/locks/dropped').acquire(2_000);
    client!.session.dropConnection();
    const handle = await acquiring;
    expect((await observer!.getChildren('/locks/dropped')).map((name) => `/locks/dropped/${name}`)).toEqual([handle.nodePath]);
    await handle.release();
    expect(await observer!.getChildren('/locks/dropped')).toEqual([]);
  });

  it('gives up with LockTimeoutError after the timeout and leaves the queue', async () => {
    const [holderClient, waiterClient, laterClient] = await connectMany(3);
    const holder = await new DistributedLock(holderClient!, '/locks/timeout').acquire();
    const attempt = new DistributedLock(waiterClient!, '/locks/timeout').acquire(150);
    await expect(attempt).rejects.toBeInstanceOf(LockTimeoutError);
    await expect(attempt).rejects.toMatchObject({ code: 'LOCK_TIMEOUT', lockPath: '/locks/timeout', timeoutMs: 150 });
    expect(await holderClient!.getChildren('/locks/timeout')).toHaveLength(1);
    await holder.release();
    // Had the timed-out node stayed, this acquire would wait on it forever.
    await (await new DistributedLock(laterClient!, '/locks/timeout').acquire(2_000)).release();
  });

  it('passes the lock on when the holder’s client closes', async () => {
    const [holderClient, waiterClient] = await connectMany(2);
    await new DistributedLock(holderClient!, '/locks/crash').acquire();
    const waiting = new DistributedLock(waiterClient!, '/locks/crash').acquire(5_000);
    await untilQueueLength(waiterClient!, '/locks/crash', 2);
    expect(await hasSettled(waiting)).toBe(false);
    await holderClient!.close();
    await (await waiting).release();
  });

  it('releases idempotently', async () => {
    const [client] = await connectMany(1);
    const handle = await new DistributedLock(client!, '/locks/twice').acquire();
    await handle.release();
    await handle.release();
    expect(await client!.getChildren('/locks/twice')).toEqual([]);
  });
});
