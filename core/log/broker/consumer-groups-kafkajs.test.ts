/**
 * kafkajs consumer groups against a real broker: three members over a six-partition topic share
 * the partitions (each assigned exactly once) and consume every record; a member leaving hands
 * its partitions to the others; a restarted group resumes from its committed offsets.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AssignerProtocol, Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';
import { KafkaConnection } from '../client/kafka-connection.js';
import { ApiKey, ErrorCode } from '../protocol/index.js';
import { until } from '../../../test/support/until.js';
import { Broker } from './broker.js';

const TOPIC = 'orders';
const PARTITIONS = 6;

let dataDir: string;
let broker: Broker;
let kafka: Kafka;
let producer: Producer;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'barista-kafkajs-groups-'));
  broker = await Broker.start({ dataDir, groups: { initialRebalanceDelayMs: 300 } });
  kafka = new Kafka({ clientId: 'groups-test', brokers: [`127.0.0.1:${broker.address().port}`], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: PARTITIONS, replicationFactor: 1 }] });
  await admin.disconnect();
  producer = kafka.producer();
  await producer.connect();
});

afterAll(async () => {
  await producer.disconnect();
  await broker.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function produce(prefix: string, count: number): Promise<void> {
  const messages = Array.from({ length: count }, (_, index) => ({ value: `${prefix}-${index}`, partition: index % PARTITIONS }));
  await producer.send({ topic: TOPIC, messages });
}

interface Member {
  consumer: Consumer;
  /** Partitions in the member's latest assignment. */
  assigned: number[];
}

function startMember(groupId: string, seen: Map<string, number>): Promise<Member> {
  const consumer = kafka.consumer({ groupId, sessionTimeout: 6_000, heartbeatInterval: 300, rebalanceTimeout: 10_000, maxWaitTimeInMs: 200 });
  const member: Member = { consumer, assigned: [] };
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    member.assigned = (payload.memberAssignment[TOPIC] ?? []).slice().sort((a, b) => a - b);
  });
  return (async () => {
    await consumer.connect();
    await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const value = message.value?.toString() ?? '';
        seen.set(value, (seen.get(value) ?? 0) + 1);
      },
    });
    return member;
  })();
}

const allAssigned = (members: Member[]) => members.flatMap((member) => member.assigned).sort((a, b) => a - b);
const everyPartition = Array.from({ length: PARTITIONS }, (_, index) => index);

describe('kafkajs consumer groups', () => {
  it('three members split six partitions, consume everything, rebalance on leave and resume from commits', async () => {
    await produce('first', 600);
    const seen = new Map<string, number>();
    const members = await Promise.all([0, 1, 2].map(() => startMember('g-three', seen)));
    await until('every partition assigned exactly once', () => JSON.stringify(allAssigned(members)) === JSON.stringify(everyPartition), 20_000);
    for (const member of members) expect(member.assigned).toHaveLength(2);
    await until('all 600 records consumed', () => [...seen.keys()].filter((key) => key.startsWith('first-')).length === 600, 20_000);

    // One member leaves: the other two take its partitions.
    const [leaving, ...staying] = members as [Member, Member, Member];
    await leaving.consumer.disconnect();
    await until('the two remaining members own all six partitions', () => JSON.stringify(allAssigned(staying)) === JSON.stringify(everyPartition), 20_000);
    await produce('second', 60);
    await until('records after the rebalance consumed', () => [...seen.keys()].filter((key) => key.startsWith('second-')).length === 60, 20_000);

    // Everyone stops (kafkajs commits on the way out); a new member resumes where they left off.
    await Promise.all(staying.map((member) => member.consumer.disconnect()));
    const admin = kafka.admin();
    await admin.connect();
    const offsets = await admin.fetchOffsets({ groupId: 'g-three', topics: [TOPIC] });
    await admin.disconnect();
    expect(offsets[0]?.partitions.reduce((sum, partition) => sum + Number(partition.offset), 0)).toBe(660);
    await produce('third', 30);
    const resumed = new Map<string, number>();
    const fresh = await startMember('g-three', resumed);
    await until('the records produced while nobody consumed', () => resumed.size >= 30, 20_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect([...resumed.keys()].every((key) => key.startsWith('third-'))).toBe(true);
    expect(resumed.size).toBe(30);
    await fresh.consumer.disconnect();
  }, 90_000);

  it('evicts a member that stops heartbeating: its partitions move to the live member', async () => {
    const seen = new Map<string, number>();
    const live = await startMember('g-silent', seen);
    await until('the live member owns every partition', () => JSON.stringify(live.assigned) === JSON.stringify(everyPartition), 20_000);
    // A second member joins by hand, takes its share, then goes silent (no heartbeat, no LeaveGroup).
    const silent = new KafkaConnection({ host: '127.0.0.1', port: broker.address().port }, 'silent');
    const metadata = AssignerProtocol.MemberMetadata.encode({ version: 0, topics: [TOPIC], userData: Buffer.alloc(0) });
    const join = (memberId: string) => silent.request(ApiKey.JoinGroup, 5, { groupId: 'g-silent', sessionTimeoutMs: 1_500, rebalanceTimeoutMs: 10_000, memberId, groupInstanceId: null, protocolType: 'consumer', protocols: [{ name: 'RoundRobinAssigner', metadata }] });
    const first = await join('');
    expect(first.errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED);
    const joined = await join(first.memberId);
    expect(joined.errorCode).toBe(0);
    const synced = await silent.request(ApiKey.SyncGroup, 3, { groupId: 'g-silent', generationId: joined.generationId, memberId: first.memberId, groupInstanceId: null, assignments: [] });
    expect(synced.errorCode).toBe(0);
    const share = AssignerProtocol.MemberAssignment.decode(synced.assignment)?.assignment[TOPIC] ?? [];
    expect(share.length).toBe(3);
    await until('the live member owns the other half', () => live.assigned.length === 3 && live.assigned.every((partition) => !share.includes(partition)), 20_000);
    const silentSince = Date.now();
    await until('the silent member is evicted and the live member owns every partition again', () => JSON.stringify(live.assigned) === JSON.stringify(everyPartition), 20_000);
    expect(Date.now() - silentSince).toBeGreaterThanOrEqual(1_000);
    await produce('after-eviction', 60);
    await until('records on the moved partitions consumed', () => [...seen.keys()].filter((key) => key.startsWith('after-eviction-')).length === 60, 20_000);
    await silent.close();
    await live.consumer.disconnect();
  }, 60_000);
});
