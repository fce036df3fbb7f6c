/**
 * What a broker answers for the data APIs. Roles come from coord through the replica manager:
 * only a partition's leader takes produces and consumer fetches (anyone else answers
 * NOT_LEADER_OR_FOLLOWER, and clients refresh metadata); followers fetch from the leader as
 * replicas (Fetch with replica_id = their broker id) and see the log up to its end, consumers
 * only up to the high watermark. Every partition-level failure is the Kafka error code for
 * that partition; nothing a client sends can corrupt the log (storage validates every batch
 * before it changes anything).
 */
import type { Logger } from 'pino';
import { LogDiskError, LogStorageError } from '../storage/index.js';
import {
  EARLIEST_TIMESTAMP,
  ErrorCode,
  LATEST_TIMESTAMP,
  type FetchPartition,
  type FetchPartitionResponse,
  type FetchRequest,
  type FetchResponse,
  type ListOffsetsRequest,
  type ListOffsetsResponse,
  type ProduceRequest,
  type ProduceResponse,
} from '../protocol/index.js';
import type { ClusterView } from '../controller/cluster-view.js';
import type { TopicAdmin } from '../controller/topic-admin.js';
import type { PartitionReplica } from '../replication/partition-replica.js';
import type { ReplicaManager } from '../replication/replica-manager.js';
import type { GroupCoordinator } from '../groups/coordinator.js';
import type { TopicStore } from './topic-store.js';
import type { ProducerIdAllocator } from '../producers/producer-id-blocks.js';
import type { BrokerSecurity } from '../security/broker-security.js';
import type { CleanupPolicyCache } from '../cleaner/policy-cache.js';
import { hasKeylessRecord } from '../cleaner/keyless-records.js';
import { isInternalTopic } from './internal-topics.js';
import { monotonicNowMs } from '../../clock/monotonic-clock.js';

export interface BrokerIdentity {
  nodeId: number;
  host: string;
  port: number;
  clusterId: string;
  autoCreateTopics: boolean;
  defaultPartitions: number;
  defaultReplicationFactor: number;
}

export interface BrokerContext {
  identity: BrokerIdentity;
  topics: TopicStore;
  view: ClusterView;
  replicas: ReplicaManager;
  admin: TopicAdmin;
  /** Idempotent producers' ids (InitProducerId), claimed in blocks through coord. */
  producerIds: ProducerIdAllocator;
  /** Topics' cleanup policies (compacted topics refuse keyless records); absent: none is compacted. */
  cleanupPolicies?: CleanupPolicyCache;
  /** Consumer groups whose `__consumer_offsets` partition this broker leads. */
  groups: GroupCoordinator;
  /** SASL and ACLs, when the broker was started with security options. */
  security?: BrokerSecurity;
  logger: Logger;
}

const CONSUMER_REPLICA_ID = -1;

export function errorCodeOf(error: unknown, context: BrokerContext): number {
  // Once per run of failures, not per refused request: a full disk refuses every produce.
  if (error instanceof LogDiskError && error.firstSinceSuccess) context.logger.error({ dir: error.dir, diskFull: error.diskFull, err: error }, 'partition log disk error: writes to it are refused until the disk recovers');
  if (error instanceof LogStorageError) return error.kafkaErrorCode;
  context.logger.error({ err: error }, 'unexpected failure serving a partition');
  return ErrorCode.UNKNOWN_SERVER_ERROR;
}

/** The partition's replica if this broker leads it, else the error code to answer with. */
export function leaderReplica(context: BrokerContext, topic: string, partition: number): PartitionReplica | number {
  const known = context.view.snapshot.topics.get(topic);
  if (known === undefined || partition < 0 || partition >= known.assignment.length) return ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
  const replica = context.replicas.replica(topic, partition);
  return replica?.role === 'leader' ? replica : ErrorCode.NOT_LEADER_OR_FOLLOWER;
}

/**
 * leaderReplica(), but if coord already names this broker leader and the replica manager has
 * not applied that yet, waits for it: a client that just read the new leader from Metadata
 * must not be bounced (with acks=0 it would never even hear of it).
 */
