/** `barista coord`: one coordination server (ZooKeeper protocol, Raft-replicated). */
import { resolve } from 'node:path';
import type { Logger } from '../telemetry/logger.js';
import { CoordNode, parsePeers } from '../coord/coord-node.js';
import { PeerSecret } from '../net/peer-auth.js';

export interface CoordCommandOptions {
  id: number;
  peers?: string;
  dataDir?: string;
  port: number;
  host: string;
  tickTime: number;
  metricsPort?: number;
  /** File holding the cluster secret members prove to each other on the peer port. */
  peerSecretFile?: string;
}

/** A server that stopped because it could not persist exits with this, so supervisors see a failure. */
export const EXIT_STORAGE_FAILED = 74;

export async function runCoord(options: CoordCommandOptions, logger: Logger): Promise<CoordNode> {
  const members = parsePeers(options.peers ?? '');
  if (members.size > 0 && !members.has(options.id)) throw new Error(`--peers must list this server's own id ${options.id}`);
  const dataDir = resolve(options.dataDir ?? `.barista/coord-${options.id}`);
  const peerSecret = options.peerSecretFile !== undefined ? await PeerSecret.fromFile(options.peerSecretFile) : undefined;
  const node = await CoordNode.start({
    serverId: options.id, members, dataDir, clientHost: options.host, clientPort: options.port, tickTimeMs: options.tickTime, logger,
    ...(options.metricsPort !== undefined ? { metricsPort: options.metricsPort } : {}),
    ...(peerSecret !== undefined ? { peerSecret } : {}),
    onStoppedAfterStorageFailure: () => {
      logger.fatal({ dataDir }, 'stopped: this server could not persist to its data directory (see the raft storage error above)');
      process.exit(EXIT_STORAGE_FAILED);
    },
  });
  logger.info({ id: options.id, clientPort: node.clientPort, metricsPort: node.metrics?.port, members: members.size || 1, dataDir }, 'coordination server ready');
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    void node.stop().then(() => process.exit(0));
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  return node;
}
