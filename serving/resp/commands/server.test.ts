import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import { RawClient, command, connectIoredis, startTestServer, type TestServer } from '../test-support.js';

describe('server commands', () => {
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

  it('reports INFO sections in Redis’s format, all by default, one when asked', async () => {
    await redis.set('k', 'v');
    const all = await redis.info();
    expect(all).toMatch(/^# Server\r\nredis_version:7\.0\.15\r\n/);
    expect(all).toMatch(/\r\n\r\n# Clients\r\nconnected_clients:\d+\r\n/);
    expect(all).toContain('loading:0\r\n');
    expect(all).toContain(`tcp_port:${server.port}\r\n`);
    expect(await redis.info('keyspace')).toBe('# Keyspace\r\ndb0:keys=1,expires=0,avg_ttl=0\r\n');
    expect(await redis.info('nosuchsection')).toBe('');
  });

  it('counts, lists and describes its commands', async () => {
    const count = (await redis.call('COMMAND', 'COUNT')) as number;
    expect(count).toBeGreaterThan(30);
    expect(await redis.call('COMMAND', 'LIST')).toHaveLength(count);
    const [get, nothing] = (await redis.call('COMMAND', 'INFO', 'get', 'nosuch')) as unknown[];
    expect(get).toEqual(['get', 2, ['readonly', 'fast'], 1, 1, 1, ['@string', '@read', '@fast'], [], [], []]);
    expect(nothing).toBeNull();
    expect(await redis.call('COMMAND', 'DOCS')).toEqual([]);
    await expect(redis.call('COMMAND', 'BOGUS')).rejects.toThrow("ERR unknown subcommand 'BOGUS'. Try COMMAND HELP.");
  });

  it('reports the settings redis-benchmark asks for through CONFIG GET, with globs', async () => {
    expect(await redis.call('CONFIG', 'GET', 'save')).toEqual(['save', '']);
    expect(await redis.call('CONFIG', 'GET', 'APPEND*')).toEqual(['appendonly', 'no']);
    expect(await redis.call('CONFIG', 'GET', 'nosuch')).toEqual([]);
  });

  it('answers unknown commands with Redis 7’s text, echoing at most 128 characters of arguments', async () => {
    const client = await RawClient.connect(server.port);
    client.send(Buffer.concat([command('foo', 'a', 'b'), command('foo'), command('BAR', 'x'.repeat(200), 'y'), command('foo', 'line\r\nbreak')]));
    expect((await client.replies(4)).map(String)).toEqual([
      "-ERR unknown command 'foo', with args beginning with: 'a' 'b' \r\n",
      "-ERR unknown command 'foo', with args beginning with: \r\n",
      `-ERR unknown command 'BAR', with args beginning with: '${'x'.repeat(128)}' \r\n`,
      "-ERR unknown command 'foo', with args beginning with: 'line  break' \r\n",
    ]);
    client.close();
  });
});
