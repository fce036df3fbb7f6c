/**
 * One coordination server, assembled: durable Raft replica + ZooKeeper-protocol front end.
 * `barista coord` runs one; tests and `barista dev` embed them.
 */
import { join } from 'node:path';
import type { Logger } from 'pino';
import { silentLogger } from '../telemetry/logger.js';
import { RaftReplica } from './replication/raft-replica.js';
import type { PeerAddress } from './replication/peer-transport.js';
import type { PeerSecret } from '../net/peer-auth.js';
import { CoordServer } from './server/coord-server.js';
import { createRegistry, serveMetrics, type MetricsServer } from '../telemetry/metrics.js';
import { registerCoordMetrics } from './coord-metrics.js';

export interface CoordNodeOptions {
  serverId: number;
  /** Server-to-server addresses of all members ("1=host:port,..."); empty for a single server. */
  members: ReadonlyMap<number, PeerAddress>;
  dataDir: string;
  clientHost?: string;
  clientPort?: number;
  tickTimeMs?: number;
  raftTickMs?: number;
  /** Called once the node has stopped after its storage failed (a process exits non-zero here). */
  onStoppedAfterStorageFailure?: () => void;
  snapshotEveryEntries?: number;
  /** Serve Prometheus metrics at http://127.0.0.1:<port>/metrics (0 picks a port; absent: none). */
  metricsPort?: number;
  logger?: Logger;
  /** The cluster secret members prove to each other (--peer-secret-file); absent: unauthenticated. */
  peerSecret?: PeerSecret;
}

export class PeersSpecError extends Error {
  readonly code = 'BAD_PEERS';
  constructor(
    readonly spec: string,
    detail: string,
  ) {
    super(`bad --peers "${spec}": ${detail}; expected id=host:port[,id=host:port...]`);
    this.name = 'PeersSpecError';
  }
}

export function parsePeers(spec: string): Map<number, PeerAddress> {
  const members = new Map<number, PeerAddress>();
  for (const part of spec.split(',').filter((p) => p.trim() !== '')) {
    const match = /^\s*(\d+)=([^:]+):(\d+)\s*$/.exec(part);
    if (!match) throw new PeersSpecError(spec, `"${part}" is not id=host:port`);
    const id = Number(match[1]);
    if (id < 1 || id > 255) throw new PeersSpecError(spec, `server id ${id} is outside 1..255`);
    if (members.has(id)) throw new PeersSpecError(spec, `server id ${id} appears twice`);
    members.set(id, { host: match[2]!, port: Number(match[3]) });
  }
  return members;
}

export class CoordNode {
  private constructor(
    readonly replica: RaftReplica,
    readonly server: CoordServer,
    readonly metrics: MetricsServer | undefined,
  ) {}

  static async start(options: CoordNodeOptions): Promise<CoordNode> {
    const logger = options.logger ?? silentLogger();
    // A server that cannot persist must not go on serving stale reads and hanging writes
    // (ZooKeeper exits): stop everything, clients fail over to the other members.
    let stopAfterStorageFailure = (): void => undefined;
    const replica = await RaftReplica.start({
      onStorageFailure: () => stopAfterStorageFailure(),
      serverId: options.serverId,
      members: options.members,
      dataDir: join(options.dataDir, 'raft'),
      ...(options.raftTickMs !== undefined ? { tickMs: options.raftTickMs } : {}),
      ...(options.snapshotEveryEntries !== undefined ? { snapshotEveryEntries: options.snapshotEveryEntries } : {}),
      logger: logger.child({ component: 'raft' }),
      ...(options.peerSecret !== undefined ? { peerSecret: options.peerSecret } : {}),
    });
    const peersDescription = [...options.members].map(([id, address]) => `server.${id}=${address.host}:${address.port}`).join('\n');
    const server = new CoordServer(replica, {
      host: options.clientHost ?? '127.0.0.1',
      port: options.clientPort ?? 0,
      dataDir: options.dataDir,
      peersDescription,
      logger: logger.child({ component: 'coord-server' }),
      ...(options.tickTimeMs !== undefined ? { tickTimeMs: options.tickTimeMs } : {}),
    });
    await server.listen();
    let metrics: MetricsServer | undefined;
    if (options.metricsPort !== undefined) {
      const registry = createRegistry({ service: 'coord', server: String(options.serverId) });
      registerCoordMetrics(registry, replica, () => server.connectionCount);
      metrics = await serveMetrics(registry, options.metricsPort);
    }
    const node = new CoordNode(replica, server, metrics);
    stopAfterStorageFailure = () =>
      void node
        .stop()
        .catch((error: unknown) => logger.error({ err: error }, 'stopping after the storage failure failed'))
        .finally(() => options.onStoppedAfterStorageFailure?.());
    return node;
  }

  get clientPort(): number {
    return this.server.address().port;
  }

  async stop(): Promise<void> {
    await this.metrics?.close();
    await this.server.close();
    await this.replica.close();
  }
}
