/**
 * The two questions readers of the log ask besides Fetch (the log spout, the batch layer's log
 * snapshots): which partitions a topic has (Metadata v4) and where a partition starts or ends
 * (ListOffsets v1). Each opens a short-lived connection: they are asked when a reader starts or
 * plans, never per record.
 */
import { KafkaConnection, type KafkaEndpoint } from './kafka-connection.js';
import { ApiKey, EARLIEST_TIMESTAMP, LATEST_TIMESTAMP, errorName } from '../protocol/index.js';

export class LogAdminError extends Error {
  constructor(
    readonly code: 'TOPIC_NOT_FOUND' | 'LIST_OFFSETS_FAILED',
    readonly topic: string,
    message: string,
  ) {
    super(message);
    this.name = 'LogAdminError';
  }
}

/** v4: the first version that can say allowAutoTopicCreation false (a reader must not create its
 * topic). Brokers that stop below it (librdkafka's mock cluster offers v0–v2) get their highest
 * version from v1 (the first with partition leaders we decode the same way). */
const METADATA_VERSION = 4;
const MIN_METADATA_VERSION = 1;
const LIST_OFFSETS_VERSION = 1;

export type StartFrom = 'earliest' | 'latest';

async function withConnection<T>(bootstrap: KafkaEndpoint, clientId: string, use: (connection: KafkaConnection) => Promise<T>): Promise<T> {
  const connection = new KafkaConnection(bootstrap, clientId);
  try {
    return await use(connection);
  } finally {
    await connection.close();
  }
}

/** The Metadata version to ask this broker: ours (v4) unless it offers less (ApiVersions v0). */
async function metadataVersion(connection: KafkaConnection, bootstrap: KafkaEndpoint): Promise<number> {
  const versions = await connection.request(ApiKey.ApiVersions, 0, { clientSoftwareName: null, clientSoftwareVersion: null });
  const range = versions.apiKeys.find((candidate) => candidate.apiKey === Number(ApiKey.Metadata));
  const version = range === undefined ? -1 : Math.min(METADATA_VERSION, range.maxVersion);
  if (range === undefined || version < Math.max(MIN_METADATA_VERSION, range.minVersion)) {
    const offered = range === undefined ? 'no Metadata at all' : `Metadata v${range.minVersion}–v${range.maxVersion}`;
    throw new LogAdminError('TOPIC_NOT_FOUND', '', `the broker at ${bootstrap.host}:${bootstrap.port} offers ${offered}; reading the log needs v${MIN_METADATA_VERSION}–v${METADATA_VERSION}`);
  }
  return version;
}

/** The partition numbers of `topic`, ascending. */
export function partitionsOf(bootstrap: KafkaEndpoint, clientId: string, topic: string): Promise<number[]> {
  return withConnection(bootstrap, clientId, async (connection) => {
    const response = await connection.request(ApiKey.Metadata, await metadataVersion(connection, bootstrap), { topics: [topic], allowAutoTopicCreation: false });
    const answer = response.topics.find((candidate) => candidate.name === topic);
    if (answer === undefined || answer.errorCode !== 0 || answer.partitions.length === 0) {
      const reason = answer === undefined ? 'no answer' : answer.errorCode !== 0 ? errorName(answer.errorCode) : 'no partitions';
      throw new LogAdminError('TOPIC_NOT_FOUND', topic, `topic '${topic}' is not readable (${reason}); create it first or check the bootstrap address ${bootstrap.host}:${bootstrap.port}`);
    }
    return answer.partitions.map((partition) => partition.partitionIndex).sort((a, b) => a - b);
  });
}

/** The earliest offset still in the log, or the latest (the next to be written). */
export function listOffset(bootstrap: KafkaEndpoint, clientId: string, topic: string, partition: number, startFrom: StartFrom): Promise<number> {
  return withConnection(bootstrap, clientId, async (connection) => {
    const timestamp = startFrom === 'earliest' ? EARLIEST_TIMESTAMP : LATEST_TIMESTAMP;
    const response = await connection.request(ApiKey.ListOffsets, LIST_OFFSETS_VERSION, {
      replicaId: -1,
      isolationLevel: 0,
      topics: [{ name: topic, partitions: [{ partitionIndex: partition, currentLeaderEpoch: -1, timestamp, maxNumOffsets: 1 }] }],
    });
    const answer = response.topics[0]?.partitions[0];
    if (answer === undefined || answer.errorCode !== 0) {
      const reason = answer === undefined ? 'no answer' : `${errorName(answer.errorCode)} (${answer.errorCode})`;
      throw new LogAdminError('LIST_OFFSETS_FAILED', topic, `${startFrom} offset of ${topic}[${partition}]: ${reason}`);
    }
    return Number(answer.offset);
  });
}
