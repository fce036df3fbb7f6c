/**
 * kill -9 of the broker that coordinates a consumer group while three kafkajs members consume
 * and a producer keeps writing (acks=all): the group moves to the new leader of its
 * `__consumer_offsets` partition (replicated on all three brokers), no committed offset goes
 * backwards, and every offset of every partition is consumed at least once — at-least-once
 * delivery holds across the move.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AssignerProtocol, Kafka, logLevel, type Admin, type Consumer, type Producer } from 'kafkajs';
import { KafkaConnection } from '../../core/log/client/kafka-connection.js';
import { ApiKey } from '../../core/log/protocol/index.js';
import { startCoordEnsemble } from '../support/coord.js';
import { BrokerCluster } from '../support/log-brokers.js';
import { until as poll } from '../support/until.js';

const TOPIC = 'orders';
const GROUP = 'order-readers';
const PARTITIONS = 6;
const MEMBERS = 3;
const BROKERS = [1, 2, 3];
const RECORDS_PER_HALF = 600;
const PRODUCE_BATCH = 20;
const KEYS = 97;
const SESSION_TIMEOUT_MS = 3_000;
const COORD_TICK_MS = 500;
const REPLICA_LAG_TIME_MAX_MS = 3_000;
const OFFSETS_TOPIC = '__consumer_offsets';
/** kafkajs's default is 30 s: members stuck on the dead broker would hold the rebalance that long. */
const MEMBER_SESSION_TIMEOUT_MS = 10_000;

/** Failovers wait out coord session timeouts: poll slower and longer than the default. */
const until = (what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 45_000) => poll(what, condition, timeoutMs, 100);

interface Consumed {
  partition: number;
  offset: number;
  value: string;
}