export async function settledLeaderReplica(context: BrokerContext, topic: string, partition: number): Promise<PartitionReplica | number> {
  const found = leaderReplica(context, topic, partition);
  if (typeof found !== 'number' || found !== ErrorCode.NOT_LEADER_OR_FOLLOWER) return found;
  if (context.view.snapshot.topics.get(topic)?.states.get(partition)?.state.leader !== context.identity.nodeId) return found;
  await context.replicas.settled();
  return leaderReplica(context, topic, partition);
}

async function producePartition(context: BrokerContext, request: ProduceRequest, topic: string, partition: number, records: Buffer | null): Promise<{ errorCode: number; baseOffset: bigint; logAppendTimeMs: bigint; logStartOffset: bigint }> {
  const failed = (errorCode: number) => ({ errorCode, baseOffset: -1n, logAppendTimeMs: -1n, logStartOffset: -1n });
  if (!(request.acks === 0 || request.acks === 1 || request.acks === -1)) return failed(ErrorCode.INVALID_REQUIRED_ACKS);
  if (isInternalTopic(topic)) return failed(ErrorCode.INVALID_TOPIC_EXCEPTION);
  const replica = await settledLeaderReplica(context, topic, partition);
  if (typeof replica === 'number') return failed(replica);
  if (records === null || records.length === 0) return failed(ErrorCode.CORRUPT_MESSAGE);
  if ((await context.cleanupPolicies?.policyOf(topic).catch(() => undefined))?.compact === true && hasKeylessRecord(records)) return failed(ErrorCode.INVALID_RECORD);
  const minInsync = context.replicas.minInsyncReplicas;
  if (request.acks === -1 && replica.isr.length < minInsync) return failed(ErrorCode.NOT_ENOUGH_REPLICAS);
  const leaderEpoch = replica.leaderEpoch;
  try {
    // Checked and enqueued in one tick: a role change after this waits behind the append.
    const result = await replica.log.append(records, leaderEpoch);
    if (replica.role !== 'leader' || replica.leaderEpoch !== leaderEpoch) return failed(ErrorCode.NOT_LEADER_OR_FOLLOWER);
    context.replicas.afterLeaderAppend(replica);
    if (request.acks === -1) {
      const errorCode = await replica.awaitReplication(result.lastOffset + 1, minInsync, Math.max(0, request.timeoutMs));
      if (errorCode !== ErrorCode.NONE) return failed(errorCode);
    }
    return { errorCode: ErrorCode.NONE, baseOffset: BigInt(result.baseOffset), logAppendTimeMs: BigInt(result.logAppendTime), logStartOffset: BigInt(replica.log.logStartOffset) };
  } catch (error) {
    return failed(errorCodeOf(error, context));
  }
}

export async function handleProduce(context: BrokerContext, request: ProduceRequest): Promise<ProduceResponse> {
  const topics = await Promise.all(
    request.topics.map(async (topic) => ({
      name: topic.name,
      partitions: await Promise.all(
        topic.partitions.map(async ({ partitionIndex, records }) => {
          const answer = await producePartition(context, request, topic.name, partitionIndex, records);
          // acks=0 producers never see the error: the log is the only place it shows.
          if (answer.errorCode !== ErrorCode.NONE) context.logger.debug({ topic: topic.name, partition: partitionIndex, acks: request.acks, errorCode: answer.errorCode }, 'produce refused');
          return { partitionIndex, ...answer };
        }),
      ),
    })),
  );
  return { topics, throttleTimeMs: 0 };
}

interface FetchBudget {
  remainingBytes: number;
}

