import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import type { Consistency, Entry } from '../../keyspace/keyspace.js';
import { MemoryKeyspace } from '../../keyspace/memory-keyspace.js';
import { describeWithTools, TOOLS } from '../../../test/support/tools.js';
import { connectIoredis, runTool, startTestServer, type TestServer } from '../test-support.js';

/** Records the consistency every read was asked with. */
class RecordingKeyspace extends MemoryKeyspace {
  readonly reads: Array<Consistency | undefined> = [];
  readonly compareAndSets: Array<Consistency | undefined> = [];
  override get(key: Buffer, consistency?: Consistency) {
    this.reads.push(consistency);
    return super.get(key, consistency);
  }
  override compareAndSet(key: Buffer, expected: Entry | undefined, next: Entry | undefined, consistency?: Consistency) {
    this.compareAndSets.push(consistency);
    return super.compareAndSet(key, expected, next, consistency);
  }
}

const inAnHourMs = () => Date.now() + 3_600_000;

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

  it('lists siblings with their expiries with BARISTA.GETALL key WITHEXPIRY, and reads one entry whole with BARISTA.GETENTRY', async () => {
    const expiresAtMs = inAnHourMs();
    keyspace.injectSiblings(Buffer.from('pair'), [{ value: Buffer.from('left'), expiresAtMs }, { value: Buffer.from('right') }]);
    expect(await redis.call('BARISTA.GETALL', 'pair', 'withexpiry')).toEqual([['left', expiresAtMs], ['right', null]]);
    expect(await redis.call('BARISTA.GETENTRY', 'pair')).toEqual(['right', null]);
    await redis.set('timed', 'v', 'PXAT', expiresAtMs);
    expect(await redis.call('BARISTA.GETENTRY', 'timed')).toEqual(['v', expiresAtMs]);
    expect(await redis.call('BARISTA.GETENTRY', 'missing')).toBeNull();
    await expect(redis.call('BARISTA.GETALL', 'pair', 'WITHTTL')).rejects.toThrow('ERR syntax error');
  });

  describe('BARISTA.CAS', () => {
    it('writes from absent with NX and refuses NX on an existing key, replying the current entry', async () => {
      expect(await redis.call('BARISTA.CAS', 'cas:nx', 'NX', 'SET', 'first')).toBe(1);
      expect(await redis.call('BARISTA.CAS', 'cas:nx', 'NX', 'SET', 'second')).toEqual([0, 'first', null]);
      expect(await redis.get('cas:nx')).toBe('first');
    });

    it('compares value and expiry together, and sets, changes or removes the expiry', async () => {
      const expiresAtMs = inAnHourMs();
      await redis.set('cas:eq', 'v1');
      expect(await redis.call('BARISTA.CAS', 'cas:eq', 'EQ', 'v1', 'PXAT', expiresAtMs, 'SET', 'v2')).toEqual([0, 'v1', null]);
      expect(await redis.call('BARISTA.CAS', 'cas:eq', 'EQ', 'v0', 'SET', 'v2')).toEqual([0, 'v1', null]);
      expect(await redis.call('BARISTA.CAS', 'cas:eq', 'EQ', 'v1', 'SET', 'v2', 'PXAT', expiresAtMs)).toBe(1);
      expect(await redis.call('BARISTA.GETENTRY', 'cas:eq')).toEqual(['v2', expiresAtMs]);
      expect(await redis.call('BARISTA.CAS', 'cas:eq', 'EQ', 'v2', 'SET', 'v3')).toEqual([0, 'v2', expiresAtMs]);
      expect(await redis.call('BARISTA.CAS', 'cas:eq', 'eq', 'v2', 'pxat', expiresAtMs, 'set', 'v3')).toBe(1);
      expect(await redis.call('BARISTA.GETENTRY', 'cas:eq')).toEqual(['v3', null]);
    });

    it('deletes with DEL, and confirms absent with NX DEL', async () => {
      await redis.set('cas:del', 'gone soon');
      expect(await redis.call('BARISTA.CAS', 'cas:del', 'NX', 'DEL')).toEqual([0, 'gone soon', null]);
      expect(await redis.call('BARISTA.CAS', 'cas:del', 'EQ', 'gone soon', 'DEL')).toBe(1);
      expect(await redis.exists('cas:del')).toBe(0);
      expect(await redis.call('BARISTA.CAS', 'cas:del', 'NX', 'DEL')).toBe(1);
    });

    it('keeps binary values byte for byte', async () => {
      const value = Buffer.from([0, 255, 13, 10]);
      expect(await redis.call('BARISTA.CAS', 'cas:bin', 'NX', 'SET', value)).toBe(1);
      expect(await redis.callBuffer('BARISTA.CAS', 'cas:bin', 'NX', 'DEL')).toEqual([0, value, null]);
    });

    it('runs with the connection’s consistency', async () => {
      await redis.call('BARISTA.CONSISTENCY', 'W', '2');
      await redis.call('BARISTA.CAS', 'cas:quorum', 'NX', 'SET', 'v');
      await redis.call('BARISTA.CONSISTENCY', 'DEFAULT');
      expect(keyspace.compareAndSets.at(-1)).toEqual({ w: 2 });
    });

    it('answers malformed conditions, actions and expiries with an ERR that shows the syntax, and keeps serving', async () => {
      await expect(redis.call('BARISTA.CAS', 'k', 'NX')).rejects.toThrow("ERR wrong number of arguments for 'barista.cas' command");
      await expect(redis.call('BARISTA.CAS', 'k', 'IF', 'v', 'DEL')).rejects.toThrow('ERR syntax error: the condition must be NX or EQ; usage: BARISTA.CAS key (NX | EQ value [PXAT ms]) (SET value [PXAT ms] | DEL)');
      await expect(redis.call('BARISTA.CAS', 'k', 'NX', 'PUT', 'v')).rejects.toThrow('ERR syntax error: the action must be SET or DEL');
      await expect(redis.call('BARISTA.CAS', 'k', 'EQ', 'v', 'DEL', 'extra')).rejects.toThrow('ERR syntax error: unexpected arguments after the action');
      await expect(redis.call('BARISTA.CAS', 'k', 'NX', 'SET')).rejects.toThrow('ERR syntax error: BARISTA.CAS expects a value after EQ and SET');
      await expect(redis.call('BARISTA.CAS', 'k', 'NX', 'SET', 'v', 'PXAT')).rejects.toThrow('ERR syntax error: PXAT needs a Unix time in milliseconds');
      await expect(redis.call('BARISTA.CAS', 'k', 'NX', 'SET', 'v', 'PXAT', '0')).rejects.toThrow("ERR invalid expire time in 'barista.cas' command");
      await expect(redis.call('BARISTA.CAS', 'k', 'EQ', 'v', 'PXAT', 'soon', 'DEL')).rejects.toThrow("ERR invalid expire time in 'barista.cas' command");
      expect(await redis.exists('k')).toBe(0);
    });

    it('describes itself in COMMAND INFO: arity -4, a write command whose first argument is the key', async () => {
      const [info] = (await redis.call('COMMAND', 'INFO', 'barista.cas')) as unknown[][];
      expect(info?.slice(0, 6)).toEqual(['barista.cas', -4, ['write', 'denyoom'], 1, 1, 1]);
    });
  });
});

