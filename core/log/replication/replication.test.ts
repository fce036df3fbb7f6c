/**
 * Three brokers in one process around one coord server, driven by kafkajs: partitions are
 * replicated to every replica, acks=all waits for the ISR, consumers see only what is
 * replicated, leadership moves off a broker that leaves, and a returning broker catches up
 * and rejoins the ISR.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { CoordNode } from '../../coord/coord-node.js';
import { Broker, type BrokerOptions } from '../broker/broker.js';
import { PartitionReader } from '../client/partition-reader.js';
import { until } from '../../../test/support/until.js';

let workDir: string;
let coord: CoordNode;
const brokers = new Map<number, Broker>();

async function startBroker(id: number, extra: Partial<BrokerOptions> = {}): Promise<Broker> {
  const broker = await Broker.start({ nodeId: id, dataDir: join(workDir, `broker-${id}`), coord: `127.0.0.1:${coord.clientPort}`, coordSessionTimeoutMs: 4_000, replication: { minInsyncReplicas: 2, replicaLagTimeMaxMs: 2_000 }, ...extra });
  brokers.set(id, broker);
  return broker;
}


function partitionState(broker: Broker, topic: string, partition: number) {
  return broker.view.snapshot.topics.get(topic)?.states.get(partition)?.state;
}

function kafkaFor(...ids: number[]) {
  return new Kafka({ brokers: ids.map((id) => `127.0.0.1:${brokers.get(id)!.address().port}`), logLevel: logLevel.NOTHING, retry: { retries: 8, initialRetryTime: 100 } });
}

async function readAll(broker: Broker, topic: string, partition: number, until: number): Promise<string[]> {
  const reader = new PartitionReader({ host: '127.0.0.1', port: broker.address().port });
  const values: string[] = [];
  try {
    let offset = 0;
    while (offset < until) {
      const { records, nextOffset } = await reader.fetch(topic, partition, offset, { maxWaitMs: 200 });
      values.push(...records.map((record) => record.value?.toString() ?? ''));
      offset = nextOffset;
    }
  } finally {
    await reader.close();
  }
  return values;
}

beforeEach(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'barista-replication-'));
  coord = await CoordNode.start({ serverId: 1, members: new Map(), dataDir: join(workDir, 'coord'), clientPort: 0 });
  await Promise.all([1, 2, 3].map((id) => startBroker(id)));
});

afterEach(async () => {
  for (const broker of brokers.values()) await broker.close().catch(() => undefined);
  brokers.clear();
  await coord.stop();
  await rm(workDir, { recursive: true, force: true });
});

describe('replicated log', () => {
  it('elects exactly one controller', async () => {
    await until('a controller', () => [...brokers.values()].filter((broker) => broker.isController).length === 1);
    const controllerId = [...brokers.values()].find((broker) => broker.isController)!.nodeId;
    for (const broker of brokers.values()) await until('the controller in every view', () => broker.view.snapshot.controllerId === controllerId);
  });

  it('replicates acks=all writes to every ISR member, byte for byte', async () => {
    const admin = kafkaFor(1, 2, 3).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'orders', numPartitions: 2, replicationFactor: 3 }] });
    const metadata = await admin.fetchTopicMetadata({ topics: ['orders'] });
    await admin.disconnect();
    for (const partition of metadata.topics[0]!.partitions) {
      expect(partition.replicas.sort()).toEqual([1, 2, 3]);
      expect(partition.isr.sort()).toEqual([1, 2, 3]);
    }
    const producer = kafkaFor(1, 2, 3).producer();
    await producer.connect();
    for (let i = 0; i < 50; i++) await producer.send({ topic: 'orders', acks: -1, messages: [{ key: `k${i}`, value: `order-${i}`, partition: i % 2 }] });
    await producer.disconnect();
    for (const partition of [0, 1]) {
      const leader = partitionState(brokers.get(1)!, 'orders', partition)!.leader;
      const values = await readAll(brokers.get(leader)!, 'orders', partition, 25);
      expect(values).toEqual(Array.from({ length: 25 }, (_, i) => `order-${i * 2 + partition}`));
      // Every follower holds the same bytes up to the high watermark.
      const leaderLog = brokers.get(leader)!.replicas.replica('orders', partition)!.log;
      const leaderBytes = Buffer.concat(await leaderLog.readBuffers(0, 10 * 1024 * 1024));
      for (const id of [1, 2, 3].filter((other) => other !== leader)) {
        const log = brokers.get(id)!.replicas.replica('orders', partition)!.log;
        await until(`follower ${id} caught up`, () => log.logEndOffset === leaderLog.logEndOffset);
        expect(Buffer.concat(await log.readBuffers(0, 10 * 1024 * 1024))).toEqual(leaderBytes);
      }
    }
  });

  it('moves leadership off a broker that leaves and lets it rejoin the ISR when it returns', async () => {
    const admin = kafkaFor(1, 2, 3).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'moves', numPartitions: 1, replicationFactor: 3 }] });
    await admin.disconnect();
    const before = partitionState(brokers.get(1)!, 'moves', 0)!;
    const producer = kafkaFor(1, 2, 3).producer();
    await producer.connect();
    await producer.send({ topic: 'moves', acks: -1, messages: [{ value: 'before' }] });
    await brokers.get(before.leader)!.close();
    brokers.delete(before.leader);
    const survivor = [...brokers.values()][0]!;
    await until('a new leader', () => {
      const state = partitionState(survivor, 'moves', 0);
      return state !== undefined && state.leader !== before.leader && state.leader >= 0;
    });
    const after = partitionState(survivor, 'moves', 0)!;
    expect(after.leaderEpoch).toBeGreaterThan(before.leaderEpoch);
    expect(after.isr).not.toContain(before.leader);
    await producer.send({ topic: 'moves', acks: -1, messages: [{ value: 'during' }] });
    await producer.disconnect();
    await startBroker(before.leader);
    await until('the returning broker back in the ISR', () => partitionState(survivor, 'moves', 0)?.isr.includes(before.leader) ?? false);
    const leader = brokers.get(partitionState(survivor, 'moves', 0)!.leader)!;
    expect(await readAll(leader, 'moves', 0, 2)).toEqual(['before', 'during']);
  });

  it('refuses acks=all with NOT_ENOUGH_REPLICAS when the ISR is below min.insync.replicas', async () => {
    const admin = kafkaFor(1, 2, 3).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'scarce', numPartitions: 1, replicationFactor: 2 }] });
    await admin.disconnect();
    const state = partitionState(brokers.get(1)!, 'scarce', 0)!;
    const follower = state.isr.find((id) => id !== state.leader)!;
    await brokers.get(follower)!.close();
    brokers.delete(follower);
    await until('the ISR to shrink', () => partitionState(brokers.get(state.leader)!, 'scarce', 0)!.isr.length === 1);
    const producer = new Kafka({ brokers: [`127.0.0.1:${brokers.get(state.leader)!.address().port}`], logLevel: logLevel.NOTHING, retry: { retries: 0 } }).producer();
    await producer.connect();
    // The ISR shrink bumps the leader epoch: until the leader has applied it, it answers NOT_LEADER_OR_FOLLOWER.
    let refusal: unknown;
    await until('the leader to answer under its new epoch', async () => {
      refusal = await producer.send({ topic: 'scarce', acks: -1, messages: [{ value: 'x' }] }).then(() => undefined, (error: unknown) => error);
      return !/not the leader/i.test(String(refusal));
    });
    expect(String(refusal)).toMatch(/NOT_ENOUGH_REPLICAS|fewer in-sync replicas/i);
    await expect(producer.send({ topic: 'scarce', acks: 1, messages: [{ value: 'y' }] })).resolves.toBeDefined();
    await producer.disconnect();
  });
});
