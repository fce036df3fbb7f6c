/**
 * The Keyspace contract through RespKeyspace, against an in-process Barista RESP server (whose
 * keyspace runs on the contract's clock) and against a real redis-server (whose clock is real).
 */
import { afterAll, beforeAll, expect } from '@jest/globals';
import { Redis } from 'ioredis';
import { describeKeyspaceContract, type ContractClock } from '../keyspace/keyspace-contract.js';
import { startTestServer } from '../resp/test-support.js';
import { startRedisServer, type RunningRedis } from '../../test/support/redis.js';
import { describeWithTools, TOOLS } from '../../test/support/tools.js';
import { RespKeyspace } from './resp-keyspace.js';
import { RealClockKeyspace } from './test-support.js';

describeKeyspaceContract('RespKeyspace → Barista RESP server', async (clock) => {
  const server = await startTestServer({ nowMs: clock.nowMs });
  const keyspace = await RespKeyspace.connect({ port: server.port });
  expect(keyspace.server).toBe('barista');
  return { keyspace, close: async () => (await keyspace.close(), await server.close()) };
});

describeWithTools([TOOLS.redisServer], 'RespKeyspace on a real redis-server', () => {
  let redis: RunningRedis;
  let admin: Redis;
  beforeAll(async () => {
    redis = await startRedisServer();
    admin = new Redis({ port: redis.port, lazyConnect: true });
    await admin.connect();
  });
  afterAll(async () => {
    admin.disconnect();
    await redis.stop();
  });

  describeKeyspaceContract('RespKeyspace → redis-server', async (clock: ContractClock) => {
    await admin.flushall();
    const keyspace = await RespKeyspace.connect({ url: `redis://127.0.0.1:${redis.port}` });
    expect(keyspace.server).toBe('redis');
    return { keyspace: new RealClockKeyspace(keyspace, clock), close: () => keyspace.close() };
  });
});
