/**
 * Three brokers with security on: followers authenticate to leaders as the inter-broker user, so
 * an acks=all produce is replicated to all three and survives the leader's shutdown; the
 * controller (through coord) moves leadership as usual.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { CoordNode } from '../../coord/coord-node.js';
import { Broker } from '../broker/broker.js';
import type { SecurityOptions } from './config.js';

const SECURITY: SecurityOptions = {
  users: { broker: { plain: 'broker-secret' }, alice: { scram: { sha512: 'alice-secret' } } },
  acls: [{ principal: 'User:alice', resourceType: 'topic', name: '*', operations: ['all'] }, { principal: 'User:alice', resourceType: 'group', name: '*', operations: ['all'] }],
  interBroker: { username: 'broker', password: 'broker-secret' },
};

describe('a secured 3-broker cluster', () => {
  let workDir: string;
  let coord: CoordNode;
  const brokers = new Map<number, Broker>();

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'secured-cluster-'));
    coord = await CoordNode.start({ serverId: 1, members: new Map(), dataDir: join(workDir, 'coord'), clientPort: 0 });
    for (const id of [1, 2, 3]) {
      brokers.set(id, await Broker.start({ nodeId: id, dataDir: join(workDir, `broker-${id}`), coord: `127.0.0.1:${coord.clientPort}`, coordSessionTimeoutMs: 4_000, replication: { minInsyncReplicas: 2, replicaLagTimeMaxMs: 2_000 }, security: SECURITY }));
    }
  });
  afterAll(async () => {
    for (const broker of brokers.values()) await broker.close().catch(() => undefined);
    await coord.stop();
    await rm(workDir, { recursive: true, force: true });
  });

  it('replicates acks=all produces between authenticated brokers and keeps them across a leader change', async () => {
    const bootstrap = () => [...brokers.values()].map((broker) => `127.0.0.1:${broker.address().port}`);
    const kafka = () => new Kafka({ clientId: 'secured', brokers: bootstrap(), sasl: { mechanism: 'scram-sha-512', username: 'alice', password: 'alice-secret' }, logLevel: logLevel.NOTHING });
    const admin = kafka().admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'replicated', numPartitions: 1, replicationFactor: 3 }], waitForLeaders: true });
    await admin.disconnect();
    const producer = kafka().producer();
    await producer.connect();
    await producer.send({ topic: 'replicated', acks: -1, messages: Array.from({ length: 20 }, (_, i) => ({ value: `v${i}` })) });
    await producer.disconnect();
    const leaderId = [...brokers.values()][0]?.view.snapshot.topics.get('replicated')?.states.get(0)?.state.leader as number;
    // acks=all: at least min.insync.replicas (2) brokers hold every record, through follower fetches.
    expect([...brokers.values()].filter((broker) => broker.replicas.replica('replicated', 0)?.log.logEndOffset === 20).length).toBeGreaterThanOrEqual(2);
    await brokers.get(leaderId)?.close();
    brokers.delete(leaderId);
    const consumer = kafka().consumer({ groupId: 'after-move' });
    await consumer.connect();
    await consumer.subscribe({ topic: 'replicated', fromBeginning: true });
    const values: string[] = [];
    await new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message }) => {
          values.push(message.value?.toString() ?? '');
          if (values.length === 20) resolve();
        },
      });
    });
    await consumer.disconnect();
    expect(values).toEqual(Array.from({ length: 20 }, (_, i) => `v${i}`));
  }, 60_000);
});
