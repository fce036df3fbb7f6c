/**
 * Reads one partition from a broker with the Kafka Fetch API (v4, record batch v2), decoding the
 * records: the base of the log spout and of the replication fetcher. No consumer group: the
 * caller owns the offset, as with a Kafka consumer that assigns partitions itself.
 */
import { ApiKey, ErrorCode, errorName } from '../protocol/index.js';
import { KafkaConnection } from './kafka-connection.js';
import { iterateBatches } from '../storage/index.js';
import { decodeBatchRecords, type LogRecord } from '../records/record-decoder.js';

const FETCH_VERSION = 4;
const DEFAULT_MAX_WAIT_MS = 500;
const DEFAULT_PARTITION_MAX_BYTES = 1024 * 1024;

export class FetchError extends Error {
  readonly code = 'FETCH_FAILED';
  constructor(
    readonly kafkaErrorCode: number,
    readonly topic: string,
    readonly partition: number,
    readonly offset: number,
  ) {
    super(`fetch of ${topic}[${partition}] at offset ${offset} failed: ${errorName(kafkaErrorCode)} (${kafkaErrorCode})`);
    this.name = 'FetchError';
  }
}

export interface FetchResult {
  records: LogRecord[];
  highWatermark: number;
  /** Where the next fetch should start. */
  nextOffset: number;
}

export class PartitionReader {
  private readonly connection: KafkaConnection;

  constructor(
    readonly bootstrap: { host: string; port: number },
    clientId = 'barista-reader',
  ) {
    this.connection = new KafkaConnection(bootstrap, clientId);
  }

  /** Records at or after `offset` (whole batches may start earlier; those records are dropped). */
  async fetch(topic: string, partition: number, offset: number, options: { maxWaitMs?: number; maxBytes?: number } = {}): Promise<FetchResult> {
    const maxBytes = options.maxBytes ?? DEFAULT_PARTITION_MAX_BYTES;
    const response = await this.connection.request(ApiKey.Fetch, FETCH_VERSION, {
      replicaId: -1,
      maxWaitMs: options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS,
      minBytes: 1,
      maxBytes,
      isolationLevel: 0,
      sessionId: 0,
      sessionEpoch: -1,
      topics: [{ name: topic, partitions: [{ partitionIndex: partition, currentLeaderEpoch: -1, fetchOffset: BigInt(offset), logStartOffset: -1n, partitionMaxBytes: maxBytes }] }],
      forgottenTopics: [],
      rackId: '',
    });
    const answer = response.topics[0]?.partitions[0];
    if (answer === undefined) throw new FetchError(ErrorCode.UNKNOWN_SERVER_ERROR, topic, partition, offset);
    if (answer.errorCode !== 0) throw new FetchError(answer.errorCode, topic, partition, offset);
    const records: LogRecord[] = [];
    let nextOffset = offset;
    const chunks = answer.records === null ? [] : Buffer.isBuffer(answer.records) ? [answer.records] : answer.records;
    for (const chunk of chunks) {
      for (const { position, header } of iterateBatches(Buffer.from(chunk))) {
        // Batches without user records (transaction markers) still move the position on.
        nextOffset = Math.max(nextOffset, header.lastOffset + 1);
        for (const record of decodeBatchRecords(chunk.subarray(position, position + header.sizeBytes))) if (record.offset >= offset) records.push(record);
      }
    }
    return { records, highWatermark: Number(answer.highWatermark), nextOffset };
  }

  close(): Promise<void> {
    return this.connection.close();
  }
}
