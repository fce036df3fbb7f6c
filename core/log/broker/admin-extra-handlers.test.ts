/**
 * CreatePartitions, AlterConfigs, DescribeConfigs, DeleteRecords and DeleteGroups as kafkajs's
 * admin client drives them against a real broker on a temporary data directory.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigResourceTypes, Kafka, logLevel, type Admin } from 'kafkajs';
import { Broker } from './broker.js';

let dataDir: string;
let broker: Broker;
let kafka: Kafka;
let admin: Admin;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'barista-admin-extra-'));
  broker = await Broker.start({ dataDir, autoCreateTopics: false });
  kafka = new Kafka({ brokers: [`127.0.0.1:${broker.address().port}`], logLevel: logLevel.NOTHING, retry: { retries: 0 } });
  admin = kafka.admin();
  await admin.connect();
});

afterEach(async () => {
  await admin.disconnect();
  await broker.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('CreatePartitions', () => {
  it('grows a topic, the new partitions led and writable', async () => {
    await admin.createTopics({ topics: [{ topic: 'grow', numPartitions: 1 }] });
    await admin.createPartitions({ topicPartitions: [{ topic: 'grow', count: 3 }] });
    const { topics } = await admin.fetchTopicMetadata({ topics: ['grow'] });
    expect(topics[0]?.partitions.map((p) => [p.partitionId, p.leader]).sort()).toEqual([[0, broker.nodeId], [1, broker.nodeId], [2, broker.nodeId]]);
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: 'grow', messages: [{ value: 'x', partition: 2 }] });
    await producer.disconnect();
    expect((await admin.fetchTopicOffsets('grow')).find((p) => p.partition === 2)?.high).toBe('1');
  });

  it('refuses shrinking with INVALID_PARTITIONS', async () => {
    await admin.createTopics({ topics: [{ topic: 'grow', numPartitions: 2 }] });
    await expect(admin.createPartitions({ topicPartitions: [{ topic: 'grow', count: 1 }] })).rejects.toMatchObject({ type: 'INVALID_PARTITIONS' });
  });
});

describe('AlterConfigs and DescribeConfigs', () => {
  const describeTopic = async (topic: string) => {
    const { resources } = await admin.describeConfigs({ resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }], includeSynonyms: false });
    return Object.fromEntries((resources[0]?.configEntries ?? []).map((entry) => [entry.configName, entry.configValue]));
  };

  it('stores valid overrides, which DescribeConfigs then reports', async () => {
    await admin.createTopics({ topics: [{ topic: 'configured', numPartitions: 1 }] });
    await admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: 'configured', configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }] });
    expect(await describeTopic('configured')).toEqual({ 'cleanup.policy': 'compact' });
  });

  it('refuses unknown names and bad values with INVALID_CONFIG, keeping the old overrides', async () => {
    await admin.createTopics({ topics: [{ topic: 'configured', numPartitions: 1, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }] });
    for (const entry of [{ name: 'no.such.config', value: '1' }, { name: 'cleanup.policy', value: 'shred' }]) {
      await expect(admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: 'configured', configEntries: [entry] }] })).rejects.toMatchObject({ type: 'INVALID_CONFIG' });
    }
    expect(await describeTopic('configured')).toEqual({ 'cleanup.policy': 'compact' });
  });
});

describe('DeleteRecords', () => {
  it('moves the log start; fetching below it is OFFSET_OUT_OF_RANGE', async () => {
    await admin.createTopics({ topics: [{ topic: 'trimmed', numPartitions: 1 }] });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: 'trimmed', messages: Array.from({ length: 5 }, (_, i) => ({ value: `v${i}` })) });
    await producer.disconnect();
    // kafkajs looks the leader up in its cached metadata: make the topic known to it first.
    await admin.fetchTopicMetadata({ topics: ['trimmed'] });
    await admin.deleteTopicRecords({ topic: 'trimmed', partitions: [{ partition: 0, offset: '3' }] });
    const offsets = await admin.fetchTopicOffsets('trimmed');
    expect(offsets[0]).toMatchObject({ low: '3', high: '5' });
    await expect(broker.replicas.replica('trimmed', 0)?.log.read(1, 1000)).rejects.toMatchObject({ kafkaErrorCode: 1 });
  });
});

describe('DeleteGroups', () => {
  it('deletes an empty group with its offsets; an unknown one is GROUP_ID_NOT_FOUND', async () => {
    await admin.createTopics({ topics: [{ topic: 'consumed', numPartitions: 1 }] });
    await admin.setOffsets({ groupId: 'idle', topic: 'consumed', partitions: [{ partition: 0, offset: '0' }] });
    await expect(admin.deleteGroups(['idle'])).resolves.toEqual([{ groupId: 'idle', errorCode: 0 }]);
    expect(await admin.fetchOffsets({ groupId: 'idle', topics: ['consumed'] })).toEqual([{ topic: 'consumed', partitions: [{ partition: 0, offset: '-1', metadata: null }] }]);
    await expect(admin.deleteGroups(['idle'])).rejects.toMatchObject({ name: 'KafkaJSDeleteGroupsError' });
  });
});
