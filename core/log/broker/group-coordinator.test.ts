/**
 * The group coordinator on a real broker, driven request by request over the wire with our own
 * codecs: FindCoordinator creates `__consumer_offsets`; join, sync, heartbeat and leave follow
 * Kafka's protocol; committed offsets and the group survive a broker restart (reloaded from the
 * log); a silent member is evicted after its session timeout; bad input gets error codes.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KafkaConnection } from '../client/kafka-connection.js';
import { OFFSETS_TOPIC } from '../groups/limits.js';
import { ApiKey, ErrorCode, type JoinGroupRequest } from '../protocol/index.js';
import { encodeRecordBatch } from '../records/record-batch-encoder.js';
import { Broker, type BrokerOptions } from './broker.js';

let dataDir: string;
let broker: Broker;
let connection: KafkaConnection;

const options = (): BrokerOptions => ({ dataDir, defaultPartitions: 2, groups: { initialRebalanceDelayMs: 0, minSessionTimeoutMs: 100, offsetsTopicPartitions: 3 } });

/** Like every client, ask FindCoordinator first: it creates __consumer_offsets on first use. */
async function start(): Promise<void> {
  broker = await Broker.start(options());
  connection = new KafkaConnection({ host: '127.0.0.1', port: broker.address().port }, 'group-test');
  expect((await connection.request(ApiKey.FindCoordinator, 2, { key: 'g', keyType: 0 })).errorCode).toBe(0);
}

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'barista-groups-'));
  await start();
});

afterEach(async () => {
  await connection.close();
  await broker.close();
  await rm(dataDir, { recursive: true, force: true });
});

const joinRequest = (memberId: string, overrides: Partial<JoinGroupRequest> = {}): JoinGroupRequest => ({
  groupId: 'g', sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 10_000, memberId, groupInstanceId: null, protocolType: 'consumer',
  protocols: [{ name: 'range', metadata: Buffer.from('subscription') }], ...overrides,
});

async function joinAndSync(groupId = 'g'): Promise<{ memberId: string; generationId: number }> {
  const first = await connection.request(ApiKey.JoinGroup, 5, joinRequest('', { groupId }));
  expect(first.errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED);
  const joined = await connection.request(ApiKey.JoinGroup, 5, joinRequest(first.memberId, { groupId }));
  expect(joined).toMatchObject({ errorCode: 0, generationId: 1, leader: first.memberId, protocolName: 'range' });
  const synced = await connection.request(ApiKey.SyncGroup, 3, { groupId, generationId: 1, memberId: first.memberId, groupInstanceId: null, assignments: [{ memberId: first.memberId, assignment: Buffer.from('all of it') }] });
  expect(synced).toMatchObject({ errorCode: 0, assignment: Buffer.from('all of it') });
  return { memberId: first.memberId, generationId: 1 };
}

