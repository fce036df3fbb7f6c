/**
 * `barista dev` pointed at services it does not run: a Kafka cluster (--kafka), a ZooKeeper
 * ensemble (--zookeeper), a Redis or serving node (--redis). Each is checked before anything
 * starts, so an address where nothing listens is one line and a prompt exit rather than a client's
 * retry loop; then each is opened with the same client the library uses for it (kafkajs,
 * CoordClient, RespKeyspace), so what works here works for a program written against the library.
 */
import { connect } from 'node:net';
import type { Kafka } from 'kafkajs';
import { CoordClient } from '../coord/client/coord-client.js';
import { ZooKeeperError } from '../coord/client/errors.js';
import { parseConnectString, type Endpoint } from '../coord/client/connect-string.js';
import { ErrorCode } from '../coord/zookeeper-constants.js';
import { KafkaConnection } from '../log/client/kafka-connection.js';
import { ApiKey } from '../log/protocol/index.js';
import { RespKeyspace } from '../../serving/client/index.js';
import { CoordOffsetStore } from '../../spouts/coord-offset-store.js';
import { DevError } from './dev-error.js';

/** How long a TCP connect to an external service may take before it counts as unreachable. */
export const EXTERNAL_CONNECT_TIMEOUT_MS = 3_000;
/** The offsets client holds no ephemeral nodes, so its session may be short; it also bounds how
 * long CoordClient.connect tries a server that accepts TCP but never grants a session. */
const OFFSETS_SESSION_TIMEOUT_MS = 6_000;

export interface ExternalServices {
  /** host:port of a Kafka broker (any broker of the cluster). */
  readonly kafka?: string | undefined;
  /** ZooKeeper connect string host:port[,host:port...]. */
  readonly zookeeper?: string | undefined;
  /** host:port of a Redis server or a Barista serving node. */
  readonly redis?: string | undefined;
}

/** host:port (port required: these services have no port everyone agrees on for dev). */
export function parseHostPort(value: string, flag: string): Endpoint {
  const colon = value.lastIndexOf(':');
  const host = value.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
  const port = Number(value.slice(colon + 1));
  if (colon <= 0 || host === '' || !Number.isInteger(port) || port < 1 || port > 65_535) throw new DevError(`bad ${flag} address '${value}': expected host:port, e.g. 127.0.0.1:9092`);
  return { host, port };
}

function zookeeperEndpoints(connectString: string): Endpoint[] {
  try {
    return parseConnectString(connectString);
  } catch (error) {
    throw new DevError(`bad --zookeeper connect string: ${(error as Error).message}`);
  }
}

function tcpReachable({ host, port }: Endpoint): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.setTimeout(EXTERNAL_CONNECT_TIMEOUT_MS, () => socket.destroy(new Error(`no answer within ${EXTERNAL_CONNECT_TIMEOUT_MS} ms`)));
    socket.once('connect', () => (socket.destroy(), resolve(undefined)));
    socket.once('error', (error) => resolve(error.message));
  });
}

/** Parses every external address and checks that something listens there (one server of a
 * ZooKeeper ensemble is enough: the client fails over to the others). */
export async function checkExternalServices(services: ExternalServices): Promise<void> {
  const checks: Array<{ what: string; flag: string; address: string; endpoints: Endpoint[] }> = [];
  if (services.kafka !== undefined) checks.push({ what: 'Kafka', flag: '--kafka', address: services.kafka, endpoints: [parseHostPort(services.kafka, '--kafka')] });
  if (services.zookeeper !== undefined) checks.push({ what: 'ZooKeeper', flag: '--zookeeper', address: services.zookeeper, endpoints: zookeeperEndpoints(services.zookeeper) });
  if (services.redis !== undefined) checks.push({ what: 'Redis', flag: '--redis', address: services.redis, endpoints: [parseHostPort(services.redis, '--redis')] });
  for (const { what, flag, address, endpoints } of checks) {
    const failures = await Promise.all(endpoints.map(tcpReachable));
    if (failures.every((failure) => failure !== undefined)) throw new DevError(`cannot reach ${what} at ${address} (${flag}): ${failures[0]}; start it or fix the address`);
  }
}

/** The request versions Barista's log readers send (core/log/client: ListOffsets v1 in log-admin.ts,
 * Fetch v4 in partition-reader.ts, Metadata v4 or the broker's highest from v1); a broker that lacks
 * one drops their connection, which would surface as a bare "connection lost". */
