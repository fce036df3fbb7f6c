/**
 * `__consumer_offsets` belongs to the group coordinator: clients' Produce, CreateTopics,
 * DeleteTopics, CreatePartitions and DeleteRecords on it are refused with Kafka's
 * INVALID_TOPIC_EXCEPTION, nothing about it changes, and the groups it holds keep working.
 * Driven over the wire with our own codecs, request by request.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KafkaConnection } from '../client/kafka-connection.js';
import { OFFSETS_TOPIC } from '../groups/limits.js';
import { ApiKey, ErrorCode } from '../protocol/index.js';
import { encodeRecordBatch } from '../records/record-batch-encoder.js';
import { Broker } from './broker.js';

const OFFSETS_PARTITIONS = 3;

let dataDir: string;
let broker: Broker;
let connection: KafkaConnection;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'barista-internal-topics-'));
  broker = await Broker.start({ dataDir, defaultPartitions: 2, groups: { initialRebalanceDelayMs: 0, offsetsTopicPartitions: OFFSETS_PARTITIONS } });
  connection = new KafkaConnection({ host: '127.0.0.1', port: broker.address().port }, 'internal-topics-test');
});

afterEach(async () => {
  await connection.close();
  await broker.close();
  await rm(dataDir, { recursive: true, force: true });
});

const offsetsTopicExists = () => broker.view.snapshot.topics.has(OFFSETS_TOPIC);
const endOffsets = () => Array.from({ length: OFFSETS_PARTITIONS }, (_, partition) => broker.replicas.replica(OFFSETS_TOPIC, partition)!.log.logEndOffset);
const startOffsets = () => Array.from({ length: OFFSETS_PARTITIONS }, (_, partition) => broker.replicas.replica(OFFSETS_TOPIC, partition)!.log.logStartOffset);

/** A simple (generation -1) commit of offset 5 for orders-0 by group `g`, creating __consumer_offsets on the way. */
async function commitForGroup(): Promise<void> {
  expect((await connection.request(ApiKey.FindCoordinator, 2, { key: 'g', keyType: 0 })).errorCode).toBe(ErrorCode.NONE);
  await connection.request(ApiKey.Metadata, 4, { topics: ['orders'], allowAutoTopicCreation: true });
  const partitions = [{ partitionIndex: 0, committedOffset: 5n, committedLeaderEpoch: -1, commitTimestampMs: -1n, committedMetadata: null }];
  const committed = await connection.request(ApiKey.OffsetCommit, 5, { groupId: 'g', generationId: -1, memberId: '', groupInstanceId: null, retentionTimeMs: -1n, topics: [{ name: 'orders', partitions }] });
  expect(committed.topics[0]?.partitions[0]?.errorCode).toBe(ErrorCode.NONE);
}

async function committedOffset(): Promise<bigint | undefined> {
  const fetched = await connection.request(ApiKey.OffsetFetch, 5, { groupId: 'g', topics: [{ name: 'orders', partitionIndexes: [0] }] });
  return fetched.topics[0]?.partitions[0]?.committedOffset;
}

describe('__consumer_offsets before the group coordinator creates it', () => {
  it('is not auto-created by Metadata, nor created by CreateTopics, so it gets the coordinator\'s partition count', async () => {
    const metadata = await connection.request(ApiKey.Metadata, 4, { topics: [OFFSETS_TOPIC], allowAutoTopicCreation: true });
    expect(metadata.topics[0]).toMatchObject({ name: OFFSETS_TOPIC, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION });
    const topic = { name: OFFSETS_TOPIC, numPartitions: 1, replicationFactor: 1, assignments: [], configs: [{ name: 'cleanup.policy', value: 'delete' }] };
    const created = await connection.request(ApiKey.CreateTopics, 3, { topics: [topic], timeoutMs: 5_000, validateOnly: false });
    expect(created.topics[0]).toMatchObject({ name: OFFSETS_TOPIC, errorCode: ErrorCode.INVALID_TOPIC_EXCEPTION, errorMessage: expect.stringMatching(/internal topic/) });
    expect(offsetsTopicExists()).toBe(false);
    await commitForGroup();
    expect(broker.view.snapshot.topics.get(OFFSETS_TOPIC)?.assignment).toHaveLength(OFFSETS_PARTITIONS);
  });
});

describe('__consumer_offsets written to by a client', () => {
  beforeEach(commitForGroup);

  it('refuses Produce with INVALID_TOPIC_EXCEPTION on every partition and appends nothing', async () => {
    const before = endOffsets();
    // A record keyed like g's commit of orders-0 (an offset-commit key, version 1).
    const forged = encodeRecordBatch([{ key: Buffer.from([0, 1, 0, 1, 0x67, 0, 6, ...Buffer.from('orders'), 0, 0, 0, 0]), value: Buffer.from([0, 1, 0, 0, 0, 0, 0, 0, 0, 99]) }], Date.now());
    for (const acks of [-1, 1]) {
      const produced = await connection.request(ApiKey.Produce, 7, { transactionalId: null, acks, timeoutMs: 5_000, topics: [{ name: OFFSETS_TOPIC, partitions: [0, 1, 2].map((partitionIndex) => ({ partitionIndex, records: forged })) }] });
      expect(produced.topics[0]?.partitions.map((partition) => partition.errorCode)).toEqual([0, 1, 2].map(() => ErrorCode.INVALID_TOPIC_EXCEPTION));
    }
    expect(endOffsets()).toEqual(before);
    expect(await committedOffset()).toBe(5n);
  });

  it('refuses CreateTopics (it exists), DeleteTopics, CreatePartitions and DeleteRecords; the topic and the group are unchanged', async () => {
    const [ends, starts] = [endOffsets(), startOffsets()];
    const topic = { name: OFFSETS_TOPIC, numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] };
    const created = await connection.request(ApiKey.CreateTopics, 3, { topics: [topic], timeoutMs: 5_000, validateOnly: false });
    expect(created.topics[0]?.errorCode).toBe(ErrorCode.TOPIC_ALREADY_EXISTS);
    const deleted = await connection.request(ApiKey.DeleteTopics, 1, { topicNames: [OFFSETS_TOPIC], timeoutMs: 5_000 });
    expect(deleted.responses).toEqual([{ name: OFFSETS_TOPIC, errorCode: ErrorCode.INVALID_TOPIC_EXCEPTION }]);
    const grown = await connection.request(ApiKey.CreatePartitions, 1, { topics: [{ name: OFFSETS_TOPIC, count: OFFSETS_PARTITIONS + 2, assignments: null }], timeoutMs: 5_000, validateOnly: false });
    expect(grown.results[0]).toMatchObject({ errorCode: ErrorCode.INVALID_TOPIC_EXCEPTION, errorMessage: expect.stringMatching(/internal topic/) });
    const trimmed = await connection.request(ApiKey.DeleteRecords, 1, { topics: [{ name: OFFSETS_TOPIC, partitions: [0, 1, 2].map((partitionIndex) => ({ partitionIndex, offset: -1n })) }], timeoutMs: 5_000 });
    expect(trimmed.topics[0]?.partitions.map((partition) => partition.errorCode)).toEqual([0, 1, 2].map(() => ErrorCode.INVALID_TOPIC_EXCEPTION));

    expect(broker.view.snapshot.topics.get(OFFSETS_TOPIC)?.assignment).toHaveLength(OFFSETS_PARTITIONS);
    expect([endOffsets(), startOffsets()]).toEqual([ends, starts]);
    expect(await committedOffset()).toBe(5n);
  });
});
