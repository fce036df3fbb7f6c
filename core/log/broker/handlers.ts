/**
 * What a single broker answers for each supported API. Every partition-level failure becomes the
 * Kafka error code for that partition; nothing a client sends can corrupt the log (the storage
 * validates every batch before it changes anything).
 */
import type { Logger } from 'pino';
import { LogStorageError } from '../storage/index.js';
import {
  EARLIEST_TIMESTAMP,
  ErrorCode,
  LATEST_TIMESTAMP,
  type FetchRequest,
  type FetchResponse,
  type ListOffsetsRequest,
  type ListOffsetsResponse,
  type MetadataRequest,
  type MetadataResponse,
  type ProduceRequest,
  type ProduceResponse,
} from '../protocol/index.js';
import { isValidTopicName, type TopicStore } from './topic-store.js';

export interface BrokerIdentity {
  nodeId: number;
  host: string;
  port: number;
  clusterId: string;
  autoCreateTopics: boolean;
  defaultPartitions: number;
  /** The epoch this broker stamps into batches it leads (one broker: always 0). */
  leaderEpoch: number;
}

export interface BrokerContext {
  identity: BrokerIdentity;
  topics: TopicStore;
  logger: Logger;
}

export async function handleMetadata(context: BrokerContext, request: MetadataRequest): Promise<MetadataResponse> {
  const { identity, topics } = context;
  const wanted = request.topics ?? topics.names();
  const answers = [];
  for (const name of wanted) {
    if (!isValidTopicName(name)) {
      answers.push({ errorCode: ErrorCode.INVALID_TOPIC_EXCEPTION, name, isInternal: false, partitions: [] });
      continue;
    }
    let logs = topics.partitions(name);
    if (!logs && request.topics !== null && request.allowAutoTopicCreation && identity.autoCreateTopics) logs = await topics.create(name, identity.defaultPartitions);
    if (!logs) {
      answers.push({ errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, name, isInternal: false, partitions: [] });
      continue;
    }
    const partitions = logs.map((_, partitionIndex) => ({ errorCode: 0, partitionIndex, leaderId: identity.nodeId, replicaNodes: [identity.nodeId], isrNodes: [identity.nodeId], offlineReplicas: [] }));
    answers.push({ errorCode: 0, name, isInternal: false, partitions });
  }
  return {
    throttleTimeMs: 0,
    brokers: [{ nodeId: identity.nodeId, host: identity.host, port: identity.port, rack: null }],
    clusterId: identity.clusterId,
    controllerId: identity.nodeId,
    topics: answers,
  };
}

function errorCodeOf(error: unknown, context: BrokerContext): number {
  if (error instanceof LogStorageError) return error.kafkaErrorCode;
  context.logger.error({ err: error }, 'unexpected failure serving a partition');
  return ErrorCode.UNKNOWN_SERVER_ERROR;
}

