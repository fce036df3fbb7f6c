import { afterEach, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import net from 'node:net';
import { KeyspaceFullError, KeyspaceUnavailableError } from '../keyspace/errors.js';
import type { CompareAndSetResult, Consistency, Entry } from '../keyspace/keyspace.js';
import { MemoryKeyspace } from '../keyspace/memory-keyspace.js';
import { MAX_COMPARE_AND_SET_ATTEMPTS } from './limits.js';
import { RawClient, command, connectIoredis, startTestServer, type TestServer } from './test-support.js';

/** Reads of keys starting with "slow" wait for `release()`; every finished read is logged. */
class SlowKeyspace extends MemoryKeyspace {
  readonly started: string[] = [];
  readonly finished: string[] = [];
  private open: () => void = () => undefined;
  private readonly gate = new Promise<void>((resolve) => (this.open = resolve));
  release(): void {
    this.open();
  }
  override async get(key: Buffer, consistency?: Consistency): Promise<Entry | undefined> {
    this.started.push(key.toString());
    if (key.toString().startsWith('slow')) await this.gate;
    const entry = await super.get(key, consistency);
    this.finished.push(key.toString());
    return entry;
  }
}

const until = async (condition: () => boolean, timeoutMs = 5_000) => {
  for (const deadline = Date.now() + timeoutMs; !condition(); await new Promise((r) => setTimeout(r, 10))) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
  }
};

