/**
 * The broker applies its log retention on a timer: segments roll at segmentBytes, and old whole
 * segments of delete-policy topics go once the log is over retentionBytes or their records are
 * older than retentionMs; the log start moves up and consumers see it. Compacted topics are the
 * cleaner's and keep every segment. A topic's retention.ms / retention.bytes overrides (set at
 * CreateTopics or by AlterConfigs) take the place of the broker's.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KafkaConnection } from '../client/kafka-connection.js';
import { AlterConfigOperation, ApiKey, ConfigResourceType, EARLIEST_TIMESTAMP, ErrorCode } from '../protocol/index.js';
import type { PartitionLogOptions } from '../storage/index.js';
import { encodeRecordBatch } from '../records/record-batch-encoder.js';
import { until } from '../../../test/support/until.js';
import { Broker } from './broker.js';

const SEGMENT_BYTES = 4_096;
const BATCHES = 40;
const RECORDS_PER_BATCH = 5;
const VALUE = Buffer.alloc(100, 'v');
const CHECK_INTERVAL_MS = 100;

let dataDir: string;
let broker: Broker;
let connection: KafkaConnection;

async function startBroker(log: PartitionLogOptions): Promise<void> {
  dataDir = await mkdtemp(join(tmpdir(), 'barista-retention-'));
  broker = await Broker.start({ dataDir, log: { segmentBytes: SEGMENT_BYTES, ...log }, retention: { intervalMs: CHECK_INTERVAL_MS } });
  connection = new KafkaConnection({ host: '127.0.0.1', port: broker.address().port }, 'retention-test');
}

afterEach(async () => {
  await connection.close();
  await broker.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function createTopic(name: string, configs: { name: string; value: string }[] = []): Promise<void> {
  const created = await connection.request(ApiKey.CreateTopics, 3, { topics: [{ name, numPartitions: 1, replicationFactor: 1, assignments: [], configs }], timeoutMs: 5_000, validateOnly: false });
  expect(created.topics[0]?.errorCode).toBe(ErrorCode.NONE);
}

/** BATCHES batches of keyed records (keys repeat, so compaction alone would not drop them all). */
async function produce(topic: string, timestampMs: number): Promise<void> {
  for (let batch = 0; batch < BATCHES; batch++) {
    const records = encodeRecordBatch(Array.from({ length: RECORDS_PER_BATCH }, (_, i) => ({ key: Buffer.from(`k${batch}-${i}`), value: VALUE })), timestampMs);
    const produced = await connection.request(ApiKey.Produce, 7, { transactionalId: null, acks: -1, timeoutMs: 5_000, topics: [{ name: topic, partitions: [{ partitionIndex: 0, records }] }] });
    expect(produced.topics[0]?.partitions[0]?.errorCode).toBe(ErrorCode.NONE);
  }
}

const log = (topic: string) => broker.replicas.replica(topic, 0)!.log;

async function earliestOffset(topic: string): Promise<bigint | undefined> {
  const listed = await connection.request(ApiKey.ListOffsets, 2, { replicaId: -1, isolationLevel: 0, topics: [{ name: topic, partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp: EARLIEST_TIMESTAMP, maxNumOffsets: 1 }] }] });
  return listed.topics[0]?.partitions[0]?.offset;
}

describe('log retention on a broker', () => {
  it('rolls segments at segmentBytes and deletes the oldest once the log exceeds retentionBytes; compacted topics keep theirs', async () => {
    const retentionBytes = 3 * SEGMENT_BYTES;
    await startBroker({ retentionBytes, retentionMs: -1 });
    await createTopic('trimmed');
    await createTopic('compacted', [{ name: 'cleanup.policy', value: 'compact' }]);
    await produce('compacted', Date.now());
    await produce('trimmed', Date.now());
    const total = BATCHES * RECORDS_PER_BATCH;
    expect(log('trimmed').logEndOffset).toBe(total);

    await until('retention to trim the delete-policy topic', () => log('trimmed').logStartOffset > 0, 10_000);
    await broker.retention.runPass();
    const trimmed = log('trimmed');
    // Kafka's rule: a segment goes only if the log stays at least retentionBytes without it.
    expect(trimmed.sizeBytes).toBeGreaterThanOrEqual(retentionBytes);
    expect(trimmed.sizeBytes - trimmed.closedSegments()[0]!.sizeBytes).toBeLessThan(retentionBytes);
    // Whole segments only: the log starts at the base offset of its oldest remaining segment.
    expect(trimmed.logStartOffset).toBe(trimmed.segmentBaseOffsets[0]);
    expect(await earliestOffset('trimmed')).toBe(BigInt(trimmed.logStartOffset));
    expect(log('compacted').segmentBaseOffsets.length).toBeGreaterThan(3);
    expect(log('compacted').logStartOffset).toBe(0);
  }, 30_000);

  it('deletes segments whose records are older than retentionMs, never the active one', async () => {
    await startBroker({ retentionMs: 60 * 60 * 1000 });
    await createTopic('old');
    await produce('old', Date.now() - 2 * 60 * 60 * 1000);
    await until('retention to delete every closed segment of old records', () => log('old').segmentBaseOffsets.length === 1, 10_000);
    expect(log('old').logStartOffset).toBeGreaterThan(0);
    expect(log('old').logStartOffset).toBe(log('old').segmentBaseOffsets[0]);
    expect(log('old').logEndOffset).toBe(BATCHES * RECORDS_PER_BATCH);
    expect(await earliestOffset('old')).toBe(BigInt(log('old').logStartOffset));
  }, 30_000);

  it('honours a topic\'s retention.bytes from CreateTopics and its retention.ms from IncrementalAlterConfigs over the broker\'s', async () => {
    await startBroker({ retentionMs: -1, retentionBytes: -1 });
    const topicBytes = 2 * SEGMENT_BYTES;
    await createTopic('small', [{ name: 'retention.bytes', value: String(topicBytes) }]);
    await createTopic('aged');
    await createTopic('unlimited');
    for (const topic of ['small', 'aged', 'unlimited']) await produce(topic, Date.now() - 2 * 60 * 60 * 1000);
    await until('retention to trim the topic with retention.bytes', () => log('small').logStartOffset > 0, 10_000);
    await broker.retention.runPass();
    expect(log('small').sizeBytes - log('small').closedSegments()[0]!.sizeBytes).toBeLessThan(topicBytes);
    expect([log('aged').logStartOffset, log('unlimited').logStartOffset]).toEqual([0, 0]);

    const altered = await connection.request(ApiKey.IncrementalAlterConfigs, 0, { resources: [{ resourceType: ConfigResourceType.TOPIC, resourceName: 'aged', configs: [{ name: 'retention.ms', value: String(60 * 60 * 1000), operation: AlterConfigOperation.SET }] }], validateOnly: false });
    expect(altered.responses[0]?.errorCode).toBe(ErrorCode.NONE);
    await until('retention to apply the altered retention.ms', () => log('aged').segmentBaseOffsets.length === 1, 10_000);
    await broker.retention.runPass();
    expect(log('unlimited').logStartOffset).toBe(0);
  }, 30_000);
});
