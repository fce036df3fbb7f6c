/**
 * ACLs on the newer admin APIs, as Kafka checks them: CreatePartitions (topic ALTER), AlterConfigs
 * and IncrementalAlterConfigs (topic ALTER; broker resources: cluster ALTER), DescribeConfigs
 * (topic DESCRIBE; broker: cluster DESCRIBE), DeleteRecords (topic DELETE), DescribeCluster
 * (cluster DESCRIBE), DeleteGroups (group DELETE), InitProducerId (WRITE on the cluster or some
 * topic), OffsetForLeaderEpoch (topic DESCRIBE; followers: super users). A refused resource gets the protocol's
 * *_AUTHORIZATION_FAILED code and nothing about it changes; allowed ones in the same request are
 * served. Driven over SASL connections with our own codecs, request by request.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KafkaConnection } from '../client/kafka-connection.js';
import { AlterConfigOperation, ApiKey, ConfigResourceType, ErrorCode } from '../protocol/index.js';
import { encodeRecordBatch } from '../records/record-batch-encoder.js';
import type { SecurityOptions } from '../security/config.js';
import { Broker } from './broker.js';

const SECURITY: SecurityOptions = {
  users: { admin: { plain: 'admin-secret' }, alice: { plain: 'alice-secret' }, bob: { plain: 'bob-secret' } },
  superUsers: ['admin'],
  acls: [
    // alice reads and writes her own topics and consumes in her group: no ALTER, no DELETE, no cluster rights.
    { principal: 'User:alice', resourceType: 'topic', name: 'alice-', patternType: 'prefixed', operations: ['read', 'write', 'describe'] },
    { principal: 'User:alice', resourceType: 'group', name: 'alice-group', operations: ['read'] },
    // bob administers `shared`, may delete bob-group, and may describe the cluster.
    { principal: 'User:bob', resourceType: 'topic', name: 'shared', operations: ['alter', 'delete'] },
    { principal: 'User:bob', resourceType: 'group', name: 'bob-group', operations: ['delete'] },
    { principal: 'User:bob', resourceType: 'cluster', name: 'kafka-cluster', operations: ['describe'] },
  ],
};

let dataDir: string;
let broker: Broker;
const connections: KafkaConnection[] = [];
const as = (username: 'admin' | 'alice' | 'bob'): KafkaConnection => {
  const connection = new KafkaConnection({ host: '127.0.0.1', port: broker.address().port }, `acl-${username}`, { sasl: { username, password: `${username}-secret` } });
  connections.push(connection);
  return connection;
};
let admin: KafkaConnection;
let alice: KafkaConnection;
let bob: KafkaConnection;

const RECORDS = 10;

async function committedOffset(groupId: string): Promise<bigint | undefined> {
  const fetched = await admin.request(ApiKey.OffsetFetch, 5, { groupId, topics: [{ name: 'shared', partitionIndexes: [0] }] });
  return fetched.topics[0]?.partitions[0]?.committedOffset;
}

async function topicConfigs(name: string): Promise<Record<string, string | null>> {
  const described = await admin.request(ApiKey.DescribeConfigs, 2, { resources: [{ resourceType: ConfigResourceType.TOPIC, resourceName: name, configurationKeys: null }], includeSynonyms: false });
  expect(described.results[0]?.errorCode).toBe(ErrorCode.NONE);
  return Object.fromEntries(described.results[0]!.configs.map((config) => [config.name, config.value]));
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'barista-acl-admin-'));
  broker = await Broker.start({ dataDir, security: SECURITY, groups: { initialRebalanceDelayMs: 0, offsetsTopicPartitions: 1 } });
  [admin, alice, bob] = [as('admin'), as('alice'), as('bob')];
  const topic = (name: string) => ({ name, numPartitions: 2, replicationFactor: 1, assignments: [], configs: [] });
  const created = await admin.request(ApiKey.CreateTopics, 3, { topics: [topic('shared'), topic('alice-topic')], timeoutMs: 5_000, validateOnly: false });
  expect(created.topics.map((each) => each.errorCode)).toEqual([ErrorCode.NONE, ErrorCode.NONE]);
  const records = encodeRecordBatch(Array.from({ length: RECORDS }, (_, i) => ({ key: null, value: Buffer.from(`v${i}`) })), Date.now());
  for (const name of ['shared', 'alice-topic']) {
    const produced = await admin.request(ApiKey.Produce, 7, { transactionalId: null, acks: -1, timeoutMs: 5_000, topics: [{ name, partitions: [{ partitionIndex: 0, records }] }] });
    expect(produced.topics[0]?.partitions[0]?.errorCode).toBe(ErrorCode.NONE);
  }
  // Two empty groups with a committed offset each (simple commits: generation -1).
  expect((await admin.request(ApiKey.FindCoordinator, 2, { key: 'alice-group', keyType: 0 })).errorCode).toBe(ErrorCode.NONE);
  for (const groupId of ['alice-group', 'bob-group']) {
    const partitions = [{ partitionIndex: 0, committedOffset: 3n, committedLeaderEpoch: -1, commitTimestampMs: -1n, committedMetadata: null }];
    const committed = await admin.request(ApiKey.OffsetCommit, 5, { groupId, generationId: -1, memberId: '', groupInstanceId: null, retentionTimeMs: -1n, topics: [{ name: 'shared', partitions }] });
    expect(committed.topics[0]?.partitions[0]?.errorCode).toBe(ErrorCode.NONE);
  }
}, 30_000);

afterAll(async () => {
  for (const connection of connections) await connection.close();
  await broker.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('CreatePartitions needs ALTER on the topic', () => {
  it('refuses alice with TOPIC_AUTHORIZATION_FAILED and adds nothing; bob grows the topic', async () => {
    const grow = (count: number) => ({ topics: [{ name: 'shared', count, assignments: null }], timeoutMs: 5_000, validateOnly: false });
    expect((await alice.request(ApiKey.CreatePartitions, 1, grow(3))).results).toEqual([{ name: 'shared', errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED, errorMessage: expect.any(String) }]);
    expect(broker.view.snapshot.topics.get('shared')?.assignment).toHaveLength(2);
    expect((await bob.request(ApiKey.CreatePartitions, 1, grow(3))).results).toEqual([{ name: 'shared', errorCode: ErrorCode.NONE, errorMessage: null }]);
    expect(broker.view.snapshot.topics.get('shared')?.assignment).toHaveLength(3);
  });
});

describe('AlterConfigs and IncrementalAlterConfigs need ALTER on the topic (the cluster for broker configs)', () => {
  const setRetention = (value: string) => ({
    resources: [{ resourceType: ConfigResourceType.TOPIC, resourceName: 'shared', configs: [{ name: 'delete.retention.ms', value, operation: AlterConfigOperation.SET }] }],
    validateOnly: false,
  });

  it('refuses alice on both APIs and leaves the configs as they were; bob alters them', async () => {
    const before = await topicConfigs('shared');
    expect((await alice.request(ApiKey.AlterConfigs, 1, setRetention('1000'))).responses).toEqual([expect.objectContaining({ resourceName: 'shared', errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED })]);
    expect((await alice.request(ApiKey.IncrementalAlterConfigs, 0, setRetention('2000'))).responses).toEqual([expect.objectContaining({ resourceName: 'shared', errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED })]);
    expect(await topicConfigs('shared')).toEqual(before);
    expect((await bob.request(ApiKey.IncrementalAlterConfigs, 0, setRetention('3000'))).responses).toEqual([expect.objectContaining({ resourceName: 'shared', errorCode: ErrorCode.NONE })]);
    expect(await topicConfigs('shared')).toMatchObject({ 'delete.retention.ms': '3000' });
  });

  it('refuses a broker resource with CLUSTER_AUTHORIZATION_FAILED to a principal without ALTER on the cluster', async () => {
    const broker0 = { resources: [{ resourceType: ConfigResourceType.BROKER, resourceName: '1', configs: [{ name: 'log.retention.ms', value: '1', operation: AlterConfigOperation.SET }] }], validateOnly: true };
    expect((await bob.request(ApiKey.AlterConfigs, 1, broker0)).responses).toEqual([expect.objectContaining({ errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED })]);
  });
});

describe('DescribeConfigs needs DESCRIBE on the topic (the cluster for broker configs)', () => {
  it('answers each resource by the principal\'s rights, in one request', async () => {
    const described = await alice.request(ApiKey.DescribeConfigs, 2, {
      resources: [
        { resourceType: ConfigResourceType.TOPIC, resourceName: 'alice-topic', configurationKeys: null },
        { resourceType: ConfigResourceType.TOPIC, resourceName: 'shared', configurationKeys: null },
        { resourceType: ConfigResourceType.BROKER, resourceName: '', configurationKeys: null },
      ],
      includeSynonyms: false,
    });
    const codes = Object.fromEntries(described.results.map((result) => [result.resourceName, result.errorCode]));
    expect(codes).toEqual({ 'alice-topic': ErrorCode.NONE, shared: ErrorCode.TOPIC_AUTHORIZATION_FAILED, '': ErrorCode.CLUSTER_AUTHORIZATION_FAILED });
    // No configuration of a refused resource leaks.
    expect(described.results.find((result) => result.resourceName === 'shared')?.configs).toEqual([]);
    const asBob = await bob.request(ApiKey.DescribeConfigs, 2, { resources: [{ resourceType: ConfigResourceType.BROKER, resourceName: '', configurationKeys: null }], includeSynonyms: false });
    expect(asBob.results[0]?.errorCode).toBe(ErrorCode.NONE);
  });
});

describe('DeleteRecords needs DELETE on the topic', () => {
  it('refuses the topics the principal may not delete from, trims the others, in one request', async () => {
    const everything = (name: string) => ({ name, partitions: [{ partitionIndex: 0, offset: -1n }] });
    const asAlice = await alice.request(ApiKey.DeleteRecords, 1, { topics: [everything('shared'), everything('alice-topic')], timeoutMs: 5_000 });
    expect(asAlice.topics.flatMap((topic) => topic.partitions.map((partition) => [topic.name, partition.errorCode]))).toEqual(expect.arrayContaining([['shared', ErrorCode.TOPIC_AUTHORIZATION_FAILED], ['alice-topic', ErrorCode.TOPIC_AUTHORIZATION_FAILED]]));
    expect(broker.replicas.replica('shared', 0)!.log.logStartOffset).toBe(0);
    expect(broker.replicas.replica('alice-topic', 0)!.log.logStartOffset).toBe(0);
    const asBob = await bob.request(ApiKey.DeleteRecords, 1, { topics: [everything('shared'), everything('alice-topic')], timeoutMs: 5_000 });
    const byTopic = Object.fromEntries(asBob.topics.map((topic) => [topic.name, topic.partitions[0]]));
    expect(byTopic).toEqual({ shared: { partitionIndex: 0, errorCode: ErrorCode.NONE, lowWatermark: BigInt(RECORDS) }, 'alice-topic': { partitionIndex: 0, errorCode: ErrorCode.TOPIC_AUTHORIZATION_FAILED, lowWatermark: -1n } });
    expect(broker.replicas.replica('shared', 0)!.log.logStartOffset).toBe(RECORDS);
    expect(broker.replicas.replica('alice-topic', 0)!.log.logStartOffset).toBe(0);
  });
});

describe('DescribeCluster needs DESCRIBE on the cluster', () => {
  it('answers CLUSTER_AUTHORIZATION_FAILED and no brokers to alice, the cluster to bob', async () => {
    const asAlice = await alice.request(ApiKey.DescribeCluster, 0, { includeClusterAuthorizedOperations: false });
    expect(asAlice).toMatchObject({ errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED, brokers: [] });
    const asBob = await bob.request(ApiKey.DescribeCluster, 0, { includeClusterAuthorizedOperations: false });
    expect(asBob).toMatchObject({ errorCode: ErrorCode.NONE, brokers: [{ brokerId: broker.nodeId, port: broker.address().port }] });
  });
});

describe('DeleteGroups needs DELETE on the group', () => {
  it('refuses alice (READ only) with GROUP_AUTHORIZATION_FAILED and keeps her group; bob deletes his', async () => {
    expect((await alice.request(ApiKey.DeleteGroups, 1, { groupsNames: ['alice-group'] })).results).toEqual([{ groupId: 'alice-group', errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED }]);
    expect(await committedOffset('alice-group')).toBe(3n);
    const asBob = await bob.request(ApiKey.DeleteGroups, 1, { groupsNames: ['alice-group', 'bob-group'] });
    expect(Object.fromEntries(asBob.results.map((result) => [result.groupId, result.errorCode]))).toEqual({ 'alice-group': ErrorCode.GROUP_AUTHORIZATION_FAILED, 'bob-group': ErrorCode.NONE });
    expect(await committedOffset('alice-group')).toBe(3n);
    expect(await committedOffset('bob-group')).toBe(-1n);
  });
});

describe('InitProducerId needs WRITE on the cluster or on some topic', () => {
  it('gives alice (WRITE on her topics) a producer id and refuses bob (no WRITE anywhere) with CLUSTER_AUTHORIZATION_FAILED', async () => {
    const request = { transactionalId: null, transactionTimeoutMs: 60_000, producerId: -1n, producerEpoch: -1 };
    const asAlice = await alice.request(ApiKey.InitProducerId, 4, request);
    expect(asAlice.errorCode).toBe(ErrorCode.NONE);
    expect(asAlice.producerId).toBeGreaterThanOrEqual(0n);
    expect(await bob.request(ApiKey.InitProducerId, 4, request)).toMatchObject({ errorCode: ErrorCode.CLUSTER_AUTHORIZATION_FAILED, producerId: -1n });
  });
});

describe('OffsetForLeaderEpoch needs DESCRIBE on the topic (followers: a super user)', () => {
  it('answers alice for her topic, TOPIC_AUTHORIZATION_FAILED for another, CLUSTER_AUTHORIZATION_FAILED as a follower', async () => {
    const ask = (topic: string) => ({ topic, partitions: [{ partition: 0, currentLeaderEpoch: -1, leaderEpoch: 0 }] });
    const asConsumer = await alice.request(ApiKey.OffsetForLeaderEpoch, 3, { replicaId: -1, topics: [ask('alice-topic'), ask('shared')] });
    expect(Object.fromEntries(asConsumer.topics.map((topic) => [topic.topic, topic.partitions[0]?.errorCode]))).toEqual({ 'alice-topic': ErrorCode.NONE, shared: ErrorCode.TOPIC_AUTHORIZATION_FAILED });
    expect(asConsumer.topics.find((topic) => topic.topic === 'alice-topic')?.partitions[0]?.endOffset).toBe(BigInt(RECORDS));
    const asFollower = await alice.request(ApiKey.OffsetForLeaderEpoch, 3, { replicaId: 2, topics: [ask('alice-topic')] });
    expect(asFollower.topics[0]?.partitions[0]?.errorCode).toBe(ErrorCode.CLUSTER_AUTHORIZATION_FAILED);
  });
});
