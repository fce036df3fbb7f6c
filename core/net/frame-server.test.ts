import { afterEach, describe, expect, it } from '@jest/globals';
import net from 'node:net';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { FrameClient } from './frame-client.js';
import { FrameServer, type FrameHandler, type FrameServerOptions } from './frame-server.js';

const servers: FrameServer[] = [];
const clients: FrameClient[] = [];
const sockets: net.Socket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function startServer(handler: FrameHandler, options: FrameServerOptions = {}): Promise<{ server: FrameServer; port: number }> {
  const server = new FrameServer(handler, { shutdownGraceMs: 500, ...options });
  servers.push(server);
  const { port } = await server.listen();
  return { server, port };
}

function client(port: number): FrameClient {
  const created = new FrameClient({ port, requestTimeoutMs: 5_000, backoff: { initialMs: 20, maxMs: 200 } });
  clients.push(created);
  return created;
}

/** A request in Barista's internal convention: int32 correlation id, then the body. */
function body(text: string): Buffer {
  return Buffer.concat([Buffer.alloc(4), Buffer.from(text)]);
}

const echo: FrameHandler = (frame) => frame;

async function rawSocket(port: number): Promise<net.Socket> {
  const socket = net.connect({ port, host: '127.0.0.1' });
  sockets.push(socket);
  socket.on('error', () => undefined);
  await once(socket, 'connect');
  return socket;
}

function frameOf(payload: Buffer): Buffer {
  const header = Buffer.alloc(4);
  header.writeInt32BE(payload.length);
  return Buffer.concat([header, payload]);
}

async function waitForClose(socket: net.Socket, withinMs: number): Promise<void> {
  if (socket.destroyed) return;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      new Promise((resolve) => socket.once('close', resolve)),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`socket still open after ${withinMs} ms`)), withinMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

describe('frame server', () => {
  it('answers each request through the correlated client', async () => {
    const { port } = await startServer(echo);
    const answers = await Promise.all(['a', 'bb', 'ccc'].map((text) => client(port).request(body(text))));
    expect(answers.map((answer) => answer.subarray(4).toString())).toEqual(['a', 'bb', 'ccc']);
  });

  it('writes responses in request order even when handlers finish in reverse order', async () => {
    const delays = [60, 40, 20, 0];
    let call = 0;
    const { port } = await startServer(async (frame) => {
      await sleep(delays[call++ % delays.length]);
      return frame;
    });
    const socket = await rawSocket(port);
    const received: string[] = [];
    socket.on('data', (chunk: Buffer) => {
      for (let offset = 0; offset < chunk.length; ) {
        const length = chunk.readInt32BE(offset);
        received.push(chunk.subarray(offset + 4, offset + 4 + length).toString());
        offset += 4 + length;
      }
    });
    socket.write(Buffer.concat(['1', '2', '3', '4'].map((text) => frameOf(Buffer.from(text)))));
    while (received.length < 4) await sleep(10);
    expect(received).toEqual(['1', '2', '3', '4']);
  });

  it('closes a connection that announces an oversized frame and keeps serving the others', async () => {
    const { port } = await startServer(echo, { maxFrameBytes: 1_024 });
    const good = client(port);
    const bad = await rawSocket(port);
    const header = Buffer.alloc(4);
    header.writeInt32BE(1_025);
    bad.write(header);
    await waitForClose(bad, 2_000);
    expect((await good.request(body('still here'))).subarray(4).toString()).toBe('still here');
  });

  it('drops a peer that leaves a frame incomplete (slowloris) after the partial-frame timeout', async () => {
    const { port, server } = await startServer(echo, { partialFrameTimeoutMs: 200 });
    const slow = await rawSocket(port);
    slow.write(frameOf(Buffer.from('complete')).subarray(0, 7));
    const started = Date.now();
    await waitForClose(slow, 3_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(server.connectionCount).toBe(0);
  });

  it('drops a peer that never reads its responses, with bounded memory, and serves the others', async () => {
    const big = Buffer.alloc(256 * 1024, 7);
    const { port } = await startServer((frame) => [frame.subarray(0, 4), big], { writeStallTimeoutMs: 300, maxBufferedWriteBytes: 4 * 1024 * 1024 });
    const deaf = await rawSocket(port);
    deaf.pause();
    // Keep asking; the server must stop reading from us and finally hang up.
    const request = frameOf(Buffer.from('x'));
    const writer = setInterval(() => !deaf.destroyed && deaf.write(Buffer.concat(Array(32).fill(request))), 5);
    try {
      await waitForClose(deaf, 5_000);
    } finally {
      clearInterval(writer);
    }
    const answer = await client(port).request(body('ok'));
    expect(answer.length).toBe(4 + big.length);
  });

  it('closes the connection whose handler throws, and only that one', async () => {
    const { port } = await startServer((frame) => {
      if (frame.subarray(4).toString() === 'boom') throw new Error('handler bug');
      return frame;
    });
    const victim = await rawSocket(port);
    victim.write(frameOf(body('boom')));
    await waitForClose(victim, 2_000);
    expect((await client(port).request(body('fine'))).subarray(4).toString()).toBe('fine');
  });

  it('stops reading from a connection while its in-flight limit is reached', async () => {
    let running = 0;
    let maxRunning = 0;
    const { port } = await startServer(
      async (frame) => {
        running += 1;
        maxRunning = Math.max(maxRunning, running);
        await sleep(5);
        running -= 1;
        return frame;
      },
      { maxInFlightPerConnection: 4 },
    );
    const c = client(port);
    await Promise.all(Array.from({ length: 100 }, (_, i) => c.request(body(String(i)))));
    expect(maxRunning).toBe(4);
  });

  it('answers requests already received before a graceful close completes', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { port, server } = await startServer(async (frame) => {
      await gate;
      return frame;
    });
    const c = client(port);
    const pending = c.request(body('last words'));
    await sleep(50);
    const closing = server.close();
    release();
    expect((await pending).subarray(4).toString()).toBe('last words');
    await closing;
  });

  it('lets a handler push unsolicited frames to its connection', async () => {
    const { port } = await startServer((frame, connection) => {
      const push = Buffer.alloc(8);
      push.writeInt32BE(-1, 0);
      push.writeInt32BE(42, 4);
      connection.send(push);
      return frame;
    });
    const c = client(port);
    const pushed = once(c, 'push');
    await c.request(body('hi'));
    const [frame] = (await pushed) as [Buffer];
    expect(frame.readInt32BE(4)).toBe(42);
  });
});