export async function handleProduce(context: BrokerContext, request: ProduceRequest): Promise<ProduceResponse> {
  const validAcks = request.acks === 0 || request.acks === 1 || request.acks === -1;
  const topics = await Promise.all(
    request.topics.map(async (topic) => ({
      name: topic.name,
      partitions: await Promise.all(
        topic.partitions.map(async ({ partitionIndex, records }) => {
          const answer = { partitionIndex, errorCode: 0, baseOffset: -1n, logAppendTimeMs: -1n, logStartOffset: -1n };
          const log = context.topics.partition(topic.name, partitionIndex);
          if (!validAcks) return { ...answer, errorCode: ErrorCode.INVALID_REQUIRED_ACKS };
          if (!log) return { ...answer, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
          if (records === null || records.length === 0) return { ...answer, errorCode: ErrorCode.CORRUPT_MESSAGE };
          try {
            const result = await log.append(records, context.identity.leaderEpoch);
            return { ...answer, baseOffset: BigInt(result.baseOffset), logAppendTimeMs: BigInt(result.logAppendTime), logStartOffset: BigInt(log.logStartOffset) };
          } catch (error) {
            return { ...answer, errorCode: errorCodeOf(error, context) };
          }
        }),
      ),
    })),
  );
  context.topics.notifyAppend();
  return { topics, throttleTimeMs: 0 };
}

async function readFetch(context: BrokerContext, request: FetchRequest): Promise<{ response: FetchResponse; bytes: number }> {
  let bytes = 0;
  let budget = request.maxBytes > 0 ? request.maxBytes : Number.MAX_SAFE_INTEGER;
  const topics = [];
  for (const topic of request.topics) {
    const partitions = [];
    for (const wanted of topic.partitions) {
      const log = context.topics.partition(topic.name, wanted.partitionIndex);
      const base = { partitionIndex: wanted.partitionIndex, abortedTransactions: null, preferredReadReplica: -1 };
      if (!log) {
        partitions.push({ ...base, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, highWatermark: -1n, lastStableOffset: -1n, logStartOffset: -1n, records: null });
        continue;
      }
      const end = BigInt(log.logEndOffset);
      const offsets = { highWatermark: end, lastStableOffset: end, logStartOffset: BigInt(log.logStartOffset) };
      const offset = Number(wanted.fetchOffset);
      if (offset < log.logStartOffset || offset > log.logEndOffset) {
        partitions.push({ ...base, ...offsets, errorCode: ErrorCode.OFFSET_OUT_OF_RANGE, records: null });
        continue;
      }
      let records: Buffer[] = [];
      if (offset < log.logEndOffset && budget > 0) {
        try {
          records = await log.readBuffers(offset, Math.min(wanted.partitionMaxBytes, budget));
        } catch (error) {
          partitions.push({ ...base, ...offsets, errorCode: errorCodeOf(error, context), records: null });
          continue;
        }
      }
      const size = records.reduce((sum, buffer) => sum + buffer.length, 0);
      bytes += size;
      budget -= size;
      partitions.push({ ...base, ...offsets, errorCode: 0, records });
    }
    topics.push({ name: topic.name, partitions });
  }
  return { response: { throttleTimeMs: 0, errorCode: 0, sessionId: 0, topics }, bytes };
}

/** Fetch with long polling: answers at once with minBytes, else when data arrives or maxWaitMs ends. */
export async function handleFetch(context: BrokerContext, request: FetchRequest): Promise<FetchResponse> {
  const deadline = Date.now() + Math.max(0, request.maxWaitMs);
  for (;;) {
    const { response, bytes } = await readFetch(context, request);
    const remainingMs = deadline - Date.now();
    if (bytes >= Math.max(1, request.minBytes) || remainingMs <= 0) return response;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, remainingMs);
      const stop = context.topics.onAppend(done);
      function done() {
        clearTimeout(timer);
        stop();
        resolve();
      }
    });
  }
}

export async function handleListOffsets(context: BrokerContext, request: ListOffsetsRequest): Promise<ListOffsetsResponse> {
  const topics = await Promise.all(
    request.topics.map(async (topic) => ({
      name: topic.name,
      partitions: await Promise.all(
        topic.partitions.map(async (wanted) => {
          const log = context.topics.partition(topic.name, wanted.partitionIndex);
          const base = { partitionIndex: wanted.partitionIndex, oldStyleOffsets: [] as bigint[], timestamp: -1n, leaderEpoch: context.identity.leaderEpoch };
          if (!log) return { ...base, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, offset: -1n };
          if (wanted.timestamp === EARLIEST_TIMESTAMP || wanted.timestamp === LATEST_TIMESTAMP) {
            const offset = BigInt(wanted.timestamp === EARLIEST_TIMESTAMP ? log.logStartOffset : log.logEndOffset);
            return { ...base, errorCode: 0, offset, oldStyleOffsets: [offset] };
          }
          try {
            const found = await log.offsetForTimestamp(Number(wanted.timestamp));
            // Kafka answers "no record that recent" with offset and timestamp -1.
            if (found === undefined) return { ...base, errorCode: 0, offset: -1n };
            return { ...base, errorCode: 0, offset: BigInt(found.offset), timestamp: BigInt(found.timestampMs), oldStyleOffsets: [BigInt(found.offset)] };
          } catch (error) {
            return { ...base, errorCode: errorCodeOf(error, context), offset: -1n };
          }
        }),
      ),
    })),
  );
  return { throttleTimeMs: 0, topics };
}
