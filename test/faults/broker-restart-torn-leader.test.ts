/**
 * The leader of a replicated partition, which is also the controller, is killed (-9) with the tail
 * of its log torn — its last, acknowledged record gone from its disk — and restarted at once. Its
 * old registration and /controller node live on until the session expires; the restarted broker
 * registers again right after and may be elected controller again, having never seen itself gone. Found by the nemesis (broker-log, seed 20261126): the
 * restarted broker took its old leadership back, and the followers truncated the acknowledged
 * record to match its log. A broker now never leads on a leadership decided before it registered,
 * and the controller re-elects for a restarted broker (core/log/controller/election.ts).
 */
import { afterAll, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { PartitionReader } from '../../core/log/client/partition-reader.js';
import { startCoordEnsemble } from '../support/coord.js';
import { BrokerCluster } from '../support/log-brokers.js';
import { checkPartitionHistory, type AckedRecord, type ConsumedRecord } from '../support/log-checker.js';
import { until } from '../support/until.js';
import { tearNewestFile } from './harness/nemesis.js';

const TOPIC = 'torn-leader';
const BROKER_IDS = [1, 2, 3];
const RECORDS = 40;
/** Less than one record batch (~70 bytes): the last acknowledged record is torn, no more. */
const TORN_BYTES = 20;
const SESSION_TIMEOUT_MS = 3_000;
const ROUNDS = 3;

const cleanup: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
}, 60_000);

async function readAll(port: number, partition: number): Promise<ConsumedRecord[]> {
  const reader = new PartitionReader({ host: '127.0.0.1', port });
  const consumed: ConsumedRecord[] = [];
  try {
    for (let offset = 0; ; ) {
      const { records, nextOffset, highWatermark } = await reader.fetch(TOPIC, partition, offset, { maxWaitMs: 100 });
      consumed.push(...records.map((record) => ({ value: record.value?.toString() ?? '', offset: record.offset })));
      offset = nextOffset;
      if (offset >= highWatermark) return consumed;
    }
  } finally {
    await reader.close();
  }
}

it('keeps the acknowledged records a restarted leader tore off its own log', async () => {
  const workDir = await mkdtemp(join(tmpdir(), 'barista-torn-leader-'));
  cleanup.push(() => rm(workDir, { recursive: true, force: true }));
  const coord = await startCoordEnsemble({ servers: 1, tickTimeMs: 500 });
  cleanup.push(() => coord.stop());
  const brokers = await BrokerCluster.start({ ids: BROKER_IDS, workDir, coord: coord.connectString, sessionTimeoutMs: SESSION_TIMEOUT_MS, minInsyncReplicas: 2, replicaLagTimeMaxMs: 10_000 });
  cleanup.push(() => brokers.stop());
  const kafka = new Kafka({ brokers: brokers.bootstrap, clientId: 'torn-leader', logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  cleanup.push(() => admin.disconnect());
  await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: BROKER_IDS.length, replicationFactor: 3 }], waitForLeaders: true });
  const metadata = async () => (await admin.fetchTopicMetadata({ topics: [TOPIC] })).topics[0]!.partitions;
  const allLedInSync = async () => (await metadata()).every(({ leader, isr }) => leader >= 0 && isr.length === BROKER_IDS.length);
  const acked = new Map<number, AckedRecord[]>();

  for (let round = 0; round < ROUNDS; round += 1) {
    await until('every partition led with a full ISR', allLedInSync, 60_000, 200);
    // The partition the controller leads: killing that broker kills both.
    const { controller } = await admin.describeCluster();
    const target = (await metadata()).find((p) => p.leader === controller)?.partitionId ?? 0;
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    for (let n = 0; n < RECORDS; n += 1) {
      const value = `r${round}-${n}`;
      const [result] = await producer.send({ topic: TOPIC, acks: -1, messages: [{ value, partition: target }] });
      acked.set(target, [...(acked.get(target) ?? []), { value, offset: Number(result!.baseOffset) }]);
    }
    await producer.disconnect();

    const leader = (await metadata()).find((p) => p.partitionId === target)!.leader;
    await brokers.kill9(leader);
    const torn = await tearNewestFile({ directory: join(brokers.dataDir(leader), `${TOPIC}-${target}`), pattern: /^\d{20}\.log$/ }, TORN_BYTES);
    expect(torn).toMatch(/^tore/);
    await brokers.startBroker(leader);
  }

  await until('every partition led with a full ISR after the restarts', allLedInSync, 60_000, 200);
  for (const { partitionId, leader } of await metadata()) {
    expect(checkPartitionHistory(acked.get(partitionId) ?? [], await readAll(brokers.port(leader), partitionId))).toEqual([]);
  }
}, 180_000);
