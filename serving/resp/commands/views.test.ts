import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import { BatchViewWriter, RealtimeViewWriter } from '../../views/index.js';
import { connectIoredis, startTestServer, type TestServer } from '../test-support.js';

describe('VIEW commands', () => {
  let server: TestServer;
  let redis: Redis;
  beforeAll(async () => {
    server = await startTestServer();
    redis = await connectIoredis(server.port);
  });
  afterAll(async () => {
    redis.disconnect();
    await server.close();
  });

  const publish = async (view: string, version: number, cutOffs: Record<string, number>, values: Record<string, unknown>) => {
    const load = await new BatchViewWriter({ keyspace: server.keyspace }).begin(view, version, cutOffs);
    for (const [key, value] of Object.entries(values)) await load.put(key, value);
    await load.publish();
  };

  it('creates a view once; the same definition again is OK, another is an error', async () => {
    expect(await redis.call('VIEW.CREATE', 'words', 'sum', 'BUCKET', '10')).toBe('OK');
    expect(await redis.call('view.create', 'words', 'SUM', 'bucket', '10')).toBe('OK');
    await expect(redis.call('VIEW.CREATE', 'words', 'max', 'BUCKET', '10')).rejects.toThrow("ERR view 'words' already exists as sum with buckets of 10 offsets, not max");
    await expect(redis.call('VIEW.CREATE', 'other', 'avg')).rejects.toThrow("ERR unknown monoid 'avg'; expected one of sum, max, min, set, topn:<N> (N from 1 to 1000), hll or hll:<p> (distinct count, p from 4 to 16, default 12), user:<name> (registered with registerMonoid)");
    await expect(redis.call('VIEW.CREATE', 'bad:name', 'sum')).rejects.toThrow('ERR view name');
    await expect(redis.call('VIEW.CREATE', 'other', 'sum', 'BUCKET')).rejects.toThrow('ERR syntax error');
    await expect(redis.call('VIEW.CREATE', 'other', 'sum', 'SIZE', '5')).rejects.toThrow('ERR syntax error');
    await expect(redis.call('VIEW.CREATE', 'other', 'sum', 'BUCKET', '0')).rejects.toThrow('ERR BUCKET must be a positive number of offsets');
    await expect(redis.call('VIEW.CREATE', 'other')).rejects.toThrow("ERR wrong number of arguments for 'view.create' command");
  });

  it('answers VIEW.GET with value, batch version, offsets reflected, cut-offs and settled offsets', async () => {
    const realtime = new RealtimeViewWriter({ keyspace: server.keyspace });
    expect(await redis.call('VIEW.GET', 'words', 'the')).toEqual([0, null, [], [], []]);
    for (const offset of [3, 12, 14]) await realtime.apply('words', 'the', 1, { partition: 'poems-0', offset });
    await realtime.apply('words', 'the', 1, { partition: 'poems-1', offset: 2 });
    await realtime.apply('words', 'the', 1, { partition: 'poems-1', offset: 2 }); // a replay
    expect(await redis.call('VIEW.GET', 'words', 'the')).toEqual([4, null, ['poems-0', 14, 'poems-1', 2], [], ['poems-0', 14, 'poems-1', 2]]);
    await publish('words', 1, { 'poems-0': 9, 'poems-1': -1 }, { the: 1 });
    expect(await redis.call('VIEW.GET', 'words', 'the')).toEqual([4, 1, ['poems-0', 14, 'poems-1', 2], ['poems-0', 9, 'poems-1', -1], ['poems-0', 14, 'poems-1', 2]]);
    // A delta whose source had settled only up to offset 24: the answer reflects offset 30 but is
    // known gap-free only through 24 (a replay below 30 may still land).
    await realtime.apply('words', 'quoth', 1, { partition: 'poems-2', offset: 30, settled: 25 });
    expect(await redis.call('VIEW.GET', 'words', 'quoth')).toEqual([1, 1, ['poems-0', 9, 'poems-2', 30], ['poems-0', 9, 'poems-1', -1], ['poems-0', 9, 'poems-2', 24]]);
    await expect(redis.call('VIEW.GET', 'nope', 'the')).rejects.toThrow("ERR unknown view 'nope'; create it first with VIEW.CREATE nope <monoid>");
  });

  it('ranks keys with VIEW.TOP, and refuses views without order', async () => {
    await publish('words', 2, { 'poems-0': 19 }, { the: 3, raven: 5, nevermore: 3 });
    expect(await redis.call('VIEW.TOP', 'words', '2')).toEqual(['raven', 5, 'the', 4]);
    expect(await redis.call('VIEW.TOP', 'words', '0')).toEqual([]);
    await expect(redis.call('VIEW.TOP', 'words', '-1')).rejects.toThrow('ERR value is out of range, must be positive');
    await expect(redis.call('VIEW.TOP', 'words', 'x')).rejects.toThrow('ERR value is not an integer or out of range');
    await expect(redis.call('VIEW.TOP', 'words', '1000000')).rejects.toThrow('ERR view top count');
    await redis.call('VIEW.CREATE', 'readers', 'set');
    await expect(redis.call('VIEW.TOP', 'readers', '1')).rejects.toThrow("WRONGTYPE view 'readers' has monoid set");
  });

  it('shows set and topn values as arrays, and empty extremums as null', async () => {
    const realtime = new RealtimeViewWriter({ keyspace: server.keyspace });
    await realtime.apply('readers', 'poem', ['bob', 'ann'], { partition: 'p-0', offset: 0 });
    expect((await redis.call('VIEW.GET', 'readers', 'poem')) as unknown[]).toEqual([['ann', 'bob'], null, ['p-0', 0], [], ['p-0', 0]]);
    await redis.call('VIEW.CREATE', 'tags', 'topn:2');
    await realtime.apply('tags', 'today', ['a', 'b', 'b', 'c', 'c'], { partition: 'p-0', offset: 0 });
    expect(((await redis.call('VIEW.GET', 'tags', 'today')) as unknown[])[0]).toEqual(['b', 2, 'c', 2]);
    await redis.call('VIEW.CREATE', 'peaks', 'max');
    expect(((await redis.call('VIEW.GET', 'peaks', 'none')) as unknown[])[0]).toBeNull();
  });

  it('describes a view with VIEW.INFO', async () => {
    expect(await redis.call('VIEW.INFO', 'words')).toEqual(['monoid', 'sum', 'bucket', 10, 'version', 2, 'cutoffs', ['poems-0', 19], 'previous-version', 1, 'published-at-ms', expect.any(Number)]);
    expect(await redis.call('VIEW.INFO', 'peaks')).toEqual(['monoid', 'max', 'bucket', 1000, 'version', null, 'cutoffs', [], 'previous-version', null, 'published-at-ms', null]);
  });

  it('runs a pipeline’s VIEW.CREATE before its VIEW.GET of the same view', async () => {
    const replies = await redis.pipeline().call('VIEW.CREATE', 'fresh', 'min').call('VIEW.GET', 'fresh', 'k').exec();
    expect(replies).toEqual([[null, 'OK'], [null, [null, null, [], [], []]]]);
  });
});
