/**
 * Adversarial checks of the log broker's SASL and ACLs over real sockets: requests before
 * authentication, requests of a read-only principal against another's topics and group, a second
 * authentication on an authenticated connection trying to switch principal, a replayed SCRAM
 * client-final, and Metadata leaking topic names. Each attempt must be refused with Kafka's error
 * (or the connection closed, where Kafka closes it) and must change nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Broker } from '../../core/log/broker/broker.js';
import { KafkaConnection } from '../../core/log/client/kafka-connection.js';
import { AlterConfigOperation, ApiKey, ConfigResourceType, ErrorCode, type ApiBodies, type SupportedApiKey } from '../../core/log/protocol/index.js';
import { encodeRecordBatch } from '../../core/log/records/record-batch-encoder.js';
import type { SecurityOptions } from '../../core/log/security/config.js';
import { ScramClientExchange } from '../../core/log/security/scram.js';

const SECURITY: SecurityOptions = {
  users: {
    admin: { plain: 'admin-secret' },
    alice: { plain: 'alice-secret', scram: { sha256: 'alice-secret' } },
    bob: { plain: 'bob-secret' },
  },
  superUsers: ['admin'],
  acls: [
    { principal: 'User:alice', resourceType: 'topic', name: 'alice-', patternType: 'prefixed', operations: ['all'] },
    { principal: 'User:alice', resourceType: 'group', name: 'alice-group', operations: ['read'] },
    // bob may only read t (and consume in his own group).
    { principal: 'User:bob', resourceType: 'topic', name: 't', operations: ['read'] },
    { principal: 'User:bob', resourceType: 'group', name: 'bob-group', operations: ['read'] },
  ],
};
const RECORDS = 5;

let dataDir: string;
let broker: Broker;
const connections: KafkaConnection[] = [];
const open = (name: string, sasl?: { username: string; password: string; mechanism?: 'PLAIN' | 'SCRAM-SHA-256' }): KafkaConnection => {
  const connection = new KafkaConnection({ host: '127.0.0.1', port: broker.address().port }, `security-${name}`, { requestTimeoutMs: 10_000, ...(sasl ? { sasl } : {}) });
  connections.push(connection);
  return connection;
};
let admin: KafkaConnection;

const records = () => encodeRecordBatch(Array.from({ length: RECORDS }, (_, i) => ({ key: null, value: Buffer.from(`v${i}`) })), Date.now());
const produceTo = (name: string): ApiBodies[typeof ApiKey.Produce]['request'] => ({ transactionalId: null, acks: -1, timeoutMs: 5_000, topics: [{ name, partitions: [{ partitionIndex: 0, records: records() }] }] });
const commitTo = (groupId: string): ApiBodies[typeof ApiKey.OffsetCommit]['request'] => ({
  groupId,
  generationId: -1,
  memberId: '',
  groupInstanceId: null,
  retentionTimeMs: -1n,
  topics: [{ name: 't', partitions: [{ partitionIndex: 0, committedOffset: 1n, committedLeaderEpoch: -1, commitTimestampMs: -1n, committedMetadata: null }] }],
});
const joinInto = (groupId: string): ApiBodies[typeof ApiKey.JoinGroup]['request'] => ({ groupId, sessionTimeoutMs: 6_000, rebalanceTimeoutMs: 10_000, memberId: '', groupInstanceId: null, protocolType: 'consumer', protocols: [{ name: 'range', metadata: Buffer.alloc(0) }] });
const setRetention = (name: string): ApiBodies[typeof ApiKey.AlterConfigs]['request'] => ({
  resources: [{ resourceType: ConfigResourceType.TOPIC, resourceName: name, configs: [{ name: 'retention.ms', value: '1', operation: AlterConfigOperation.SET }] }],
  validateOnly: false,
});

/** What the broker holds that any of the attacks could change. */
async function state(): Promise<unknown> {
  const metadata = await admin.request(ApiKey.Metadata, 4, { topics: null, allowAutoTopicCreation: false });
  const offsets = await admin.request(ApiKey.ListOffsets, 2, { replicaId: -1, isolationLevel: 0, topics: ['t', 'alice-data'].map((name) => ({ name, partitions: [0, 1].map((partitionIndex) => ({ partitionIndex, currentLeaderEpoch: -1, timestamp: -1n, maxNumOffsets: 1 })) })) });
  const earliest = await admin.request(ApiKey.ListOffsets, 2, { replicaId: -1, isolationLevel: 0, topics: ['t', 'alice-data'].map((name) => ({ name, partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp: -2n, maxNumOffsets: 1 }] })) });
  const configs = await admin.request(ApiKey.DescribeConfigs, 2, { resources: ['t', 'alice-data'].map((resourceName) => ({ resourceType: ConfigResourceType.TOPIC, resourceName, configurationKeys: ['retention.ms'] })), includeSynonyms: false });
  const committed = await Promise.all(['alice-group', 'bob-group'].map((groupId) => admin.request(ApiKey.OffsetFetch, 5, { groupId, topics: [{ name: 't', partitionIndexes: [0] }] })));
  const groups = await admin.request(ApiKey.DescribeGroups, 0, { groups: ['alice-group'], includeAuthorizedOperations: false });
  return {
    topics: metadata.topics.map((topic) => `${topic.name}:${topic.partitions.length}`).sort(),
    offsets: offsets.topics.map((topic) => topic.partitions.map((partition) => `${topic.name}/${partition.partitionIndex}@${partition.offset}`)),
    earliest: earliest.topics.map((topic) => `${topic.name}@${topic.partitions[0]?.offset}`),
    configs: configs.results.map((result) => result.configs.map((config) => `${result.resourceName} ${config.name}=${config.value}`)),
    committed: committed.map((response) => response.topics[0]?.partitions[0]?.committedOffset),
    groups: groups.groups.map((group) => `${group.groupId} ${group.groupState} ${group.members.length}`),
  };
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'barista-security-'));
  broker = await Broker.start({ dataDir, security: SECURITY, groups: { initialRebalanceDelayMs: 0, offsetsTopicPartitions: 1 } });
  admin = open('admin', { username: 'admin', password: 'admin-secret' });
  const topic = (name: string) => ({ name, numPartitions: 2, replicationFactor: 1, assignments: [], configs: [] });
  const created = await admin.request(ApiKey.CreateTopics, 3, { topics: [topic('t'), topic('alice-data')], timeoutMs: 5_000, validateOnly: false });
  expect(created.topics.map((each) => each.errorCode)).toEqual([ErrorCode.NONE, ErrorCode.NONE]);
  for (const name of ['t', 'alice-data']) expect((await admin.request(ApiKey.Produce, 7, produceTo(name))).topics[0]?.partitions[0]?.errorCode).toBe(ErrorCode.NONE);
  // The group coordinator loads its partition on the first FindCoordinator.
  expect((await admin.request(ApiKey.FindCoordinator, 2, { key: 'alice-group', keyType: 0 })).errorCode).toBe(ErrorCode.NONE);
  for (const groupId of ['alice-group', 'bob-group']) expect((await admin.request(ApiKey.OffsetCommit, 5, commitTo(groupId))).topics[0]?.partitions[0]?.errorCode).toBe(ErrorCode.NONE);
}, 30_000);

