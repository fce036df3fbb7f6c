/**
 * Coordination moves with the leadership of the group's `__consumer_offsets` partition: with the
 * topic replicated on three brokers, closing the coordinator makes another broker the leader,
 * which loads the group and its committed offsets from its replica of the log.
 */
import { afterEach, beforeEach, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoordNode } from '../../coord/coord-node.js';
import { until } from '../../../test/support/until.js';
import { KafkaConnection } from '../client/kafka-connection.js';
import { ApiKey } from '../protocol/index.js';
import { Broker } from './broker.js';

let workDir: string;
let coord: CoordNode;
const brokers = new Map<number, Broker>();
const connections: KafkaConnection[] = [];

beforeEach(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'barista-group-move-'));
  coord = await CoordNode.start({ serverId: 1, members: new Map(), dataDir: join(workDir, 'coord'), clientPort: 0 });
  for (const id of [1, 2, 3]) {
    brokers.set(id, await Broker.start({
      nodeId: id, dataDir: join(workDir, `broker-${id}`), coord: `127.0.0.1:${coord.clientPort}`, coordSessionTimeoutMs: 4_000,
      defaultReplicationFactor: 3, defaultPartitions: 2, replication: { minInsyncReplicas: 2, replicaLagTimeMaxMs: 2_000 },
      groups: { initialRebalanceDelayMs: 0, offsetsTopicPartitions: 2 },
    }));
  }
});

afterEach(async () => {
  await Promise.all(connections.splice(0).map((connection) => connection.close()));
  for (const broker of brokers.values()) await broker.close().catch(() => undefined);
  brokers.clear();
  await coord.stop();
  await rm(workDir, { recursive: true, force: true });
});

function connect(broker: Broker): KafkaConnection {
  const connection = new KafkaConnection({ host: '127.0.0.1', port: broker.address().port }, 'move-test');
  connections.push(connection);
  return connection;
}

it('moves a group and its committed offsets to the new leader of its offsets partition', async () => {
  const any = connect(brokers.get(1) as Broker);
  const found = await any.request(ApiKey.FindCoordinator, 2, { key: 'movers', keyType: 0 });
  expect(found.errorCode).toBe(0);
  await any.request(ApiKey.Metadata, 4, { topics: ['moves'], allowAutoTopicCreation: true });
  const coordinator = connect(brokers.get(found.nodeId) as Broker);
  const joinRequest = (memberId: string) => ({ groupId: 'movers', sessionTimeoutMs: 20_000, rebalanceTimeoutMs: 20_000, memberId, groupInstanceId: null, protocolType: 'consumer', protocols: [{ name: 'range', metadata: Buffer.from('s') }] });
  const joined = await coordinator.request(ApiKey.JoinGroup, 2, joinRequest(''));
  expect(joined.errorCode).toBe(0);
  await coordinator.request(ApiKey.SyncGroup, 2, { groupId: 'movers', generationId: joined.generationId, memberId: joined.memberId, groupInstanceId: null, assignments: [{ memberId: joined.memberId, assignment: Buffer.from('both') }] });
  const commit = await coordinator.request(ApiKey.OffsetCommit, 7, {
    groupId: 'movers', generationId: joined.generationId, memberId: joined.memberId, groupInstanceId: null, retentionTimeMs: -1n,
    topics: [{ name: 'moves', partitions: [0, 1].map((partitionIndex) => ({ partitionIndex, committedOffset: BigInt(100 + partitionIndex), committedLeaderEpoch: -1, commitTimestampMs: -1n, committedMetadata: '' })) }],
  });
  expect(commit.topics[0]?.partitions.map((partition) => partition.errorCode)).toEqual([0, 0]);

  await (brokers.get(found.nodeId) as Broker).close();
  brokers.delete(found.nodeId);
  const survivor = connect([...brokers.values()][0] as Broker);
  let moved = found;
  await until('another broker coordinates the group', async () => {
    moved = await survivor.request(ApiKey.FindCoordinator, 2, { key: 'movers', keyType: 0 });
    return moved.errorCode === 0 && moved.nodeId !== found.nodeId && brokers.has(moved.nodeId);
  }, 20_000);
  const next = connect(brokers.get(moved.nodeId) as Broker);
  let fetched = await next.request(ApiKey.OffsetFetch, 5, { groupId: 'movers', topics: [{ name: 'moves', partitionIndexes: [0, 1] }] });
  await until('the new coordinator has loaded the partition', async () => {
    fetched = await next.request(ApiKey.OffsetFetch, 5, { groupId: 'movers', topics: [{ name: 'moves', partitionIndexes: [0, 1] }] });
    return fetched.errorCode === 0;
  }, 10_000);
  expect(fetched.topics[0]?.partitions.map((partition) => partition.committedOffset)).toEqual([100n, 101n]);
  // The member's generation was stored too: it carries on without rejoining.
  expect((await next.request(ApiKey.Heartbeat, 3, { groupId: 'movers', generationId: joined.generationId, memberId: joined.memberId, groupInstanceId: null })).errorCode).toBe(0);
}, 60_000);
