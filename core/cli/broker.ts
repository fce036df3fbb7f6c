/** `barista broker`: one Kafka-protocol broker (this slice: standalone, no coord, no replication). */
import { resolve } from 'node:path';
import type { Logger } from '../telemetry/logger.js';
import { Broker } from '../log/broker/broker.js';

export interface BrokerCommandOptions {
  id: number;
  port: number;
  host: string;
  dataDir?: string;
  partitions: number;
  autoCreate: boolean;
  coord?: string;
}

export async function runBroker(options: BrokerCommandOptions, logger: Logger): Promise<Broker> {
  const dataDir = resolve(options.dataDir ?? `.barista/broker-${options.id}`);
  const broker = await Broker.start({ nodeId: options.id, host: options.host, port: options.port, dataDir, defaultPartitions: options.partitions, autoCreateTopics: options.autoCreate, ...(options.coord !== undefined ? { coord: options.coord } : {}), logger });
  logger.info({ id: options.id, port: broker.address().port, dataDir, registeredAt: broker.registration?.path }, 'broker ready');
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    void broker.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  return broker;
}
