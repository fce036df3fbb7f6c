/** `barista broker`: one Kafka-protocol broker, in the cluster its coord holds (or alone, with an embedded coord). */
import { resolve } from 'node:path';
import type { Logger } from '../telemetry/logger.js';
import { Broker } from '../log/broker/broker.js';
import { securityFromFlags } from '../log/security/config.js';

export interface BrokerCommandOptions {
  id: number;
  port: number;
  host: string;
  dataDir?: string;
  partitions: number;
  autoCreate: boolean;
  coord?: string;
  coordSessionTimeout?: number;
  replicationFactor: number;
  minInsyncReplicas: number;
  replicaLagTimeMax: number;
  /** --sasl-users, --acls, --super-users, --inter-broker-user (core/log/security/config.ts). */
  saslUsers?: string;
  acls?: string;
  superUsers?: string;
  interBrokerUser?: string;
}

export async function runBroker(options: BrokerCommandOptions, logger: Logger): Promise<Broker> {
  const dataDir = resolve(options.dataDir ?? `.barista/broker-${options.id}`);
  if (options.coord === undefined) logger.info('no --coord given: running an embedded single-server coord');
  const security = await securityFromFlags(options);
  const broker = await Broker.start({
    nodeId: options.id,
    host: options.host,
    port: options.port,
    dataDir,
    defaultPartitions: options.partitions,
    defaultReplicationFactor: options.replicationFactor,
    autoCreateTopics: options.autoCreate,
    replication: { minInsyncReplicas: options.minInsyncReplicas, replicaLagTimeMaxMs: options.replicaLagTimeMax },
    ...(options.coord !== undefined ? { coord: options.coord } : {}),
    ...(options.coordSessionTimeout !== undefined ? { coordSessionTimeoutMs: options.coordSessionTimeout } : {}),
    ...(security !== undefined ? { security } : {}),
    logger,
  });
  logger.info({ id: options.id, port: broker.address().port, dataDir, registeredAt: broker.registration.path }, 'broker ready');
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    void broker
      .close()
      .then(() => process.exit(0));
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  return broker;
}