describeWithTools([TOOLS.redisCli], 'BARISTA.CAS from redis-cli', () => {
  let server: TestServer;
  const cli = (...args: string[]) => runTool('redis-cli', ['-h', '127.0.0.1', '-p', String(server.port), ...args]);
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server.close());

  it('prints 1 for a write and the refusal with the current entry', async () => {
    expect((await cli('BARISTA.CAS', 'poem', 'NX', 'SET', 'raven')).stdout).toBe('1\n');
    expect((await cli('BARISTA.CAS', 'poem', 'NX', 'SET', 'lenore')).stdout).toBe('0\nraven\n\n');
    expect((await cli('BARISTA.CAS', 'poem', 'EQ', 'raven', 'SET', 'lenore', 'PXAT', '4102444800000')).stdout).toBe('1\n');
    expect((await cli('BARISTA.GETENTRY', 'poem')).stdout).toBe('lenore\n4102444800000\n');
    expect((await cli('BARISTA.CAS', 'poem', 'EQ', 'raven', 'DEL')).stdout).toBe('0\nlenore\n4102444800000\n');
  });

  it('prints the syntax error', async () => {
    expect((await cli('BARISTA.CAS', 'poem', 'MAYBE', 'DEL')).stdout).toMatch(/^ERR syntax error: the condition must be NX or EQ/);
  });
});