describe('consumer group under kill -9 of its coordinator', () => {
  const cleanup: Array<() => Promise<unknown>> = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
  });

  it('moves the group, keeps every committed offset and consumes every record at least once', async () => {
    const workDir = await mkdtemp(join(tmpdir(), 'barista-group-crash-'));
    cleanup.push(() => rm(workDir, { recursive: true, force: true }));
    const coord = await startCoordEnsemble({ servers: 1, tickTimeMs: COORD_TICK_MS });
    cleanup.push(() => coord.stop());
    // No --replication-factor: __consumer_offsets (created on the first FindCoordinator) gets three replicas anyway.
    const brokers = await BrokerCluster.start({ ids: BROKERS, workDir, coord: coord.connectString, sessionTimeoutMs: SESSION_TIMEOUT_MS, minInsyncReplicas: 2, replicaLagTimeMaxMs: REPLICA_LAG_TIME_MAX_MS });
    cleanup.push(() => brokers.stop());

    const kafka = new Kafka({ brokers: brokers.bootstrap, clientId: 'group-crash', logLevel: logLevel.NOTHING, retry: { retries: 8 } });
    const admin: Admin = kafka.admin();
    await admin.connect();
    cleanup.push(() => admin.disconnect());
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: PARTITIONS, replicationFactor: 3 }] });
    await until('all partitions fully in sync', async () => {
      const partitions = (await admin.fetchTopicMetadata({ topics: [TOPIC] })).topics[0]!.partitions;
      return partitions.length === PARTITIONS && partitions.every((p) => p.leader >= 0 && p.isr.length === 3);
    });

    // Records are sent one batch at a time until acknowledged; a failed batch is sent again
    // (duplicates are allowed, losses are not). The key picks the partition. kafkajs 2.2 resolves a
    // send without writing the records of a partition whose leader moved, during its retries, to a
    // broker that had already answered for other partitions of the batch (sendMessages keeps one
    // response per broker): only partitions present in the send's result count as acknowledged,
    // the others are sent again.
    const producer: Producer = kafka.producer({ retry: { retries: 10 } });
    await producer.connect();
    cleanup.push(() => producer.disconnect());
    const acknowledged = new Set<string>();
    let produced = 0;
    const produceUpTo = async (total: number) => {
      let pending: Array<{ key: string; value: string; partition: number }> = [];
      while (produced < total || pending.length > 0) {
        while (pending.length < PRODUCE_BATCH && produced < total) {
          const key = produced % KEYS;
          pending.push({ key: `key-${key}`, value: `record-${produced}`, partition: key % PARTITIONS });
          produced++;
        }
        try {
          const result = await producer.send({ topic: TOPIC, acks: -1, timeout: 5_000, messages: pending });
          const written = new Set(result.map((partition) => partition.partition));
          for (const message of pending) if (written.has(message.partition)) acknowledged.add(message.value);
          pending = pending.filter((message) => !written.has(message.partition));
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      }
    };

    const consumed: Consumed[] = [];
    const seen = new Set<string>();
    const joins: Array<{ atMs: number; memberId: string }> = [];
    const commits: number[] = [];
    const consumers: Consumer[] = [];
    cleanup.push(() => Promise.all(consumers.map((consumer) => consumer.disconnect())));
    for (let member = 0; member < MEMBERS; member++) {
      // Commits after every batch (kafkajs autoCommit without interval or threshold). kafkajs's
      // default retries: a member whose fetches keep failing on the dead broker restarts and rejoins
      // (it refreshes no metadata before); a shorter session evicts the members that do not.
      const consumer = kafka.consumer({ groupId: GROUP, sessionTimeout: MEMBER_SESSION_TIMEOUT_MS, heartbeatInterval: MEMBER_SESSION_TIMEOUT_MS / 10 });
      consumer.on(consumer.events.GROUP_JOIN, (event) => joins.push({ atMs: Date.now(), memberId: event.payload.memberId }));
      consumer.on(consumer.events.COMMIT_OFFSETS, () => commits.push(Date.now()));
      await consumer.connect();
      await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ partition, message }) => {
          const value = message.value?.toString() ?? '';
          consumed.push({ partition, offset: Number(message.offset), value });
          seen.add(value);
        },
      });
      consumers.push(consumer);
    }

    await produceUpTo(RECORDS_PER_HALF);
    await until('the first half consumed', () => [...acknowledged].every((value) => seen.has(value)));
    const describeGroup = async () => (await admin.describeGroups([GROUP])).groups[0]!;
    await until('three members in a stable group', async () => {
      const group = await describeGroup();
      return group.state === 'Stable' && group.members.length === MEMBERS;
    });

    // The offsets topic is replicated on every broker: its leader's death cannot take the commits with it.
    const offsetsTopic = (await admin.fetchTopicMetadata({ topics: [OFFSETS_TOPIC] })).topics[0]!;
    expect(offsetsTopic.partitions.every((partition) => partition.replicas.length === 3)).toBe(true);

    const findCoordinator = async (viaBroker: number): Promise<number> => {
      const connection = new KafkaConnection({ host: '127.0.0.1', port: brokers.port(viaBroker) }, 'group-crash-probe', { requestTimeoutMs: 2_000 });
      try {
        const found = await connection.request(ApiKey.FindCoordinator, 2, { key: GROUP, keyType: 0 });
        return found.errorCode === 0 ? found.nodeId : -1;
      } finally {
        await connection.close();
      }
    };
    const coordinator = await findCoordinator(1);
    expect(BROKERS).toContain(coordinator);

    // The second half: produced while the coordinator dies.
    const secondHalf = produceUpTo(2 * RECORDS_PER_HALF);
    await until('part of the second half produced', () => produced >= RECORDS_PER_HALF + RECORDS_PER_HALF / 4);
    const committedBefore = await admin.fetchOffsets({ groupId: GROUP, topics: [TOPIC] });
    const joinsBeforeKill = joins.length;
    const killedAtMs = Date.now();
    await brokers.kill9(coordinator);
    const survivors = BROKERS.filter((id) => id !== coordinator);

    let movedTo = -1;
    await until('a surviving broker coordinates the group', async () => {
      movedTo = await findCoordinator(survivors[0]!);
      return survivors.includes(movedTo);
    });
    const coordinatorMovedMs = Date.now() - killedAtMs;
    await until('a commit after the move', () => commits.some((atMs) => atMs > killedAtMs + coordinatorMovedMs));
    const committingAgainMs = commits.find((atMs) => atMs > killedAtMs + coordinatorMovedMs)! - killedAtMs;
    await secondHalf;

    // Caught up: the group has committed the end of every partition (nothing is produced any more).
    const ends = await admin.fetchTopicOffsets(TOPIC);
    const endOf = (partition: number) => Number(ends.find((end) => end.partition === partition)!.high);
    await until('the group committed up to the end of every partition', async () => {
      const committed = (await admin.fetchOffsets({ groupId: GROUP, topics: [TOPIC] }))[0]!.partitions;
      return committed.every(({ partition, offset }) => Number(offset) === endOf(partition));
    }, 90_000);
    await until('three members in a stable group on a surviving broker', async () => {
      const group = await describeGroup();
      return group.state === 'Stable' && group.members.length === MEMBERS && survivors.includes(await findCoordinator(survivors[0]!));
    });

    // No committed offset went backwards.
    const committedAfter = (await admin.fetchOffsets({ groupId: GROUP, topics: [TOPIC] }))[0]!.partitions;
    const regressions = committedBefore[0]!.partitions.filter(({ partition, offset }) => Number(committedAfter.find((after) => after.partition === partition)!.offset) < Number(offset));
    expect(regressions).toEqual([]);
    expect(committedBefore[0]!.partitions.some(({ offset }) => Number(offset) > 0)).toBe(true);

    // No record skipped: every offset below each partition's end was handed to a member.
    const skipped: string[] = [];
    for (let partition = 0; partition < PARTITIONS; partition++) {
      const offsets = new Set(consumed.filter((record) => record.partition === partition).map((record) => record.offset));
      for (let offset = 0; offset < endOf(partition); offset++) if (!offsets.has(offset)) skipped.push(`${partition}@${offset}`);
    }
    expect(skipped).toEqual([]);
    expect(acknowledged.size).toBe(2 * RECORDS_PER_HALF);
    expect([...acknowledged].filter((value) => !seen.has(value))).toEqual([]);

    // The members share all six partitions.
    const group = await describeGroup();
    expect(group.members).toHaveLength(MEMBERS);
    const assigned = group.members.flatMap((member) => AssignerProtocol.MemberAssignment.decode(member.memberAssignment)?.assignment[TOPIC] ?? []);
    expect(assigned.sort((a, b) => a - b)).toEqual(Array.from({ length: PARTITIONS }, (_, partition) => partition));
    const redelivered = consumed.length - new Set(consumed.map((record) => `${record.partition}@${record.offset}`)).size;
    process.stdout.write(
      `group coordinator crash: broker ${coordinator} killed, group moved to broker ${movedTo} after ${coordinatorMovedMs} ms, ` +
        `first commit after the move at ${committingAgainMs} ms, ${joins.length - joinsBeforeKill} rejoins, ${redelivered} records redelivered\n`,
    );
  }, 150_000);
});
