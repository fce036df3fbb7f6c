import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import type { Consistency } from '../../keyspace/keyspace.js';
import { MemoryKeyspace } from '../../keyspace/memory-keyspace.js';
import { connectIoredis, startTestServer, type TestServer } from '../test-support.js';

/** Records the consistency every read was asked with. */
class RecordingKeyspace extends MemoryKeyspace {
  readonly reads: Array<Consistency | undefined> = [];
  override get(key: Buffer, consistency?: Consistency) {
    this.reads.push(consistency);
    return super.get(key, consistency);
  }
}

describe('Barista commands', () => {
  const keyspace = new RecordingKeyspace();
  let server: TestServer;
  let redis: Redis;
  beforeAll(async () => {
    server = await startTestServer({ keyspace });
    redis = await connectIoredis(server.port);
  });
  afterAll(async () => {
    redis.disconnect();
    await server.close();
  });

  it('passes the connection’s consistency to the keyspace with every later command, until DEFAULT', async () => {
    await redis.get('k');
    expect(await redis.call('BARISTA.CONSISTENCY', 'R', '1', 'W', '3', 'N', '3')).toBe('OK');
    await redis.get('k');
    expect(await redis.call('barista.consistency')).toEqual(['r', 1, 'w', 3, 'n', 3]);
    expect(await redis.call('BARISTA.CONSISTENCY', 'DEFAULT')).toBe('OK');
    await redis.get('k');
    expect(keyspace.reads.slice(-3)).toEqual([undefined, { r: 1, w: 3, n: 3 }, undefined]);
  });

  it('keeps the consistency per connection', async () => {
    const other = await connectIoredis(server.port);
    await other.call('BARISTA.CONSISTENCY', 'R', '3');
    expect(await redis.call('BARISTA.CONSISTENCY')).toEqual(['r', null, 'w', null, 'n', null]);
    expect(await other.call('BARISTA.CONSISTENCY')).toEqual(['r', 3, 'w', null, 'n', null]);
    other.disconnect();
  });

  it('refuses malformed or impossible quorums', async () => {
    await expect(redis.call('BARISTA.CONSISTENCY', 'R')).rejects.toThrow('ERR syntax error');
    await expect(redis.call('BARISTA.CONSISTENCY', 'X', '1')).rejects.toThrow('ERR syntax error');
    await expect(redis.call('BARISTA.CONSISTENCY', 'R', '0')).rejects.toThrow('ERR R must be an integer from 1 to 16');
    await expect(redis.call('BARISTA.CONSISTENCY', 'W', '4', 'N', '3')).rejects.toThrow('ERR R and W cannot exceed N');
  });

  it('lists every concurrent sibling with BARISTA.GETALL, where GET shows one', async () => {
    keyspace.injectSiblings(Buffer.from('conflict'), [{ value: Buffer.from('left') }, { value: Buffer.from('right') }]);
    expect(await redis.get('conflict')).toBe('right');
    expect(await redis.call('BARISTA.GETALL', 'conflict')).toEqual(['left', 'right']);
    expect(await redis.call('BARISTA.GETALL', 'missing')).toEqual([]);
    await redis.set('conflict', 'resolved');
    expect(await redis.call('BARISTA.GETALL', 'conflict')).toEqual(['resolved']);
  });
});