async function fetchPartition(context: BrokerContext, request: FetchRequest, topic: string, wanted: FetchPartition, budget: FetchBudget, firstPass: boolean): Promise<FetchPartitionResponse> {
  const base = { partitionIndex: wanted.partitionIndex, abortedTransactions: null, preferredReadReplica: -1 };
  const failed = (errorCode: number, offsets = { highWatermark: -1n, lastStableOffset: -1n, logStartOffset: -1n }) => ({ ...base, ...offsets, errorCode, records: null });
  const replica = await settledLeaderReplica(context, topic, wanted.partitionIndex);
  if (typeof replica === 'number') return failed(replica);
  const isFollower = request.replicaId !== CONSUMER_REPLICA_ID;
  if (wanted.currentLeaderEpoch >= 0 && wanted.currentLeaderEpoch !== replica.leaderEpoch) {
    return failed(wanted.currentLeaderEpoch < replica.leaderEpoch ? ErrorCode.FENCED_LEADER_EPOCH : ErrorCode.UNKNOWN_LEADER_EPOCH);
  }
  const { log } = replica;
  const offset = Number(wanted.fetchOffset);
  // The follower's fetch offset is its log end: record it once per request, before reading.
  if (isFollower && firstPass && offset <= log.logEndOffset) context.replicas.onFollowerFetch(replica, request.replicaId, offset);
  const highWatermark = replica.highWatermark;
  const offsets = { highWatermark: BigInt(highWatermark), lastStableOffset: BigInt(highWatermark), logStartOffset: BigInt(log.logStartOffset) };
  if (offset < log.logStartOffset || offset > log.logEndOffset) return failed(ErrorCode.OFFSET_OUT_OF_RANGE, offsets);
  const readableEnd = isFollower ? log.logEndOffset : highWatermark;
  let records: Buffer[] = [];
  if (offset < readableEnd && budget.remainingBytes > 0) {
    try {
      records = await log.readBuffers(offset, Math.min(wanted.partitionMaxBytes, budget.remainingBytes), readableEnd);
    } catch (error) {
      return failed(errorCodeOf(error, context), offsets);
    }
  }
  budget.remainingBytes -= records.reduce((sum, buffer) => sum + buffer.length, 0);
  return { ...base, ...offsets, errorCode: ErrorCode.NONE, records };
}

async function readFetch(context: BrokerContext, request: FetchRequest, firstPass: boolean): Promise<{ response: FetchResponse; bytes: number }> {
  const budget = { remainingBytes: request.maxBytes > 0 ? request.maxBytes : Number.MAX_SAFE_INTEGER };
  const start = budget.remainingBytes;
  const topics = [];
  for (const topic of request.topics) {
    const partitions = [];
    for (const wanted of topic.partitions) partitions.push(await fetchPartition(context, request, topic.name, wanted, budget, firstPass));
    topics.push({ name: topic.name, partitions });
  }
  return { response: { throttleTimeMs: 0, errorCode: 0, sessionId: 0, topics }, bytes: start - budget.remainingBytes };
}

/** Fetch with long polling: answers at once with minBytes (or any error), else when data arrives or maxWaitMs ends. */
export async function handleFetch(context: BrokerContext, request: FetchRequest): Promise<FetchResponse> {
  const deadline = monotonicNowMs() + Math.max(0, request.maxWaitMs);
  for (let pass = 0; ; pass++) {
    const { response, bytes } = await readFetch(context, request, pass === 0);
    const remainingMs = deadline - monotonicNowMs();
    const anyError = response.topics.some((topic) => topic.partitions.some((partition) => partition.errorCode !== ErrorCode.NONE));
    if (bytes >= Math.max(1, request.minBytes) || remainingMs <= 0 || anyError) return response;
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
          const replica = await settledLeaderReplica(context, topic.name, wanted.partitionIndex);
          const base = { partitionIndex: wanted.partitionIndex, oldStyleOffsets: [] as bigint[], timestamp: -1n, leaderEpoch: typeof replica === 'number' ? -1 : replica.leaderEpoch };
          if (typeof replica === 'number') return { ...base, errorCode: replica, offset: -1n };
          const { log } = replica;
          if (wanted.timestamp === EARLIEST_TIMESTAMP || wanted.timestamp === LATEST_TIMESTAMP) {
            // A consumer's "latest" is the high watermark: nothing beyond it is committed.
            const latest = request.replicaId === CONSUMER_REPLICA_ID ? replica.highWatermark : log.logEndOffset;
            const offset = BigInt(wanted.timestamp === EARLIEST_TIMESTAMP ? log.logStartOffset : latest);
            return { ...base, errorCode: 0, offset, oldStyleOffsets: [offset] };
          }
          try {
            const found = await log.offsetForTimestamp(Number(wanted.timestamp));
            // Kafka answers "no record that recent" with offset and timestamp -1.
            if (found === undefined || found.offset >= replica.highWatermark) return { ...base, errorCode: 0, offset: -1n };
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