describe('RESP server', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('answers pipelined commands in order while executing them concurrently, in order per key', async () => {
    const keyspace = new SlowKeyspace();
    server = await startTestServer({ keyspace });
    const client = await RawClient.connect(server.port);
    client.send(Buffer.concat([command('GET', 'slow'), command('GET', 'fast'), command('SET', 'slow', 'x'), command('GET', 'slow'), command('PING')]));
    await until(() => keyspace.finished.includes('fast'));
    expect(keyspace.finished).toEqual(['fast']);
    keyspace.release();
    expect((await client.replies(5)).map(String)).toEqual(['$-1\r\n', '$-1\r\n', '+OK\r\n', '$1\r\nx\r\n', '+PONG\r\n']);
    client.close();
  });

  it('answers a protocol error after the replies before it, closes that connection, and keeps serving others', async () => {
    server = await startTestServer();
    const redis = await connectIoredis(server.port);
    const bad = await RawClient.connect(server.port);
    bad.send('PING\r\n*1\r\n$99999999999\r\n');
    expect(await bad.untilClosed()).toBe('+PONG\r\n-ERR Protocol error: invalid bulk length\r\n');
    expect(await redis.ping()).toBe('PONG');
    redis.disconnect();
  });

  it('serves inline commands as telnet sends them', async () => {
    server = await startTestServer();
    const client = await RawClient.connect(server.port);
    client.send('SET greeting "hello world"\r\nGET greeting\nINCR n\r\n');
    expect((await client.replies(3)).map(String)).toEqual(['+OK\r\n', '$11\r\nhello world\r\n', ':1\r\n']);
    client.close();
  });

  it('stays up under random bytes, and every garbage connection goes away', async () => {
    server = await startTestServer({ maxQueryBufferBytes: 1 << 20 });
    const redis = await connectIoredis(server.port);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.uint8Array({ minLength: 1, maxLength: 500 }), { minLength: 1, maxLength: 4 }), async (chunks) => {
        const socket = net.connect({ port: server!.port, host: '127.0.0.1' });
        socket.on('error', () => undefined);
        socket.on('data', () => undefined);
        await new Promise((resolve) => socket.once('connect', resolve));
        for (const chunk of chunks) socket.write(chunk);
        expect(await redis.echo('alive?')).toBe('alive?');
        socket.destroy();
      }),
      { numRuns: 100 },
    );
    redis.disconnect();
    await until(() => server!.server.connectionCount === 0);
  });

  it('refuses clients beyond maxClients with Redis’s error', async () => {
    server = await startTestServer({ maxClients: 1 });
    const first = await RawClient.connect(server.port);
    first.send(command('PING'));
    await first.reply();
    const second = await RawClient.connect(server.port);
    expect(await second.untilClosed()).toBe('-ERR max number of clients reached\r\n');
    first.close();
  });

  it('stops reading from a client that does not read its replies, then catches up when it does', async () => {
    const keyspace = new SlowKeyspace();
    server = await startTestServer({ keyspace, maxInFlightPerConnection: 8 });
    await keyspace.set(Buffer.from('big'), { value: Buffer.alloc(1 << 20, 'v') });
    const socket = net.connect({ port: server.port, host: '127.0.0.1' });
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.pause();
    const requests = 300;
    socket.write(Buffer.concat(Array.from({ length: requests }, () => command('GET', 'big'))));
    await until(() => keyspace.finished.length > 0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const readWhilePaused = keyspace.finished.length;
    expect(readWhilePaused).toBeLessThan(requests / 2);
    let received = 0;
    const expected = requests * ((1 << 20) + '$1048576\r\n\r\n'.length);
    await new Promise<void>((resolve) => {
      socket.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received >= expected) resolve();
      });
      socket.resume();
    });
    expect(keyspace.finished.length).toBe(requests);
    socket.destroy();
  });

  it('drops a client whose queued replies exceed the output buffer limit', async () => {
    server = await startTestServer({ maxOutputBufferBytes: 4 << 20 });
    await server.keyspace.set(Buffer.from('big'), { value: Buffer.alloc(1 << 20, 'v') });
    const redis = await connectIoredis(server.port);
    const socket = net.connect({ port: server.port, host: '127.0.0.1' });
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.pause();
    const closed = new Promise((resolve) => socket.once('close', resolve));
    socket.write(Buffer.concat(Array.from({ length: 64 }, () => command('GET', 'big'))));
    await until(() => server!.server.connectionCount === 1);
    socket.resume();
    await closed;
    expect(await redis.ping()).toBe('PONG');
    redis.disconnect();
  });

  it('closes, without a reply, a client whose unfinished command exceeds the query buffer limit', async () => {
    server = await startTestServer({ maxQueryBufferBytes: 1 << 20 });
    const client = await RawClient.connect(server.port);
    client.send('*2\r\n$3\r\nGET\r\n$4000000\r\n');
    client.send(Buffer.alloc(2 << 20));
    expect(await client.untilClosed()).toBe('');
  });

  it('drops a connection that speaks HTTP, as Redis does', async () => {
    server = await startTestServer();
    const client = await RawClient.connect(server.port);
    client.send('POST / HTTP/1.1\r\nHost: localhost\r\n\r\n');
    expect(await client.untilClosed()).toBe('');
  });

  it('answers everything a client sent before half-closing, then closes', async () => {
    server = await startTestServer();
    const socket = net.connect({ port: server.port, host: '127.0.0.1' });
    const received: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.end(Buffer.concat([command('SET', 'k', 'v'), command('GET', 'k')]));
    await new Promise((resolve) => socket.once('close', resolve));
    expect(Buffer.concat(received).toString()).toBe('+OK\r\n$1\r\nv\r\n');
  });

  it('finishes the commands in flight on close(), then refuses new connections', async () => {
    const keyspace = new SlowKeyspace();
    server = await startTestServer({ keyspace });
    const client = await RawClient.connect(server.port);
    client.send(command('GET', 'slow'));
    await until(() => keyspace.started.includes('slow'));
    const closing = server.close();
    keyspace.release();
    expect(await client.untilClosed()).toBe('$-1\r\n');
    await closing;
    await expect(RawClient.connect(server.port)).rejects.toThrow();
    server = undefined;
  });

  it('gives up a read-modify-write after a bounded number of lost compare-and-sets', async () => {
    let attempts = 0;
    class ContendedKeyspace extends MemoryKeyspace {
      override async compareAndSet(_key: Buffer, _expected: Entry | undefined): Promise<CompareAndSetResult> {
        attempts += 1;
        return { written: false, current: { value: Buffer.from(String(attempts)) } };
      }
    }
    server = await startTestServer({ keyspace: new ContendedKeyspace() });
    const redis = await connectIoredis(server.port);
    await expect(redis.incr('hot')).rejects.toThrow(/^ERR too much contention on the key: compare-and-set failed 16 times/);
    expect(attempts).toBe(MAX_COMPARE_AND_SET_ATTEMPTS);
    expect(await redis.ping()).toBe('PONG');
    redis.disconnect();
  });

  it('maps keyspace failures onto Redis errors and keeps the connection', async () => {
    class FailingKeyspace extends MemoryKeyspace {
      override async set(key: Buffer): Promise<void> {
        if (key.toString() === 'full') throw new KeyspaceFullError(10, 10);
        if (key.toString() === 'down') throw new KeyspaceUnavailableError('write', 2, 1);
        throw new TypeError('a bug');
      }
    }
    server = await startTestServer({ keyspace: new FailingKeyspace() });
    const client = await RawClient.connect(server.port);
    client.send(Buffer.concat([command('SET', 'full', 'v'), command('SET', 'down', 'v'), command('SET', 'other', 'v'), command('PING')]));
    const [full, down, bug, pong] = (await client.replies(4)).map(String);
    expect(full).toBe("-OOM command not allowed when used memory > 'maxmemory'.\r\n");
    expect(down).toMatch(/^-NOREPLICAS write needs 2 replicas but 1 answered/);
    expect(bug).toBe("-ERR internal error in 'set': a bug\r\n");
    expect(pong).toBe('+PONG\r\n');
    client.close();
  });
});
