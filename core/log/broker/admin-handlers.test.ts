/**
 * The admin APIs as kafkajs's admin client drives them against a real broker on a temporary
 * data directory: topics are created with the asked partition count, refused with Kafka's error
 * for what one broker cannot honour, and deleted with their partition directories.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigResourceTypes, Kafka, logLevel, type Admin } from 'kafkajs';
import { Broker } from './broker.js';

let dataDir: string;
let broker: Broker;
let admin: Admin;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'barista-admin-'));
  // No auto-creation: otherwise a metadata request after a delete would bring the topic back.
  broker = await Broker.start({ dataDir, autoCreateTopics: false, defaultPartitions: 2 });
  const kafka = new Kafka({ brokers: [`127.0.0.1:${broker.address().port}`], logLevel: logLevel.NOTHING, retry: { retries: 0 } });
  admin = kafka.admin();
  await admin.connect();
});

afterEach(async () => {
  await admin.disconnect();
  await broker.close();
  await rm(dataDir, { recursive: true, force: true });
});

const partitionIds = async (topic: string): Promise<number[]> => {
  const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
  return (topics[0]?.partitions ?? []).map((partition) => partition.partitionId).sort((left, right) => left - right);
};

describe('CreateTopics', () => {
  it('creates the asked partitions, visible in metadata and on disk', async () => {
    await expect(admin.createTopics({ topics: [{ topic: 'words', numPartitions: 3, replicationFactor: 1 }] })).resolves.toBe(true);
    expect(await partitionIds('words')).toEqual([0, 1, 2]);
    expect([0, 1, 2].map((partition) => existsSync(join(dataDir, `words-${partition}`)))).toEqual([true, true, true]);
  });

  it('uses the broker default partition count for -1', async () => {
    await admin.createTopics({ topics: [{ topic: 'counts' }] });
    expect(await partitionIds('counts')).toEqual([0, 1]);
  });

  it('answers TOPIC_ALREADY_EXISTS for an existing topic (kafkajs then resolves false)', async () => {
    await admin.createTopics({ topics: [{ topic: 'words', numPartitions: 1 }] });
    await expect(admin.createTopics({ topics: [{ topic: 'words', numPartitions: 4 }] })).resolves.toBe(false);
    expect(await partitionIds('words')).toEqual([0]);
  });

  it.each([
    ['INVALID_PARTITIONS', { topic: 'zero', numPartitions: 0 }],
    ['INVALID_PARTITIONS', { topic: 'huge', numPartitions: 10_001 }],
    ['INVALID_REPLICATION_FACTOR', { topic: 'replicated', numPartitions: 1, replicationFactor: 3 }],
    ['INVALID_TOPIC_EXCEPTION', { topic: 'no/slashes', numPartitions: 1 }],
    ['INVALID_CONFIG', { topic: 'unknown-config', numPartitions: 1, configEntries: [{ name: 'no.such.config', value: '1' }] }],
    ['INVALID_CONFIG', { topic: 'bad-policy', numPartitions: 1, configEntries: [{ name: 'cleanup.policy', value: 'sideways' }] }],
  ])('answers %s and creates nothing', async (type, topic) => {
    await expect(admin.createTopics({ topics: [topic] })).rejects.toMatchObject({ errors: [expect.objectContaining({ type })] });
    expect(await admin.listTopics()).toEqual([]);
  });

  it('validateOnly checks without creating', async () => {
    await expect(admin.createTopics({ topics: [{ topic: 'words', numPartitions: 2 }], validateOnly: true, waitForLeaders: false })).resolves.toBe(true);
    expect(await admin.listTopics()).toEqual([]);
  });
});

describe('DeleteTopics', () => {
  it('removes the topic from metadata and its partition directories from disk', async () => {
    await admin.createTopics({ topics: [{ topic: 'words', numPartitions: 2 }, { topic: 'kept', numPartitions: 1 }] });
    await admin.deleteTopics({ topics: ['words'] });
    await expect(admin.fetchTopicMetadata({ topics: ['words'] })).rejects.toMatchObject({ type: 'UNKNOWN_TOPIC_OR_PARTITION' });
    expect(await admin.listTopics()).toEqual(['kept']);
    expect([0, 1].map((partition) => existsSync(join(dataDir, `words-${partition}`)))).toEqual([false, false]);
    expect(existsSync(join(dataDir, 'kept-0'))).toBe(true);
  });

  it('answers UNKNOWN_TOPIC_OR_PARTITION for a topic that does not exist', async () => {
    await expect(admin.deleteTopics({ topics: ['ghost'] })).rejects.toThrow(
      // kafkajs's text for UNKNOWN_TOPIC_OR_PARTITION, which it retries until it gives up.
      'This server does not host this topic-partition',
    );
  });

  it('lets a deleted topic be created again with a new partition count', async () => {
    await admin.createTopics({ topics: [{ topic: 'words', numPartitions: 1 }] });
    await admin.deleteTopics({ topics: ['words'] });
    await expect(admin.createTopics({ topics: [{ topic: 'words', numPartitions: 3 }] })).resolves.toBe(true);
    expect(await partitionIds('words')).toEqual([0, 1, 2]);
  });
});

describe('DescribeConfigs', () => {
  it('describes an existing topic (no values yet) and refuses an unknown one', async () => {
    await admin.createTopics({ topics: [{ topic: 'words', numPartitions: 1 }] });
    const described = await admin.describeConfigs({ resources: [{ type: ConfigResourceTypes.TOPIC, name: 'words' }], includeSynonyms: false });
    expect(described.resources).toEqual([expect.objectContaining({ errorCode: 0, resourceName: 'words', configEntries: [] })]);
    await expect(admin.describeConfigs({ resources: [{ type: ConfigResourceTypes.TOPIC, name: 'ghost' }], includeSynonyms: false }))
      .rejects.toMatchObject({ type: 'UNKNOWN_TOPIC_OR_PARTITION' });
  });
});
