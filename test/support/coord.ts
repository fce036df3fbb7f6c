/**
 * A Barista coordination ensemble of real `barista coord` processes on loopback ports, each
 * with its own data directory, for compatibility and fault tests: kill -9 one, restart it,
 * read its four-letter words.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoordClient } from '../../core/coord/client/coord-client.js';
import { BARISTA_BIN } from './barista.js';
import { freePort } from './ports.js';
import { startProcess, type ManagedProcess } from './processes.js';
import { fourLetterWord } from './zookeeper.js';
import { TcpProxy } from './tcp-proxy.js';

export interface CoordEnsemble {
  ports: number[];
  connectString: string;
  processes: Array<ManagedProcess | undefined>;
  /** Server mode from `srvr` ("leader", "follower", "standalone"), or undefined when down. */
  mode(index: number): Promise<string | undefined>;
  leaderIndex(): Promise<number | undefined>;
  kill(index: number): Promise<void>;
  restart(index: number): Promise<void>;
  /** Cuts every server-to-server link of one member (needs `partitionable`); clients still reach it. */
  partition(index: number): void;
  heal(index: number): void;
  stop(): Promise<void>;
}

/** The session timeout of test clients: long enough to outlive a restart of the server they use. */
const TEST_CLIENT_SESSION_TIMEOUT_MS = 10_000;

/** Coord clients a test opens, closed together (in an afterEach) by closeAll(). */
export class CoordClients {
  private readonly open: CoordClient[] = [];

  async connect(connectString: string): Promise<CoordClient> {
    const client = await CoordClient.connect(connectString, { sessionTimeoutMs: TEST_CLIENT_SESSION_TIMEOUT_MS });
    this.open.push(client);
    return client;
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.open.splice(0).map((client) => client.close().catch(() => undefined)));
  }
}

export async function serverMode(port: number): Promise<string | undefined> {
  try {
    return /Mode: (\w+)/.exec(await fourLetterWord(port, 'srvr'))?.[1];
  } catch {
    return undefined;
  }
}

export async function startCoordEnsemble(options: { servers: number; tickTimeMs?: number; logLevel?: string; partitionable?: boolean }): Promise<CoordEnsemble> {
  const root = await mkdtemp(join(tmpdir(), 'barista-coord-'));
  const ports = await Promise.all(Array.from({ length: options.servers }, freePort));
  const peerPorts = options.servers > 1 ? await Promise.all(Array.from({ length: options.servers }, freePort)) : [];
  // With `partitionable`, server i reaches server j through proxies[i][j], which a test can cut.
  const proxies: TcpProxy[][] = [];
  if (options.partitionable) {
    for (let from = 0; from < peerPorts.length; from += 1) proxies.push(await Promise.all(peerPorts.map((port) => TcpProxy.start(port))));
  }
  const peersSeenBy = (index: number) =>
    peerPorts.map((port, j) => `${j + 1}=127.0.0.1:${j === index || proxies.length === 0 ? port : proxies[index]![j]!.port}`).join(',');
  const processes: Array<ManagedProcess | undefined> = Array.from({ length: options.servers }, () => undefined);

  const launch = async (index: number) => {
    const args = [BARISTA_BIN, '--log-level', options.logLevel ?? 'warn', 'coord', '--id', String(index + 1), '--port', String(ports[index]), '--data-dir', join(root, `server-${index + 1}`), '--tick-time', String(options.tickTimeMs ?? 2_000)];
    if (peerPorts.length > 0) args.push('--peers', peersSeenBy(index));
    processes[index] = await startProcess({
      name: `barista coord ${index + 1}`,
      command: process.execPath,
      args,
      ready: async () => (await serverMode(ports[index]!)) !== undefined,
      readyTimeoutMs: 20_000,
    });
  };
  await Promise.all(ports.map((_, index) => launch(index)));

  const ensemble: CoordEnsemble = {
    ports,
    connectString: ports.map((port) => `127.0.0.1:${port}`).join(','),
    processes,
    mode: (index) => serverMode(ports[index]!),
    async leaderIndex() {
      for (let index = 0; index < ports.length; index += 1) {
        const mode = await ensemble.mode(index);
        if (mode === 'leader' || mode === 'standalone') return index;
      }
      return undefined;
    },
    async kill(index) {
      await processes[index]?.kill9();
      processes[index] = undefined;
    },
    restart: launch,
    partition(index) {
      if (proxies.length === 0) throw new Error('startCoordEnsemble({ partitionable: true }) is needed to partition');
      proxies.forEach((row, from) => row.forEach((proxy, to) => (from === index || to === index) && from !== to && proxy.cut()));
    },
    heal(index) {
      proxies.forEach((row, from) => row.forEach((proxy, to) => (from === index || to === index) && proxy.heal()));
    },
    async stop() {
      await Promise.all(processes.map((process) => process?.stop()));
      await Promise.all(proxies.flat().map((proxy) => proxy.close()));
      await rm(root, { recursive: true, force: true });
    },
  };
  // Serve clients only once a leader exists: before that every write would fail.
  const deadline = Date.now() + 20_000;
  while ((await ensemble.leaderIndex()) === undefined) {
    if (Date.now() > deadline) {
      const outputs = processes.map((p) => p?.output()).join('\n---\n');
      await ensemble.stop();
      throw new Error(`no leader elected within 20 s; server output:\n${outputs}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return ensemble;
}
