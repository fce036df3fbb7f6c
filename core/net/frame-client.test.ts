import { afterEach, describe, expect, it } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { FrameClient } from './frame-client.js';
import { FrameServer, type FrameHandler } from './frame-server.js';
import { ClientClosedError, ConnectionClosedError, ConnectTimeoutError, QueueFullError, RequestTimeoutError } from './errors.js';
import { int32Correlation } from './correlation.js';

const servers: FrameServer[] = [];
const clients: FrameClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function startServer(handler: FrameHandler, port = 0): Promise<FrameServer> {
  const server = new FrameServer(handler, { port, shutdownGraceMs: 100 });
  servers.push(server);
  await server.listen();
  return server;
}

function newClient(port: number, options: Partial<ConstructorParameters<typeof FrameClient>[0]> = {}): FrameClient {
  const client = new FrameClient({ port, requestTimeoutMs: 2_000, backoff: { initialMs: 20, maxMs: 100 }, ...options });
  clients.push(client);
  return client;
}

const body = (text: string) => Buffer.concat([Buffer.alloc(4), Buffer.from(text)]);
const text = (frame: Buffer) => frame.subarray(4).toString();

describe('frame client', () => {
  it('pairs out-of-order responses with their requests by correlation id', async () => {
    // This server answers the second request of each pair first, using connection.send.
    const held: Buffer[] = [];
    const server = await startServer((frame, connection) => {
      held.push(Buffer.from(frame));
      if (held.length === 2) {
        connection.send(held[1]!);
        connection.send(held[0]!);
        held.length = 0;
      }
      return undefined;
    });
    const client = newClient(server.address().port);
    const [first, second] = await Promise.all([client.request(body('first')), client.request(body('second'))]);
    expect(text(first)).toBe('first');
    expect(text(second)).toBe('second');
  });

  it('uses the protocol’s own correlation offset (Kafka puts it after api key and version)', async () => {
    const server = await startServer((frame) => {
      const response = Buffer.alloc(8);
      response.writeInt32BE(frame.readInt32BE(4), 0);
      response.writeInt32BE(frame.readInt16BE(0), 4);
      return response;
    });
    const client = newClient(server.address().port, { correlation: int32Correlation(4, 0) });
    const request = Buffer.alloc(8);
    request.writeInt16BE(18, 0);
    const response = await client.request(request);
    expect(response.readInt32BE(4)).toBe(18);
  });

  it('fails a request that gets no answer with RequestTimeoutError, and later ones still work', async () => {
    const server = await startServer((frame) => (text(frame) === 'ignore me' ? new Promise(() => undefined) : frame));
    const client = newClient(server.address().port);
    await expect(client.request(body('ignore me'), { timeoutMs: 100 })).rejects.toBeInstanceOf(RequestTimeoutError);
    // The server keeps per-connection order, so the next request waits behind the ignored one:
    // a new connection shows the client itself is healthy.
    const other = newClient(server.address().port);
    expect(text(await other.request(body('hello')))).toBe('hello');
  });

  it('fails in-flight requests with a retriable ConnectionClosedError when the connection drops', async () => {
    const server = await startServer((_frame, connection) => {
      setTimeout(() => connection.close('test drops it'), 10);
      return new Promise(() => undefined);
    });
    const client = newClient(server.address().port);
    const failure = await client.request(body('x')).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ConnectionClosedError);
    expect((failure as ConnectionClosedError).retriable).toBe(true);
  });

  it('reconnects with backoff after the server restarts on the same port', async () => {
    const echo: FrameHandler = (frame) => frame;
    const first = await startServer(echo);
    const port = first.address().port;
    const client = newClient(port);
    expect(text(await client.request(body('before')))).toBe('before');
    const disconnected = new Promise((resolve) => client.once('disconnect', resolve));
    await first.close();
    servers.splice(servers.indexOf(first), 1);
    await disconnected;
    await sleep(150); // a few failed attempts while nothing listens
    await startServer(echo, port);
    expect(text(await client.request(body('after'), { timeoutMs: 3_000 }))).toBe('after');
  });

  it('queues requests made before the connection is up, within a bound', async () => {
    const server = await startServer((frame) => frame);
    const client = newClient(server.address().port, { maxQueuedRequests: 3 });
    const accepted = [client.request(body('1')), client.request(body('2')), client.request(body('3'))];
    await expect(client.request(body('4'))).rejects.toBeInstanceOf(QueueFullError);
    expect((await Promise.all(accepted)).map(text)).toEqual(['1', '2', '3']);
  });

  it('gives up connecting after connectTimeoutMs when nothing listens', async () => {
    const probe = await startServer((frame) => frame);
    const port = probe.address().port;
    await probe.close();
    servers.length = 0;
    const client = newClient(port, { connectTimeoutMs: 200 });
    await expect(client.connect()).rejects.toBeInstanceOf(ConnectTimeoutError);
  });

  it('rejects everything pending, and every later request, once closed', async () => {
    const server = await startServer(() => new Promise(() => undefined));
    const client = newClient(server.address().port);
    const pending = client.request(body('never answered')).catch((error: unknown) => error);
    await sleep(20);
    await client.close();
    expect(await pending).toBeInstanceOf(ClientClosedError);
    await expect(client.request(body('late'))).rejects.toBeInstanceOf(ClientClosedError);
  });

  it('sends one-way frames that expect no response', async () => {
    const seen: string[] = [];
    const server = await startServer((frame) => {
      seen.push(text(frame));
      return undefined;
    });
    const client = newClient(server.address().port);
    await client.send(body('fire'));
    await client.send(body('forget'));
    while (seen.length < 2) await sleep(5);
    expect(seen).toEqual(['fire', 'forget']);
  });
});
