import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import { connectIoredis, manualClock, startTestServer, type TestServer } from '../test-support.js';

describe('string commands', () => {
  const clock = manualClock(1_700_000_000_000);
  let server: TestServer;
  let redis: Redis;
  beforeAll(async () => {
    server = await startTestServer({ nowMs: clock.nowMs });
    redis = await connectIoredis(server.port);
  });
  afterAll(async () => {
    redis.disconnect();
    await server.close();
  });
  beforeEach(async () => {
    await redis.flushall();
  });

  it('sets and gets binary values', async () => {
    const value = Buffer.from([0, 1, 2, 13, 10, 255]);
    expect(await redis.set('k', value)).toBe('OK');
    expect(await redis.getBuffer('k')).toEqual(value);
    expect(await redis.get('missing')).toBeNull();
  });

  it('sets only if absent with NX and only if present with XX', async () => {
    expect(await redis.set('k', 'a', 'NX')).toBe('OK');
    expect(await redis.set('k', 'b', 'NX')).toBeNull();
    expect(await redis.set('other', 'b', 'XX')).toBeNull();
    expect(await redis.set('k', 'c', 'XX')).toBe('OK');
    expect(await redis.get('k')).toBe('c');
    expect(await redis.exists('other')).toBe(0);
  });

  it('returns the old value with GET, even when NX refuses the write', async () => {
    expect(await redis.set('k', 'a', 'GET')).toBeNull();
    expect(await redis.set('k', 'b', 'GET')).toBe('a');
    expect(await redis.call('SET', 'k', 'c', 'NX', 'GET')).toBe('b');
    expect(await redis.get('k')).toBe('b');
  });

  it('expires with EX, PX, EXAT and PXAT, and keeps the TTL with KEEPTTL', async () => {
    await redis.set('ex', 'v', 'EX', 10);
    await redis.set('px', 'v', 'PX', 1_500);
    await redis.call('SET', 'exat', 'v', 'EXAT', String(Math.floor(clock.nowMs() / 1000) + 20));
    await redis.call('SET', 'pxat', 'v', 'PXAT', String(clock.nowMs() + 2_500));
    expect(await redis.pttl('ex')).toBe(10_000);
    expect(await redis.pttl('px')).toBe(1_500);
    expect(await redis.ttl('pxat')).toBe(3);
    await redis.set('ex', 'w', 'KEEPTTL');
    expect(await redis.pttl('ex')).toBe(10_000);
    await redis.set('ex', 'x');
    expect(await redis.ttl('ex')).toBe(-1);
    clock.advance(1_500);
    expect(await redis.get('px')).toBeNull();
    expect(await redis.get('pxat')).toBe('v');
  });

  it('refuses conflicting or malformed options with Redis errors', async () => {
    await expect(redis.call('SET', 'k', 'v', 'NX', 'XX')).rejects.toThrow('ERR syntax error');
    await expect(redis.call('SET', 'k', 'v', 'EX', '10', 'PX', '10')).rejects.toThrow('ERR syntax error');
    await expect(redis.call('SET', 'k', 'v', 'KEEPTTL', 'EX', '10')).rejects.toThrow('ERR syntax error');
    await expect(redis.call('SET', 'k', 'v', 'EX')).rejects.toThrow('ERR syntax error');
    await expect(redis.call('SET', 'k', 'v', 'EX', 'soon')).rejects.toThrow('ERR value is not an integer or out of range');
    await expect(redis.call('SET', 'k', 'v', 'EX', '0')).rejects.toThrow("ERR invalid expire time in 'set' command");
    await expect(redis.call('SET', 'k', 'v', 'EX', '9223372036854775807')).rejects.toThrow("ERR invalid expire time in 'set' command");
    expect(await redis.call('SET', 'k', 'v', 'EX', '5', 'EX', '7')).toBe('OK');
    expect(await redis.ttl('k')).toBe(7);
  });

  it('gets and sets many keys at once', async () => {
    expect(await redis.mset('a', '1', 'b', '2', 'a', '3')).toBe('OK');
    expect(await redis.mget('a', 'b', 'c')).toEqual(['3', '2', null]);
    await expect(redis.call('MSET', 'a', '1', 'b')).rejects.toThrow("ERR wrong number of arguments for 'mset' command");
  });

  it('counts with INCR, DECR, INCRBY and DECRBY, keeping the TTL', async () => {
    expect(await redis.incr('n')).toBe(1);
    expect(await redis.incrby('n', 41)).toBe(42);
    expect(await redis.decr('n')).toBe(41);
    expect(await redis.decrby('n', -9)).toBe(50);
    await redis.expire('n', 100);
    expect(await redis.incr('n')).toBe(51);
    expect(await redis.ttl('n')).toBe(100);
    expect(await redis.get('n')).toBe('51');
  });

  it('refuses counters that are not integers or would overflow, with Redis errors', async () => {
    await redis.set('s', 'abc');
    await redis.set('z', '010');
    await redis.set('max', '9223372036854775807');
    await expect(redis.incr('s')).rejects.toThrow('ERR value is not an integer or out of range');
    await expect(redis.incr('z')).rejects.toThrow('ERR value is not an integer or out of range');
    await expect(redis.incrby('n', 'x' as unknown as number)).rejects.toThrow('ERR value is not an integer or out of range');
    await expect(redis.incr('max')).rejects.toThrow('ERR increment or decrement would overflow');
    await expect(redis.call('DECRBY', 'n', '-9223372036854775808')).rejects.toThrow('ERR decrement would overflow');
    expect(await redis.get('max')).toBe('9223372036854775807');
    await redis.call('INCRBY', 'min', '-9223372036854775808');
    expect(await redis.get('min')).toBe('-9223372036854775808');
  });

  it('answers a pipeline in order', async () => {
    const pipeline = redis.pipeline();
    for (let i = 0; i < 200; i += 1) pipeline.incr('counter').set(`k${i}`, String(i)).get(`k${i}`);
    const results = (await pipeline.exec())!;
    expect(results.every(([error]) => error === null)).toBe(true);
    expect(results.filter((_, i) => i % 3 === 0).map(([, value]) => value)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(results.filter((_, i) => i % 3 === 2).map(([, value]) => value)).toEqual(Array.from({ length: 200 }, (_, i) => String(i)));
  });
});
