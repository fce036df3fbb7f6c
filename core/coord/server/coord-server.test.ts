import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import net from 'node:net';
import fc from 'fast-check';
import { CoordClient } from '../client/coord-client.js';
import type { ZooKeeperError } from '../client/errors.js';
import { LocalReplica } from '../replication/local-replica.js';
import { CreateMode, ErrorCode, EventType, OpCode } from '../zookeeper-constants.js';
import { CoordServer } from './coord-server.js';
import { JuteWriter } from './jute/writer.js';
import { FrameDecoder } from '../../net/index.js';
import { fourLetterWord } from '../../../test/support/zookeeper.js';
import { frameEnd, RawConnection } from '../../../test/fuzz/raw-connection.js';
import { setTimeout as sleep } from 'node:timers/promises';

let replica: LocalReplica;
let server: CoordServer;
let connectString: string;
const clients: CoordClient[] = [];

beforeEach(async () => {
  replica = new LocalReplica(1, 20);
  // tickTime 100 ms: sessions may be as short as 200 ms, so expiry tests run fast.
  server = new CoordServer(replica, { tickTimeMs: 100 });
  const { port } = await server.listen();
  connectString = `127.0.0.1:${port}`;
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close().catch(() => undefined)));
  await server.close();
  await replica.close();
});

async function connect(sessionTimeoutMs = 2_000): Promise<CoordClient> {
  const client = await CoordClient.connect(connectString, { sessionTimeoutMs });
  clients.push(client);
  return client;
}

/** A bare protocol session: handshake, then requests answered in order; no pings unless sent. */
async function rawSession(port: number, timeoutMs: number) {
  const socket = net.connect({ port, host: '127.0.0.1' });
  await new Promise((resolve) => socket.once('connect', resolve));
  const decoder = new FrameDecoder(1 << 20);
  const frames: Buffer[] = [];
  const waiting: Array<(frame: Buffer) => void> = [];
  socket.on('data', (chunk: Buffer) => {
    for (const frame of decoder.push(chunk)) (waiting.shift() ?? ((f: Buffer) => frames.push(f)))(frame);
  });
  const request = (payload: Buffer) => {
    const header = Buffer.alloc(4);
    header.writeInt32BE(payload.length);
    socket.write(Buffer.concat([header, payload]));
    return new Promise<Buffer>((resolve) => (frames.length > 0 ? resolve(frames.shift()!) : waiting.push(resolve)));
  };
  await request(new JuteWriter().int(0).long(0n).int(timeoutMs).long(0n).buffer_(Buffer.alloc(16)).boolean(false).finish());
  return { socket, request };
}

/** Writes one byte at a time, letting the event loop turn between bytes: the server runs in this
 * process, so without the turn it would read all the bytes at once (one chunk). */
async function writeInSeparateReads(connection: RawConnection, bytes: Buffer): Promise<void> {
  for (let i = 0; i < bytes.length; i += 1) {
    await connection.writeByteByByte(bytes.subarray(i, i + 1));
    await sleep(1);
  }
}

const codeOf = (promise: Promise<unknown>) => promise.then(() => 0, (error: unknown) => (error as ZooKeeperError).code);

