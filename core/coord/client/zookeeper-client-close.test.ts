/**
 * close() ends everything a client runs, whatever it was doing: waiting out a reconnect backoff,
 * half-way through a handshake, or waiting for a server that stopped answering. A timer or socket
 * left behind keeps the process (and Jest) alive after the fault scenarios.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import net from 'node:net';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { LocalReplica } from '../replication/local-replica.js';
import { CoordServer } from '../server/coord-server.js';
import { JuteWriter } from '../server/jute/writer.js';
import { writeConnectResponse } from '../server/records.js';
import { until } from '../../../test/support/until.js';
import { ZooKeeperClient } from './zookeeper-client.js';
import { trackResources } from '../resource-tracker.js';

/** Long enough that a timer of this size left behind is unmistakably a leak. */
const LONG_CONNECT_TIMEOUT_MS = 60_000;
const SESSION_TIMEOUT_MS = 2_000;

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

async function startCoordServer(): Promise<{ port: number; stop: () => Promise<void> }> {
  const replica = new LocalReplica(1, 20);
  const server = new CoordServer(replica, { tickTimeMs: 100 });
  const address = await server.listen();
  return { port: address.port, stop: async () => (await server.close(), await replica.close()) };
}

/** A server on `port` that accepts connections and, with `handshake`, answers the connect
 * request, then never says another word (a paused process, seen from the client). */
async function startSilentServer(port: number, handshake: boolean): Promise<{ accepted: net.Socket[]; stop: () => Promise<void> }> {
  const accepted: net.Socket[] = [];
  const server = net.createServer((socket) => {
    accepted.push(socket);
    socket.on('error', () => undefined);
    // Read (and ignore) whatever comes, so that the client's hang-up is seen as 'close'.
    socket.resume();
    if (!handshake) return;
    socket.once('data', () => {
      const writer = new JuteWriter();
      writeConnectResponse(writer, { protocolVersion: 0, timeoutMs: SESSION_TIMEOUT_MS, sessionId: 7n, password: Buffer.alloc(16), readOnly: false });
      const body = writer.finish();
      const header = Buffer.alloc(4);
      header.writeInt32BE(body.length);
      socket.write(Buffer.concat([header, body]));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    accepted,
    stop: async () => {
      for (const socket of accepted) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A client of a real server that then goes away: the client is left reconnecting. */
async function clientLeftReconnecting(): Promise<{ client: ZooKeeperClient; port: number }> {
  const coord = await startCoordServer();
  const client = await ZooKeeperClient.connect(`127.0.0.1:${coord.port}`, { sessionTimeoutMs: SESSION_TIMEOUT_MS, connectTimeoutMs: LONG_CONNECT_TIMEOUT_MS });
  cleanups.push(() => client.close());
  await coord.stop();
  await until('the client to notice the server is gone', () => client.state$.value === 'connecting', 10_000, 10);
  return { client, port: coord.port };
}

describe('ZooKeeperClient.close()', () => {
  it('cancels the reconnect backoff wait while every server is down', async () => {
    const resources = trackResources();
    cleanups.push(async () => resources.stop());
    const { client } = await clientLeftReconnecting();
    // Refused connections fail at once: the loop spends nearly all its time in the backoff wait.
    await nextTurn();
    await client.close();
    expect(client.state$.value).toBe('closed');
    expect(await resources.left()).toEqual([]);
  });

  it('ends a reconnect whose handshake is still under way, on the client and the server side', async () => {
    const resources = trackResources();
    cleanups.push(async () => resources.stop());
    const { client, port } = await clientLeftReconnecting();
    const silent = await startSilentServer(port, false);
    cleanups.push(() => silent.stop());
    await until('the client to reconnect to the silent server', () => silent.accepted.length > 0, 10_000, 10);
    const serverSide = silent.accepted[0]!;
    const serverSideClosed = new Promise<void>((resolve) => serverSide.once('close', () => resolve()));
    await client.close();
    await serverSideClosed;
    await silent.stop();
    expect(await resources.left()).toEqual([]);
  });

  it('does not wait forever for the closeSession answer of a server that stopped answering', async () => {
    const resources = trackResources();
    cleanups.push(async () => resources.stop());
    const { client, port } = await clientLeftReconnecting();
    const silent = await startSilentServer(port, true);
    cleanups.push(() => silent.stop());
    await until('the client to resume its session on the silent server', () => client.state$.value === 'connected', 10_000, 10);
    await client.close();
    await silent.stop();
    expect(await resources.left()).toEqual([]);
  }, 15_000);
});
