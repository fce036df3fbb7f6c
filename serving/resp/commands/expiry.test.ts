import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import { connectIoredis, manualClock, startTestServer, type TestServer } from '../test-support.js';

describe('expiry commands', () => {
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

  it('reports -2 for a missing key, -1 for a key without TTL, else the TTL rounded like Redis', async () => {
    await redis.set('plain', 'v');
    await redis.set('timed', 'v', 'PX', 10_499);
    expect(await redis.ttl('missing')).toBe(-2);
    expect(await redis.pttl('plain')).toBe(-1);
    expect(await redis.ttl('timed')).toBe(10);
    clock.advance(1);
    expect(await redis.ttl('timed')).toBe(10);
    expect(await redis.pttl('timed')).toBe(10_498);
    expect(await redis.call('PEXPIRETIME', 'timed')).toBe(clock.nowMs() + 10_498);
    expect(await redis.call('EXPIRETIME', 'plain')).toBe(-1);
  });

  it('sets relative and absolute expiries, and 0 for a missing key', async () => {
    await redis.set('k', 'v');
    expect(await redis.expire('missing', 10)).toBe(0);
    expect(await redis.expire('k', 10)).toBe(1);
    expect(await redis.pttl('k')).toBe(10_000);
    expect(await redis.pexpire('k', 500)).toBe(1);
    expect(await redis.pttl('k')).toBe(500);
    expect(await redis.expireat('k', Math.floor(clock.nowMs() / 1000) + 100)).toBe(1);
    expect(await redis.pexpireat('k', clock.nowMs() + 7)).toBe(1);
    expect(await redis.pttl('k')).toBe(7);
    clock.advance(7);
    expect(await redis.exists('k')).toBe(0);
  });

  it('deletes the key when the expiry is already past, answering 1', async () => {
    await redis.set('k', 'v');
    expect(await redis.expire('k', -1)).toBe(1);
    expect(await redis.exists('k')).toBe(0);
    await redis.set('k', 'v');
    expect(await redis.pexpireat('k', 1)).toBe(1);
    expect(await redis.get('k')).toBeNull();
  });

  it('honours NX, XX, GT and LT, treating no TTL as infinite', async () => {
    await redis.set('k', 'v');
    expect(await redis.call('EXPIRE', 'k', '100', 'XX')).toBe(0);
    expect(await redis.call('EXPIRE', 'k', '100', 'GT')).toBe(0);
    expect(await redis.call('EXPIRE', 'k', '100', 'NX')).toBe(1);
    expect(await redis.call('EXPIRE', 'k', '50', 'NX')).toBe(0);
    expect(await redis.call('EXPIRE', 'k', '50', 'GT')).toBe(0);
    expect(await redis.call('EXPIRE', 'k', '200', 'gt')).toBe(1);
    expect(await redis.call('EXPIRE', 'k', '300', 'LT')).toBe(0);
    expect(await redis.call('EXPIRE', 'k', '20', 'LT', 'XX')).toBe(1);
    expect(await redis.ttl('k')).toBe(20);
    await redis.set('p', 'v');
    expect(await redis.call('EXPIRE', 'p', '20', 'LT')).toBe(1);
  });

  it('refuses incompatible or unknown flags and overflowing times with Redis errors', async () => {
    await expect(redis.call('EXPIRE', 'k', '10', 'NX', 'XX')).rejects.toThrow('ERR NX and XX, GT or LT options at the same time are not compatible');
    await expect(redis.call('EXPIRE', 'k', '10', 'GT', 'LT')).rejects.toThrow('ERR GT and LT options at the same time are not compatible');
    await expect(redis.call('EXPIRE', 'k', '10', 'SOON')).rejects.toThrow('ERR Unsupported option SOON');
    await expect(redis.call('EXPIRE', 'k', 'ten')).rejects.toThrow('ERR value is not an integer or out of range');
    await expect(redis.call('EXPIRE', 'k', '9223372036854775807')).rejects.toThrow("ERR invalid expire time in 'expire' command");
    await expect(redis.call('PEXPIRE', 'k', '9223372036854775807')).rejects.toThrow("ERR invalid expire time in 'pexpire' command");
  });

  it('removes a TTL with PERSIST, answering 0 when there was none', async () => {
    await redis.set('k', 'v', 'EX', 10);
    expect(await redis.persist('k')).toBe(1);
    expect(await redis.ttl('k')).toBe(-1);
    expect(await redis.persist('k')).toBe(0);
    expect(await redis.persist('missing')).toBe(0);
  });
});