afterAll(async () => {
  for (const connection of connections) await connection.close().catch(() => undefined);
  await broker?.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** Sends one request on a fresh unauthenticated connection: "closed" when the broker hangs up. */
async function unauthenticated<K extends SupportedApiKey>(apiKey: K, apiVersion: number, body: ApiBodies[K]['request']): Promise<string> {
  const connection = open(`anonymous-${apiKey}`);
  try {
    const response = (await connection.request(apiKey, apiVersion, body)) as unknown as Record<string, unknown>;
    return `answered ${JSON.stringify(response, (_, value: unknown) => (typeof value === 'bigint' ? value.toString() : value))}`;
  } catch (error) {
    // Only the broker hanging up counts; an encoding mistake of this test must not pass as one.
    return /closed|disconnect|ECONNRESET|EPIPE/i.test((error as Error).message) ? 'closed' : `failed: ${(error as Error).message}`;
  }
}

describe('log SASL and ACLs cannot be bypassed', () => {
  it('answers ApiVersions before authentication but closes the connection on every other request, changing nothing', async () => {
    const before = await state();
    expect((await open('anonymous-versions').request(ApiKey.ApiVersions, 0, {} as never)).errorCode).toBe(ErrorCode.NONE);
    const outcomes = {
      produce: await unauthenticated(ApiKey.Produce, 7, produceTo('t')),
      fetch: await unauthenticated(ApiKey.Fetch, 4, { replicaId: -1, maxWaitMs: 0, minBytes: 0, maxBytes: 1 << 20, isolationLevel: 0, sessionId: 0, sessionEpoch: -1, topics: [{ name: 't', partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset: 0n, logStartOffset: -1n, partitionMaxBytes: 1 << 20 }] }], forgottenTopicsData: [], rackId: '' } as never),
      metadata: await unauthenticated(ApiKey.Metadata, 4, { topics: null, allowAutoTopicCreation: false }),
      metadataAutoCreate: await unauthenticated(ApiKey.Metadata, 4, { topics: ['created-by-anonymous'], allowAutoTopicCreation: true }),
      createTopics: await unauthenticated(ApiKey.CreateTopics, 3, { topics: [{ name: 'anonymous-topic', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }], timeoutMs: 5_000, validateOnly: false }),
      deleteTopics: await unauthenticated(ApiKey.DeleteTopics, 1, { topicNames: ['t'], timeoutMs: 5_000 }),
      createPartitions: await unauthenticated(ApiKey.CreatePartitions, 1, { topics: [{ name: 't', count: 4, assignments: null }], timeoutMs: 5_000, validateOnly: false }),
      deleteRecords: await unauthenticated(ApiKey.DeleteRecords, 1, { topics: [{ name: 't', partitions: [{ partitionIndex: 0, offset: -1n }] }], timeoutMs: 5_000 }),
      alterConfigs: await unauthenticated(ApiKey.AlterConfigs, 1, setRetention('t')),
      offsetCommit: await unauthenticated(ApiKey.OffsetCommit, 5, commitTo('alice-group')),
      joinGroup: await unauthenticated(ApiKey.JoinGroup, 5, joinInto('alice-group')),
      deleteGroups: await unauthenticated(ApiKey.DeleteGroups, 1, { groupsNames: ['alice-group'] }),
      initProducerId: await unauthenticated(ApiKey.InitProducerId, 1, { transactionalId: null, transactionTimeoutMs: 60_000 } as never),
      describeCluster: await unauthenticated(ApiKey.DescribeCluster, 0, { includeClusterAuthorizedOperations: false } as never),
    };
    expect(Object.entries(outcomes).filter(([, outcome]) => outcome !== 'closed')).toEqual([]);
    expect(await state()).toEqual(before);
  }, 60_000);

  it('refuses a read-only principal every write, admin change and foreign group with *_AUTHORIZATION_FAILED, changing nothing', async () => {
    const before = await state();
    const bob = open('bob', { username: 'bob', password: 'bob-secret' });
    const produced = await bob.request(ApiKey.Produce, 7, produceTo('t'));
    const deleted = await bob.request(ApiKey.DeleteTopics, 1, { topicNames: ['t', 'alice-data'], timeoutMs: 5_000 });
    const grown = await bob.request(ApiKey.CreatePartitions, 1, { topics: [{ name: 't', count: 4, assignments: null }], timeoutMs: 5_000, validateOnly: false });
    const truncated = await bob.request(ApiKey.DeleteRecords, 1, { topics: [{ name: 't', partitions: [{ partitionIndex: 0, offset: -1n }] }], timeoutMs: 5_000 });
    const altered = await bob.request(ApiKey.AlterConfigs, 1, setRetention('t'));
    const incremental = await bob.request(ApiKey.IncrementalAlterConfigs, 0, setRetention('t'));
    const committed = await bob.request(ApiKey.OffsetCommit, 5, commitTo('alice-group'));
    const joined = await bob.request(ApiKey.JoinGroup, 5, joinInto('alice-group'));
    const groupsDeleted = await bob.request(ApiKey.DeleteGroups, 1, { groupsNames: ['alice-group'] });
    expect({
      produce: produced.topics.map((topic) => topic.partitions[0]?.errorCode),
      deleteTopics: deleted.responses.map((response) => `${response.name} ${response.errorCode}`).sort(),
      createPartitions: grown.results.map((result) => result.errorCode),
      deleteRecords: truncated.topics.map((topic) => topic.partitions[0]?.errorCode),
      alterConfigs: altered.responses.map((response) => response.errorCode),
      incrementalAlterConfigs: incremental.responses.map((response) => response.errorCode),
      offsetCommit: committed.topics.map((topic) => topic.partitions[0]?.errorCode),
      joinGroup: joined.errorCode,
      deleteGroups: groupsDeleted.results.map((result) => result.errorCode),
    }).toEqual({
      produce: [ErrorCode.TOPIC_AUTHORIZATION_FAILED],
      deleteTopics: [`alice-data ${ErrorCode.TOPIC_AUTHORIZATION_FAILED}`, `t ${ErrorCode.TOPIC_AUTHORIZATION_FAILED}`],
      createPartitions: [ErrorCode.TOPIC_AUTHORIZATION_FAILED],
      deleteRecords: [ErrorCode.TOPIC_AUTHORIZATION_FAILED],
      alterConfigs: [ErrorCode.TOPIC_AUTHORIZATION_FAILED],
      incrementalAlterConfigs: [ErrorCode.TOPIC_AUTHORIZATION_FAILED],
      offsetCommit: [ErrorCode.GROUP_AUTHORIZATION_FAILED],
      joinGroup: ErrorCode.GROUP_AUTHORIZATION_FAILED,
      deleteGroups: [ErrorCode.GROUP_AUTHORIZATION_FAILED],
    });
    expect(await state()).toEqual(before);
  }, 60_000);

  it('hides from Metadata the topics a principal may not describe', async () => {
    const bob = open('bob-metadata', { username: 'bob', password: 'bob-secret' });
    const all = await bob.request(ApiKey.Metadata, 4, { topics: null, allowAutoTopicCreation: false });
    expect(all.topics.map((topic) => topic.name)).toEqual(['t']);
    const named = await bob.request(ApiKey.Metadata, 4, { topics: ['alice-data', 'alice-missing'], allowAutoTopicCreation: true });
    // An existing and a missing forbidden topic answer alike, so existence does not leak.
    expect(named.topics.map((topic) => [topic.name, topic.errorCode, topic.partitions.length])).toEqual([
      ['alice-data', ErrorCode.TOPIC_AUTHORIZATION_FAILED, 0],
      ['alice-missing', ErrorCode.TOPIC_AUTHORIZATION_FAILED, 0],
    ]);
    expect((await admin.request(ApiKey.Metadata, 4, { topics: null, allowAutoTopicCreation: false })).topics.map((topic) => topic.name)).not.toContain('alice-missing');
  });

  it('refuses a second authentication on an authenticated connection (no switch of principal) and closes it', async () => {
    const bob = open('bob-switch', { username: 'bob', password: 'bob-secret' });
    expect((await bob.request(ApiKey.Metadata, 4, { topics: ['t'], allowAutoTopicCreation: false })).topics[0]?.errorCode).toBe(ErrorCode.NONE);
    const handshake = await bob.request(ApiKey.SaslHandshake, 1, { mechanism: 'PLAIN' });
    expect(handshake.errorCode).toBe(ErrorCode.ILLEGAL_SASL_STATE);
    // Whatever follows on that socket is not served as alice (nor as bob): the broker hung up.
    const raw = open('bob-switch-raw', { username: 'bob', password: 'bob-secret' });
    await raw.request(ApiKey.Metadata, 4, { topics: ['t'], allowAutoTopicCreation: false });
    const token = await raw.request(ApiKey.SaslAuthenticate, 1, { authBytes: Buffer.from('\u0000alice\u0000alice-secret') });
    expect(token.errorCode).toBe(ErrorCode.ILLEGAL_SASL_STATE);
    const before = await state();
    // The client library reconnects and authenticates as bob again: still only bob's rights.
    expect((await raw.request(ApiKey.Produce, 7, produceTo('alice-data'))).topics[0]?.partitions[0]?.errorCode).toBe(ErrorCode.TOPIC_AUTHORIZATION_FAILED);
    expect(await state()).toEqual(before);
  });

  it('refuses a replayed SCRAM client-final and a replayed client-first', async () => {
    const mechanism = 'SCRAM-SHA-256';
    // A complete, successful exchange whose messages an eavesdropper recorded.
    const recorded = open('scram-recorded');
    const exchange = new ScramClientExchange(mechanism, 'alice', 'alice-secret');
    expect((await recorded.request(ApiKey.SaslHandshake, 1, { mechanism })).errorCode).toBe(ErrorCode.NONE);
    const clientFirst = Buffer.from(exchange.first());
    const serverFirst = await recorded.request(ApiKey.SaslAuthenticate, 1, { authBytes: clientFirst });
    const clientFinal = Buffer.from(exchange.final(serverFirst.authBytes.toString()));
    expect((await recorded.request(ApiKey.SaslAuthenticate, 1, { authBytes: clientFinal })).errorCode).toBe(ErrorCode.NONE);

    // Replay of the final message after a fresh client-first: the server's nonce differs.
    const replayFinal = open('scram-replay-final');
    await replayFinal.request(ApiKey.SaslHandshake, 1, { mechanism });
    const fresh = new ScramClientExchange(mechanism, 'alice', 'not-the-password');
    expect((await replayFinal.request(ApiKey.SaslAuthenticate, 1, { authBytes: Buffer.from(fresh.first()) })).errorCode).toBe(ErrorCode.NONE);
    expect((await replayFinal.request(ApiKey.SaslAuthenticate, 1, { authBytes: clientFinal })).errorCode).toBe(ErrorCode.SASL_AUTHENTICATION_FAILED);

    // Replay of the whole conversation: the client nonce was used already.
    const replayAll = open('scram-replay-all');
    await replayAll.request(ApiKey.SaslHandshake, 1, { mechanism });
    expect((await replayAll.request(ApiKey.SaslAuthenticate, 1, { authBytes: clientFirst })).errorCode).toBe(ErrorCode.SASL_AUTHENTICATION_FAILED);
    await expect(replayAll.request(ApiKey.Metadata, 4, { topics: ['alice-data'], allowAutoTopicCreation: false })).rejects.toThrow();
  });
});
