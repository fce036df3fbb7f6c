/** `barista broker`: one Kafka-protocol broker (this slice: standalone, no coord, no replication). */
import { resolve } from 'node:path';
import type { Logger } from '../telemetry/logger.js';
import { Broker } from '../log/broker/broker.js';
import { CoordNode } from '../coord/coord-node.js';
import { join } from 'node:path';

export interface BrokerCommandOptions {
  id: number;
  port: number;
  host: string;
  dataDir?: string;
  partitions: number;
  autoCreate: boolean;
  coord?: string;
  coordSessionTimeout?: number;
}

export async function runBroker(options: BrokerCommandOptions, logger: Logger): Promise<Broker> {
  const dataDir = resolve(options.dataDir ?? `.barista/broker-${options.id}`);
  // Without --coord, a single-server coord runs inside the broker (for development), so the
  // broker registers the same way it does in a cluster.
  let embeddedCoord: CoordNode | undefined;
  let coord = options.coord;
  if (coord === undefined) {
    embeddedCoord = await CoordNode.start({ serverId: 1, members: new Map(), dataDir: join(dataDir, '.coord'), clientPort: 0, logger: logger.child({ component: 'embedded-coord' }) });
    coord = `127.0.0.1:${embeddedCoord.clientPort}`;
    logger.info({ coord }, 'no --coord given: running an embedded single-server coord');
  }
  const broker = await Broker.start({ nodeId: options.id, host: options.host, port: options.port, dataDir, defaultPartitions: options.partitions, autoCreateTopics: options.autoCreate, coord, ...(options.coordSessionTimeout !== undefined ? { coordSessionTimeoutMs: options.coordSessionTimeout } : {}), logger });
  logger.info({ id: options.id, port: broker.address().port, dataDir, registeredAt: broker.registration?.path }, 'broker ready');
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    void broker
      .close()
      .then(() => embeddedCoord?.stop())
      .then(() => process.exit(0));
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  return broker;
}
