import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Broker, type BrokerOptions } from '../broker/broker.js';
import { KafkaConnection } from '../client/kafka-connection.js';
import { OFFSETS_TOPIC } from '../groups/limits.js';
import { ApiKey } from '../protocol/index.js';

const GROUP = 'compacted-commits';
const TOPIC = 'plain';
const COMMITS = 60;

describe('__consumer_offsets is compacted', () => {
  let dir: string;
  let broker: Broker;
  const options = (): BrokerOptions => ({ dataDir: dir, log: { segmentBytes: 1024 }, groups: { offsetsTopicPartitions: 1 }, cleaner: { intervalMs: 3_600_000 } });
  const kafka = () => new Kafka({ clientId: 'offsets-compaction', brokers: [`127.0.0.1:${broker.address().port}`], logLevel: logLevel.NOTHING });

  async function offsetsLogBytes(): Promise<number> {
    const partitionDir = join(dir, `${OFFSETS_TOPIC}-0`);
    let total = 0;
    for (const name of await readdir(partitionDir)) if (name.endsWith('.log')) total += (await stat(join(partitionDir, name))).size;
    return total;
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'offsets-compaction-'));
    broker = await Broker.start(options());
  });
  afterAll(async () => {
    await broker.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps only the latest commit per group and partition, which a restarted coordinator still loads', async () => {
    const admin = kafka().admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 2 }] });
    await admin.disconnect();
    const connection = new KafkaConnection({ host: '127.0.0.1', port: broker.address().port }, 'offsets-compaction');
    expect((await connection.request(ApiKey.FindCoordinator, 2, { key: GROUP, keyType: 0 })).errorCode).toBe(0);
    const partition = (partitionIndex: number, offset: number) => ({ partitionIndex, committedOffset: BigInt(offset), committedLeaderEpoch: -1, commitTimestampMs: -1n, committedMetadata: '' });
    for (let commit = 1; commit <= COMMITS; commit++) {
      // A simple commit (generation -1), as kafka-consumer-groups --reset-offsets does for an empty group.
      const committed = await connection.request(ApiKey.OffsetCommit, 2, { groupId: GROUP, generationId: -1, memberId: '', groupInstanceId: null, retentionTimeMs: -1n, topics: [{ name: TOPIC, partitions: [partition(0, commit), partition(1, commit * 10)] }] });
      expect(committed.topics[0]!.partitions.map((each) => each.errorCode)).toEqual([0, 0]);
    }
    await connection.close();
    const before = await offsetsLogBytes();
    expect(await broker.cleaner.runPass(true)).toBeGreaterThan(0);
    expect(await offsetsLogBytes()).toBeLessThan(before / 2);

    await broker.close();
    broker = await Broker.start(options());
    const reopened = kafka().admin();
    await reopened.connect();
    const offsets = await reopened.fetchOffsets({ groupId: GROUP, topics: [TOPIC] });
    await reopened.disconnect();
    expect(offsets[0]!.partitions.map(({ partition: index, offset }) => ({ partition: index, offset })).sort((a, b) => a.partition - b.partition)).toEqual([
      { partition: 0, offset: String(COMMITS) },
      { partition: 1, offset: String(COMMITS * 10) },
    ]);
  }, 30_000);
});
