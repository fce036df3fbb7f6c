/** `barista serve`: one serving node (Redis protocol in front, quorum-replicated store behind). */
import { resolve } from 'node:path';
import type { Logger } from '../telemetry/logger.js';
import { ServingNode } from '../../serving/node/serving-node.js';
import { PeerSecret } from '../net/peer-auth.js';

export interface ServeCommandOptions {
  id: string;
  port: number;
  peerPort: number;
  advertisePeerPort?: number;
  host: string;
  dataDir?: string;
  coord?: string;
  n: number;
  r: number;
  w: number;
  fsync: 'always' | 'interval' | 'never';
  /** File holding the cluster secret nodes prove to each other on the peer port. */
  peerSecretFile?: string;
}

export async function runServe(options: ServeCommandOptions, logger: Logger): Promise<ServingNode> {
  const dataDir = resolve(options.dataDir ?? `.barista/serve-${options.id}`);
  if (options.coord === undefined) logger.info('no --coord given: running an embedded single-server coord');
  const peerSecret = options.peerSecretFile !== undefined ? await PeerSecret.fromFile(options.peerSecretFile) : undefined;
  const node = await ServingNode.start({
    ...(peerSecret !== undefined ? { peerSecret } : {}),
    nodeId: options.id,
    dataDir,
    host: options.host,
    port: options.port,
    peerPort: options.peerPort,
    ...(options.advertisePeerPort !== undefined ? { advertisedPeerPort: options.advertisePeerPort } : {}),
    n: options.n,
    r: options.r,
    w: options.w,
    fsync: options.fsync,
    ...(options.coord !== undefined ? { coord: options.coord } : {}),
    logger,
  });
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    void node.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  return node;
}
