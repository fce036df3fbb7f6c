import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { CoordClient } from '../client/coord-client.js';
import { LockTimeoutError } from './errors.js';
import type { LockHandle } from './lock.js';
import { ReadWriteLock } from './read-write-lock.js';
import { countingWatches, flushEvents, hasSettled, RecipeHarness, type CountingView } from './recipe-test-harness.js';

let harness: RecipeHarness;

beforeEach(async () => {
  harness = await RecipeHarness.start();
});

afterEach(async () => {
  await harness.close();
});

const connectMany = (count: number) => Promise.all(Array.from({ length: count }, () => harness.connect()));

describe('read-write lock', () => {
  it('lets readers hold the lock together', async () => {
    const [a, b, c] = await connectMany(3);
    const handles = await Promise.all([a, b, c].map((client) => new ReadWriteLock(client!, '/rw/share').acquireRead(2_000)));
    expect(await a!.getChildren('/rw/share')).toHaveLength(3);
    await Promise.all(handles.map((handle) => handle.release()));
  });

  it('makes a writer wait for earlier readers, and later readers wait for the writer', async () => {
    const views = (await connectMany(3)).map(countingWatches);
    const [firstReader, writer, lateReader] = views.map(({ client }) => new ReadWriteLock(client, '/rw/order'));
    const first = await firstReader!.acquireRead();
    const writing = writer!.acquireWrite(5_000);
    await views[1]!.untilWatchesSet(1);
    const lateReading = lateReader!.acquireRead(5_000);
    await views[2]!.untilWatchesSet(1);
    expect(await hasSettled(writing)).toBe(false);
    expect(await hasSettled(lateReading)).toBe(false);

    await first.release();
    const write = await writing;
    await flushEvents(views.map(({ client }) => client));
    expect(await hasSettled(lateReading)).toBe(false);

    await write.release();
    await (await lateReading).release();
  });

  it('keeps writers exclusive under contention and loses no guarded write', async () => {
    const clients = await connectMany(4);
    await clients[0]!.create('/rw-data', '0');
    let readers = 0;
    let writers = 0;
    const violations: string[] = [];
    const check = () => {
      if (writers > 1 || (writers === 1 && readers > 0)) violations.push(`${writers} writers with ${readers} readers`);
    };
    const worker = async (client: CoordClient, index: number) => {
      const lock = new ReadWriteLock(client, '/rw/mixed');
      for (let i = 0; i < 12; i += 1) {
        const write = (i + index) % 3 === 0;
        const handle = await lock.acquire(write ? 'write' : 'read');
        if (write) writers += 1;
        else readers += 1;
        check();
        if (write) {
          const value = Number((await client.getData('/rw-data')).data.toString());
          await client.setData('/rw-data', String(value + 1));
        } else await client.getData('/rw-data');
        if (write) writers -= 1;
        else readers -= 1;
        await handle.release();
      }
    };
    await Promise.all(clients.map(worker));
    expect(violations).toEqual([]);
    expect((await clients[0]!.getData('/rw-data')).data.toString()).toBe('16');
  });

  it('has readers watch only the last write node before them, and writers the node just before', async () => {
    const views: CountingView[] = (await connectMany(5)).map(countingWatches);
    const locks = views.map(({ client }) => new ReadWriteLock(client, '/rw/watches'));
    const writer1 = await locks[0]!.acquireWrite();
    // Queue: write(0) read(1) read(2) read(3) write(4). Readers watch write(0); write(4) watches read(3).
    const readers: Array<Promise<LockHandle>> = [];
    for (const index of [1, 2, 3]) {
      readers.push(locks[index]!.acquireRead(5_000));
      await views[index]!.untilWatchesSet(1);
    }
    const writer2 = locks[4]!.acquireWrite(5_000);
    await views[4]!.untilWatchesSet(1);
    const eventsPerClient = async () => {
      await flushEvents(views.map(({ client }) => client));
      return views.map(({ events }) => events.length);
    };

    await writer1.release();
    const readHandles = await Promise.all(readers);
    expect(await eventsPerClient()).toEqual([0, 1, 1, 1, 0]);
    await readHandles[0]!.release();
    await readHandles[1]!.release();
    expect(await eventsPerClient()).toEqual([0, 1, 1, 1, 0]);
    expect(await hasSettled(writer2)).toBe(false);
    await readHandles[2]!.release();
    await (await writer2).release();
    expect(await eventsPerClient()).toEqual([0, 1, 1, 1, 1]);
  });

  it('times out a writer behind a reader with LockTimeoutError', async () => {
    const [a, b] = await connectMany(2);
    const reader = await new ReadWriteLock(a!, '/rw/timeout').acquireRead();
    await expect(new ReadWriteLock(b!, '/rw/timeout').acquireWrite(100)).rejects.toBeInstanceOf(LockTimeoutError);
    expect(await a!.getChildren('/rw/timeout')).toHaveLength(1);
    await reader.release();
  });
});
