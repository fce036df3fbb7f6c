/** `barista broker`: one Kafka-protocol broker, in the cluster its coord holds (or alone, with an embedded coord). */
import { resolve } from 'node:path';
import type { Logger } from '../telemetry/logger.js';
import { Broker } from '../log/broker/broker.js';
import { securityFromFlags } from '../log/security/config.js';

export interface BrokerCommandOptions {
  id: number;
  port: number;
  host: string;
  /** --advertised-listener host:port (Kafka's advertised.listeners, one plaintext listener). */
  advertisedListener?: string;
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

/** Hosts and ports a Kafka client can dial: `host:port`, optionally after a `NAME://` listener prefix. */
const ADVERTISED_LISTENER = /^(?:[A-Z_]+:\/\/)?([^:/\s]+):(\d{1,5})$/;

export class InvalidListenerError extends Error {
  readonly code = 'INVALID_LISTENER';
  constructor(readonly listener: string) {
    super(`--advertised-listener must be host:port (optionally PLAINTEXT://host:port), not '${listener}'`);
    this.name = 'InvalidListenerError';
  }
}

/** What `--advertised-listener` tells clients and other brokers to dial. */
export function advertisedEndpoint(listener: string): { advertisedHost: string; advertisedPort: number } {
  const match = ADVERTISED_LISTENER.exec(listener);
  const port = Number(match?.[2]);
  if (match === null || !(port >= 1 && port <= 65_535)) throw new InvalidListenerError(listener);
  return { advertisedHost: match[1]!, advertisedPort: port };
}

export async function runBroker(options: BrokerCommandOptions, logger: Logger): Promise<Broker> {
  const dataDir = resolve(options.dataDir ?? `.barista/broker-${options.id}`);
  if (options.coord === undefined) logger.info('no --coord given: running an embedded single-server coord');
  const security = await securityFromFlags(options);
  const broker = await Broker.start({
    nodeId: options.id,
    host: options.host,
    port: options.port,
    ...(options.advertisedListener !== undefined ? advertisedEndpoint(options.advertisedListener) : {}),
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