describe('coordination server (ZooKeeper protocol)', () => {
  it('negotiates the session timeout within 2..20 ticks', async () => {
    expect((await connect(50)).session.sessionTimeoutMs).toBe(200);
    expect((await connect(60_000)).session.sessionTimeoutMs).toBe(2_000);
  });

  it('answers ruok, srvr and mntr on the client port', async () => {
    const port = server.address().port;
    expect(await fourLetterWord(port, 'ruok')).toBe('imok');
    expect(await fourLetterWord(port, 'srvr')).toMatch(/Mode: standalone/);
    expect(await fourLetterWord(port, 'mntr')).toMatch(/zk_znode_count\t\d+/);
  });

  it('answers a four-letter word whose bytes arrive one TCP segment at a time', async () => {
    for (const [word, answer] of [['ruok', /^imok$/], ['srvr', /Mode: standalone/]] as const) {
      const connection = await RawConnection.open(server.address().port, () => -1);
      await writeInSeparateReads(connection, Buffer.from(word));
      const outcome = await connection.next();
      connection.destroy();
      expect([word, outcome.kind, outcome.reply.toString()]).toEqual([word, 'closed', expect.stringMatching(answer)]);
    }
  });

  it('serves a session whose connect request (length prefix first) arrives one byte at a time', async () => {
    const connectRequest = new JuteWriter().int(0).long(0n).int(2_000).long(0n).buffer_(Buffer.alloc(16)).boolean(false).finish();
    const header = Buffer.alloc(4);
    header.writeInt32BE(connectRequest.length);
    const connection = await RawConnection.open(server.address().port, frameEnd);
    await writeInSeparateReads(connection, Buffer.concat([header, connectRequest]));
    const outcome = await connection.next();
    connection.destroy();
    expect(outcome.kind).toBe('answered');
    // ConnectResponse: length, protocolVersion, negotiated timeout, session id.
    expect(outcome.reply.readInt32BE(8)).toBe(2_000);
    expect(outcome.reply.readBigInt64BE(12)).not.toBe(0n);
  });

  it('delivers a watch event before the client can read the new data', async () => {
    const writer = await connect();
    const reader = await connect();
    await writer.create('/w', 'old');
    const seen: string[] = [];
    await reader.getData('/w', (event) => seen.push(`event ${event.type}`));
    await writer.setData('/w', 'new');
    // The read is sent after the event was pushed; on one connection, order is kept.
    const { data } = await reader.getData('/w');
    seen.push(`read ${data.toString()}`);
    expect(seen).toEqual([`event ${EventType.NodeDataChanged}`, 'read new']);
  });

  it('expires a silent session and deletes its ephemerals', async () => {
    const observer = await connect();
    // A raw client that opens a 200 ms session, creates an ephemeral, then never speaks again.
    const silent = await rawSession(server.address().port, 200);
    await silent.request(new JuteWriter().int(1).int(OpCode.create).string('/lease').buffer_(Buffer.from('x')).vector([0], (w) => w.int(31).string('world').string('anyone')).int(CreateMode.EPHEMERAL).finish());
    expect(await observer.exists('/lease')).not.toBeNull();
    const deleted = new Promise((resolve) => void observer.exists('/lease', resolve));
    expect(await deleted).toMatchObject({ type: EventType.NodeDeleted, path: '/lease' });
    expect(await observer.exists('/lease')).toBeNull();
    silent.socket.destroy();
  });

  it('keeps the session and its watches across a reconnect, firing what was missed', async () => {
    const client = await connect();
    const other = await connect();
    await client.create('/survivor', 'v1', { mode: CreateMode.EPHEMERAL });
    const sessionId = client.session.sessionId;
    let fire!: (event: unknown) => void;
    const fired = new Promise((resolve) => (fire = resolve));
    await client.getData('/survivor', fire);
    client.session.dropConnection();
    await other.setData('/survivor', 'v2');
    expect(await fired).toMatchObject({ type: EventType.NodeDataChanged });
    expect(client.session.sessionId).toBe(sessionId);
    expect((await client.getData('/survivor')).data.toString()).toBe('v2');
  });

  it('answers bad paths with BADARGUMENTS and an unknown op code with UNIMPLEMENTED', async () => {
    const client = await connect();
    // ZooKeeper's server checks the parent first (NONODE), then the full path (BADARGUMENTS).
    expect(await codeOf(client.create('/a/../b'))).toBe(ErrorCode.NONODE);
    expect(await codeOf(client.create('/bad\u0001name'))).toBe(ErrorCode.BADARGUMENTS);
    expect(await codeOf(client.create('/trailing/'))).toBe(ErrorCode.NONODE);
    // Reads are not validated by ZooKeeper's server: a path that cannot exist is simply absent.
    expect(await codeOf(client.getData('no-slash'))).toBe(ErrorCode.NONODE);
    expect(await codeOf(client.session.request(999, 'mystery', undefined, () => undefined))).toBe(ErrorCode.UNIMPLEMENTED);
    expect(await client.exists('/')).not.toBeNull();
  });

  it('answers wrong versions with BADVERSION and leaves the node as it was', async () => {
    const client = await connect();
    await client.create('/v', 'a');
    expect(await codeOf(client.setData('/v', 'b', 7))).toBe(ErrorCode.BADVERSION);
    expect(await codeOf(client.delete('/v', 3))).toBe(ErrorCode.BADVERSION);
    expect((await client.getData('/v')).data.toString()).toBe('a');
  });

  it('closes a connection that sends a packet over jute.maxbuffer, and serves others', async () => {
    const victim = await connect();
    const bystander = await connect();
    const huge = Buffer.alloc(2 * 1024 * 1024);
    expect(await codeOf(victim.create('/huge', huge))).toBe(ErrorCode.CONNECTIONLOSS);
    expect(await bystander.exists('/huge')).toBeNull();
  });

  it('pipelines writes from one session in order', async () => {
    const client = await connect();
    await client.create('/seq');
    const paths = await Promise.all(Array.from({ length: 50 }, () => client.create('/seq/n-', '', { mode: CreateMode.PERSISTENT_SEQUENTIAL })));
    expect(paths).toEqual(Array.from({ length: 50 }, (_, i) => `/seq/n-${String(i).padStart(10, '0')}`));
  });

  it('survives random bytes after a valid handshake and keeps serving other sessions', async () => {
    const bystander = await connect();
    const port = server.address().port;
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 300 }), async (garbage) => {
        const socket = net.connect({ port, host: '127.0.0.1' });
        socket.on('error', () => undefined);
        await new Promise((resolve) => socket.once('connect', resolve));
        const connect = new JuteWriter().int(0).long(0n).int(2_000).long(0n).buffer_(Buffer.alloc(16)).boolean(false).finish();
        const header = Buffer.alloc(4);
        header.writeInt32BE(connect.length);
        socket.write(Buffer.concat([header, connect]));
        const body = Buffer.from(garbage);
        const length = Buffer.alloc(4);
        length.writeInt32BE(body.length + 8);
        const requestHeader = new JuteWriter().int(1).int(garbage[0]! % 2 === 0 ? OpCode.create : OpCode.getData).finish();
        socket.write(Buffer.concat([length, requestHeader, body]));
        await new Promise((resolve) => setTimeout(resolve, 5));
        socket.destroy();
      }),
      { numRuns: 100 },
    );
    expect(await bystander.exists('/')).not.toBeNull();
  });
});