const LOG_READER_VERSIONS: ReadonlyArray<readonly [number, string, number]> = [
  [ApiKey.Metadata, 'Metadata', 1],
  [ApiKey.ListOffsets, 'ListOffsets', 1],
  [ApiKey.Fetch, 'Fetch', 4],
];

/** Asks the broker's ApiVersions and refuses, naming the API, one the log spout and the batch's log snapshots cannot use. */
export async function checkKafkaApiVersions(address: string): Promise<void> {
  const connection = new KafkaConnection(parseHostPort(address, '--kafka'), 'barista-dev');
  let offered: Map<number, { minVersion: number; maxVersion: number }>;
  try {
    const response = await connection.request(ApiKey.ApiVersions, 0, { clientSoftwareName: null, clientSoftwareVersion: null });
    offered = new Map(response.apiKeys.map((range) => [range.apiKey, range]));
  } catch (error) {
    throw new DevError(`the server at ${address} (--kafka) did not answer ApiVersions: ${(error as Error).message}; is it a Kafka broker?`);
  } finally {
    await connection.close();
  }
  for (const [apiKey, name, version] of LOG_READER_VERSIONS) {
    const range = offered.get(apiKey);
    if (range === undefined || version < range.minVersion || version > range.maxVersion) {
      const has = range === undefined ? 'does not offer it' : `offers v${range.minVersion}-v${range.maxVersion}`;
      throw new DevError(`the Kafka broker at ${address} (--kafka) cannot serve Barista's log readers: they send ${name} v${version} and it ${has}; use Kafka 1.0 or later`);
    }
  }
}

/** The view store on an external RESP server; `server` says whether VIEW.* commands exist there. */
export async function connectExternalRedis(address: string): Promise<RespKeyspace> {
  const { host, port } = parseHostPort(address, '--redis');
  try {
    return await RespKeyspace.connect({ host, port, connectTimeoutMs: EXTERNAL_CONNECT_TIMEOUT_MS });
  } catch (error) {
    throw new DevError(`cannot use ${address} (--redis) as the view store: ${(error as Error).message}`);
  }
}

export async function connectExternalZooKeeper(connectString: string): Promise<CoordClient> {
  try {
    return await CoordClient.connect(connectString, { sessionTimeoutMs: OFFSETS_SESSION_TIMEOUT_MS, connectTimeoutMs: EXTERNAL_CONNECT_TIMEOUT_MS });
  } catch (error) {
    throw new DevError(`cannot open a ZooKeeper session at ${connectString} (--zookeeper): ${(error as Error).message}`);
  }
}

/** Where dev keeps the spout's offsets in ZooKeeper: one root per view, like storm-kafka's zkRoot + id. */
export function devOffsetsRoot(view: string): string {
  return `/barista/dev/${view}/offsets`;
}

/**
 * The spout's offsets in ZooKeeper. Offsets only mean something against the log and the view
 * they were committed for: when either is embedded (new on every run), offsets of an earlier run
 * would skip records of this one, so they are removed first; when both are external the spout
 * resumes from them, as a restarted storm-kafka spout did.
 */
export async function zooKeeperOffsetStore(client: CoordClient, view: string, topic: string, resume: boolean): Promise<CoordOffsetStore> {
  const store = new CoordOffsetStore(client, devOffsetsRoot(view));
  if (!resume) {
    const topicPath = store.pathOf(topic, 0).replace(/\/0$/, '');
    let partitions: string[] = [];
    try {
      partitions = await client.getChildren(topicPath);
    } catch (error) {
      if (!(error instanceof ZooKeeperError && error.code === ErrorCode.NONODE)) throw error;
    }
    for (const partition of partitions) await client.delete(`${topicPath}/${partition}`);
  }
  return store;
}

/**
 * Creates the topic (one partition) unless it exists. A broker without CreateTopics (librdkafka's
 * mock cluster) cannot be helped here: the message says to create the topic beforehand.
 */
export async function ensureTopic(kafka: Kafka, topic: string, address: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    if ((await admin.listTopics()).includes(topic)) return;
    try {
      await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    } catch (error) {
      throw new DevError(`topic ${topic} does not exist at ${address} and creating it failed (${(error as Error).message}); create it there first`);
    }
  } finally {
    await admin.disconnect();
  }
}

/** The end offset of partition 0 (where dev produced), to know when the speed layer caught up. */
export async function partitionEndOffset(kafka: Kafka, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const partition = (await admin.fetchTopicOffsets(topic)).find((entry) => entry.partition === 0);
    if (partition === undefined) throw new DevError(`topic ${topic} has no partition 0`);
    return Number(partition.high);
  } finally {
    await admin.disconnect();
  }
}
