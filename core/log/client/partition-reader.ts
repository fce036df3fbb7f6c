/**
 * Reads one partition from a broker with the Kafka Fetch API (v4, record batch v2), decoding the
 * records: the base of the log spout and of the replication fetcher. No consumer group: the
 * caller owns the offset, as with a Kafka consumer that assigns partitions itself.
 */
import { FrameClient, int32Correlation } from '../../net/index.js';
import { ApiKey, ErrorCode, KafkaReader, KafkaWriter, codecFor, decodeResponseHeader, encodeRequestHeader, errorName, responseHeaderVersion } from '../protocol/index.js';
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
  private readonly client: FrameClient;

  constructor(
    readonly bootstrap: { host: string; port: number },
    private readonly clientId = 'barista-reader',
  ) {
    // Kafka requests carry the correlation id after api key and version; responses first.
    this.client = new FrameClient({ host: bootstrap.host, port: bootstrap.port, correlation: int32Correlation(4, 0), maxFrameBytes: 100 * 1024 * 1024 });
  }

  /** Records at or after `offset` (whole batches may start earlier; those records are dropped). */
  async fetch(topic: string, partition: number, offset: number, options: { maxWaitMs?: number; maxBytes?: number } = {}): Promise<FetchResult> {
    const writer = new KafkaWriter();
    encodeRequestHeader(writer, { apiKey: ApiKey.Fetch, apiVersion: FETCH_VERSION, correlationId: 0, clientId: this.clientId });
    const maxBytes = options.maxBytes ?? DEFAULT_PARTITION_MAX_BYTES;
    codecFor(ApiKey.Fetch, FETCH_VERSION).encodeRequest(writer, {
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
    const frame = await this.client.request(writer.toBuffer());
    const reader = new KafkaReader(frame);
    decodeResponseHeader(reader, responseHeaderVersion(ApiKey.Fetch, FETCH_VERSION));
    const response = codecFor(ApiKey.Fetch, FETCH_VERSION).decodeResponse(reader);
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
    return this.client.close();
  }
}