describe('group coordinator on a real broker', () => {
  it('names itself coordinator after creating __consumer_offsets', async () => {
    const found = await connection.request(ApiKey.FindCoordinator, 2, { key: 'g', keyType: 0 });
    expect(found).toMatchObject({ errorCode: 0, nodeId: broker.nodeId, port: broker.address().port });
    expect(broker.view.snapshot.topics.get(OFFSETS_TOPIC)?.assignment).toHaveLength(3);
    const metadata = await connection.request(ApiKey.Metadata, 1, { topics: [OFFSETS_TOPIC], allowAutoTopicCreation: false });
    expect(metadata.topics[0]).toMatchObject({ name: OFFSETS_TOPIC, isInternal: true, errorCode: 0 });
    expect((await connection.request(ApiKey.FindCoordinator, 0, { key: '', keyType: 0 })).errorCode).toBe(ErrorCode.INVALID_GROUP_ID);
    expect((await connection.request(ApiKey.FindCoordinator, 1, { key: 'tx', keyType: 1 })).errorCode).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
  });

  it('joins, syncs, heartbeats, commits, lists, describes and leaves', async () => {
    await connection.request(ApiKey.Metadata, 4, { topics: ['orders'], allowAutoTopicCreation: true });
    const { memberId } = await joinAndSync();
    expect((await connection.request(ApiKey.Heartbeat, 3, { groupId: 'g', generationId: 1, memberId, groupInstanceId: null })).errorCode).toBe(0);
    expect((await connection.request(ApiKey.Heartbeat, 0, { groupId: 'g', generationId: 0, memberId, groupInstanceId: null })).errorCode).toBe(ErrorCode.ILLEGAL_GENERATION);
    const partition = (partitionIndex: number, offset: bigint) => ({ partitionIndex, committedOffset: offset, committedLeaderEpoch: -1, commitTimestampMs: -1n, committedMetadata: 'm' });
    const committed = await connection.request(ApiKey.OffsetCommit, 7, { groupId: 'g', generationId: 1, memberId, groupInstanceId: null, retentionTimeMs: -1n, topics: [{ name: 'orders', partitions: [partition(0, 42n), partition(1, 7n), partition(9, 1n)] }, { name: 'nope', partitions: [partition(0, 1n)] }] });
    expect(committed.topics.map((topic) => topic.partitions.map((each) => each.errorCode))).toEqual([[0, 0, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION], [ErrorCode.UNKNOWN_TOPIC_OR_PARTITION]]);
    const fetched = await connection.request(ApiKey.OffsetFetch, 5, { groupId: 'g', topics: [{ name: 'orders', partitionIndexes: [0, 1, 5] }] });
    expect(fetched.topics[0]?.partitions.map((each) => each.committedOffset)).toEqual([42n, 7n, -1n]);
    const all = await connection.request(ApiKey.OffsetFetch, 2, { groupId: 'g', topics: null });
    expect(all.topics).toEqual([{ name: 'orders', partitions: expect.arrayContaining([expect.objectContaining({ partitionIndex: 1, committedOffset: 7n })]) }]);
    expect((await connection.request(ApiKey.ListGroups, 2, {})).groups).toEqual([{ groupId: 'g', protocolType: 'consumer' }]);
    const described = await connection.request(ApiKey.DescribeGroups, 4, { groups: ['g', 'unknown'], includeAuthorizedOperations: false });
    expect(described.groups.map((group) => [group.groupState, group.protocolData, group.members.length])).toEqual([['Stable', 'range', 1], ['Dead', '', 0]]);
    expect(described.groups[0]?.members[0]).toMatchObject({ clientId: 'group-test', memberAssignment: Buffer.from('all of it') });
    const left = await connection.request(ApiKey.LeaveGroup, 3, { groupId: 'g', members: [{ memberId, groupInstanceId: null }, { memberId: 'ghost', groupInstanceId: null }] });
    expect(left.members.map((member) => member.errorCode)).toEqual([0, ErrorCode.UNKNOWN_MEMBER_ID]);
    const afterLeave = await connection.request(ApiKey.DescribeGroups, 0, { groups: ['g'], includeAuthorizedOperations: false });
    expect(afterLeave.groups[0]?.groupState).toBe('Empty');
  });

  it('reloads committed offsets and the group from __consumer_offsets after a restart', async () => {
    await connection.request(ApiKey.Metadata, 4, { topics: ['orders'], allowAutoTopicCreation: true });
    const { memberId } = await joinAndSync();
    const partitions = [{ partitionIndex: 1, committedOffset: 99n, committedLeaderEpoch: 3, commitTimestampMs: -1n, committedMetadata: null }];
    const committed = await connection.request(ApiKey.OffsetCommit, 6, { groupId: 'g', generationId: 1, memberId, groupInstanceId: null, retentionTimeMs: -1n, topics: [{ name: 'orders', partitions }] });
    expect(committed.topics[0]?.partitions[0]?.errorCode).toBe(0);
    await connection.close();
    await broker.close();
    await start();
    const fetched = await connection.request(ApiKey.OffsetFetch, 5, { groupId: 'g', topics: [{ name: 'orders', partitionIndexes: [1] }] });
    expect(fetched.topics[0]?.partitions[0]).toMatchObject({ committedOffset: 99n, committedLeaderEpoch: 3, errorCode: 0 });
    // The member survived in the stored group metadata: it keeps its generation.
    expect((await connection.request(ApiKey.Heartbeat, 3, { groupId: 'g', generationId: 1, memberId, groupInstanceId: null })).errorCode).toBe(0);
  });

  it('evicts a member that stops heartbeating after its session timeout', async () => {
    const first = await connection.request(ApiKey.JoinGroup, 1, joinRequest('', { sessionTimeoutMs: 300 }));
    expect(first.errorCode).toBe(0);
    await connection.request(ApiKey.SyncGroup, 1, { groupId: 'g', generationId: 1, memberId: first.memberId, groupInstanceId: null, assignments: [] });
    const started = Date.now();
    for (;;) {
      const described = await connection.request(ApiKey.DescribeGroups, 1, { groups: ['g'], includeAuthorizedOperations: false });
      if (described.groups[0]?.members.length === 0) break;
      expect(Date.now() - started).toBeLessThan(5_000);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect((await connection.request(ApiKey.Heartbeat, 1, { groupId: 'g', generationId: 1, memberId: first.memberId, groupInstanceId: null })).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('answers malformed and oversized group requests with error codes and keeps serving', async () => {
    const huge = Buffer.alloc(1024 * 1024);
    expect((await connection.request(ApiKey.JoinGroup, 5, joinRequest('', { protocols: [{ name: 'range', metadata: huge }] }))).errorCode).toBe(ErrorCode.INVALID_REQUEST);
    expect((await connection.request(ApiKey.JoinGroup, 5, joinRequest('', { groupId: '' }))).errorCode).toBe(ErrorCode.INVALID_GROUP_ID);
    expect((await connection.request(ApiKey.JoinGroup, 5, joinRequest('', { sessionTimeoutMs: 1 }))).errorCode).toBe(ErrorCode.INVALID_SESSION_TIMEOUT);
    expect((await connection.request(ApiKey.JoinGroup, 5, joinRequest('', { protocols: [] }))).errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    expect((await connection.request(ApiKey.JoinGroup, 5, joinRequest('', { rebalanceTimeoutMs: -5 }))).errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED);
    expect((await connection.request(ApiKey.SyncGroup, 3, { groupId: 'g', generationId: 1, memberId: 'x', groupInstanceId: null, assignments: [{ memberId: 'x', assignment: huge }] })).errorCode).toBe(ErrorCode.INVALID_REQUEST);
    expect((await connection.request(ApiKey.SyncGroup, 0, { groupId: 'nobody', generationId: 1, memberId: 'x', groupInstanceId: null, assignments: [] })).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    const longMetadata = [{ partitionIndex: 0, committedOffset: 1n, committedLeaderEpoch: -1, commitTimestampMs: -1n, committedMetadata: 'x'.repeat(5000) }];
    await connection.request(ApiKey.Metadata, 4, { topics: ['orders'], allowAutoTopicCreation: true });
    const commit = await connection.request(ApiKey.OffsetCommit, 0, { groupId: 'simple', generationId: -1, memberId: '', groupInstanceId: null, retentionTimeMs: -1n, topics: [{ name: 'orders', partitions: longMetadata }] });
    expect(commit.topics[0]?.partitions[0]?.errorCode).toBe(ErrorCode.OFFSET_METADATA_TOO_LARGE);
    expect((await connection.request(ApiKey.ApiVersions, 0, { clientSoftwareName: null, clientSoftwareVersion: null })).errorCode).toBe(0);
  });
});

describe('__consumer_offsets written by someone else', () => {
  it('skips records it cannot read when loading, and still coordinates', async () => {
    const { memberId } = await joinAndSync();
    const partitions = [{ partitionIndex: 0, committedOffset: 5n, committedLeaderEpoch: -1, commitTimestampMs: -1n, committedMetadata: null }];
    await connection.request(ApiKey.Metadata, 4, { topics: ['orders'], allowAutoTopicCreation: true });
    await connection.request(ApiKey.OffsetCommit, 5, { groupId: 'g', generationId: 1, memberId, groupInstanceId: null, retentionTimeMs: -1n, topics: [{ name: 'orders', partitions }] });
    // Garbage keys and values in every offsets partition, as a broken tool writing the log could
    // leave them (clients cannot: their Produce is refused, internal-topics.test.ts).
    const garbage = encodeRecordBatch([{ key: Buffer.from([0, 9, 1]), value: Buffer.from('x') }, { key: Buffer.alloc(0), value: null }, { key: Buffer.from([0, 1, 0, 50]), value: Buffer.from([0, 3]) }], Date.now());
    for (const partition of [0, 1, 2]) {
      const replica = broker.replicas.replica(OFFSETS_TOPIC, partition)!;
      await replica.log.append(garbage, replica.leaderEpoch);
    }
    await connection.close();
    await broker.close();
    await start();
    const fetched = await connection.request(ApiKey.OffsetFetch, 5, { groupId: 'g', topics: [{ name: 'orders', partitionIndexes: [0] }] });
    expect(fetched.topics[0]?.partitions[0]).toMatchObject({ committedOffset: 5n, errorCode: 0 });
    expect((await connection.request(ApiKey.Heartbeat, 3, { groupId: 'g', generationId: 1, memberId, groupInstanceId: null })).errorCode).toBe(0);
  });
});
