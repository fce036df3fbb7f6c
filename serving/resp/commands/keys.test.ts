import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import { connectIoredis, startTestServer, type TestServer } from '../test-support.js';

describe('keyspace commands', () => {
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
  beforeEach(async () => {
    await redis.flushall();
  });

  it('deletes keys and counts those that existed, each once', async () => {
    await redis.mset('a', '1', 'b', '2');
    expect(await redis.del('a', 'a', 'b', 'c')).toBe(2);
    expect(await redis.exists('a', 'b')).toBe(0);
  });

  it('counts existing keys, repeats included, like Redis', async () => {
    await redis.set('a', '1');
    expect(await redis.exists('a', 'a', 'missing')).toBe(2);
  });

  it('scans every key once with cursors ending at 0, filtering with MATCH and TYPE', async () => {
    const names = Array.from({ length: 120 }, (_, i) => (i % 2 === 0 ? `user:${i}` : `item:${i}`));
    await redis.mset(...names.flatMap((name) => [name, 'v']));
    const seen: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', 'user:*', 'COUNT', 7);
      seen.push(...keys);
      cursor = next;
    } while (cursor !== '0');
    expect(seen.sort()).toEqual(names.filter((name) => name.startsWith('user:')).sort());
    const [, strings] = await redis.scan('0', 'COUNT', 1000, 'TYPE', 'string');
    expect(strings).toHaveLength(120);
    const [, lists] = await redis.scan('0', 'COUNT', 1000, 'TYPE', 'list');
    expect(lists).toEqual([]);
  });

  it('streams all keys through ioredis scanStream', async () => {
    await redis.mset(...Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v']).flat());
    const keys: string[] = [];
    for await (const batch of redis.scanStream({ count: 9 })) keys.push(...(batch as string[]));
    expect(new Set(keys).size).toBe(50);
  });

  it('refuses bad cursors and options with Redis errors', async () => {
    await expect(redis.call('SCAN', 'abc')).rejects.toThrow('ERR invalid cursor');
    await expect(redis.call('SCAN', '0', 'COUNT', '0')).rejects.toThrow('ERR syntax error');
    await expect(redis.call('SCAN', '0', 'COUNT')).rejects.toThrow('ERR syntax error');
    await expect(redis.call('SCAN', '0', 'LIMIT', '5')).rejects.toThrow('ERR syntax error');
  });

  it('counts keys with DBSIZE and removes them all with FLUSHALL', async () => {
    await redis.mset('a', '1', 'b', '2', 'c', '3');
    expect(await redis.dbsize()).toBe(3);
    expect(await redis.call('FLUSHALL', 'ASYNC')).toBe('OK');
    expect(await redis.dbsize()).toBe(0);
    await expect(redis.call('FLUSHALL', 'NOW')).rejects.toThrow('ERR syntax error');
  });
});
