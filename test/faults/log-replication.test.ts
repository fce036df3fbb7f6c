/**
 * Three broker processes around one coord server, a topic with three partitions, RF=3,
 * acks=all and min.insync.replicas=2. Producers write unique values continuously while the
 * leader of each partition in turn is killed with -9 and restarted. Afterwards every
 * acknowledged record is in the log exactly once, at the offset it was acknowledged with, in
 * acknowledgement order (test/support/log-checker.ts), and all three replicas of each
 * partition hold identical bytes.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import { PartitionReader } from '../../core/log/client/partition-reader.js';
import { PartitionLog } from '../../core/log/storage/index.js';
import { startCoordEnsemble } from '../support/coord.js';
import { BrokerCluster } from '../support/log-brokers.js';
import { checkPartitionHistory, type AckedRecord } from '../support/log-checker.js';
import { until as poll } from '../support/until.js';

const TOPIC = 'ledger';
const PARTITIONS = 3;
const BROKERS = [1, 2, 3];
const SESSION_TIMEOUT_MS = 3_000;
const COORD_TICK_MS = 500;
const REPLICA_LAG_TIME_MAX_MS = 3_000;

/** Failovers here wait out coord session timeouts: poll slower and longer than the default. */
const until = (what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 30_000) => poll(what, condition, timeoutMs, 200);

describe('replicated log under kill -9 of partition leaders', () => {
  const cleanup: Array<() => Promise<unknown>> = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
  });

  it('keeps every acknowledged record exactly once, in order, at its offset, on every replica', async () => {
    const workDir = await mkdtemp(join(tmpdir(), 'barista-log-faults-'));
    cleanup.push(() => rm(workDir, { recursive: true, force: true }));
    const coord = await startCoordEnsemble({ servers: 1, tickTimeMs: COORD_TICK_MS });
    cleanup.push(() => coord.stop());
    const brokers = await BrokerCluster.start({ ids: BROKERS, workDir, coord: coord.connectString, sessionTimeoutMs: SESSION_TIMEOUT_MS, minInsyncReplicas: 2, replicaLagTimeMaxMs: REPLICA_LAG_TIME_MAX_MS });
    cleanup.push(() => brokers.stop());

    const kafka = new Kafka({ brokers: brokers.bootstrap, clientId: 'log-faults', logLevel: logLevel.NOTHING, retry: { retries: 0 } });
    const admin: Admin = kafka.admin();
    await admin.connect();
    cleanup.push(() => admin.disconnect());
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: PARTITIONS, replicationFactor: 3 }] });
    const metadata = async () => (await admin.fetchTopicMetadata({ topics: [TOPIC] })).topics[0]!.partitions;
    const fullyReplicated = async () => (await metadata()).every((p) => p.leader >= 0 && p.isr.length === 3);
    await until('all partitions fully in sync', fullyReplicated);

    const acked: AckedRecord[][] = Array.from({ length: PARTITIONS }, () => []);
    let stopping = false;
    const produce = async (partition: number) => {
      let producer: Producer = kafka.producer({ retry: { retries: 0 } });
      await producer.connect();
      for (let n = 0; !stopping; n++) {
        const value = `p${partition}-${n}`;
        try {
          const [result] = await producer.send({ topic: TOPIC, acks: -1, timeout: 5_000, messages: [{ value, partition }] });
          acked[partition]!.push({ value, offset: Number(result!.baseOffset) });
        } catch {
          // Not acknowledged: the value may or may not be in the log. Refresh the metadata by reconnecting.
          await producer.disconnect().catch(() => undefined);
          await new Promise((resolve) => setTimeout(resolve, 200));
          producer = kafka.producer({ retry: { retries: 0 } });
          await producer.connect().catch(() => undefined);
        }
      }
      await producer.disconnect().catch(() => undefined);
    };
    const producers = Array.from({ length: PARTITIONS }, (_, p) => produce(p));

    for (let partition = 0; partition < PARTITIONS; partition++) {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const leader = (await metadata()).find((p) => p.partitionId === partition)!.leader;
      const before = acked[partition]!.length;
      await brokers.kill9(leader);
      await until(`partition ${partition} led by another broker`, async () => {
        const now = (await metadata()).find((p) => p.partitionId === partition)!;
        return now.leader >= 0 && now.leader !== leader;
      });
      await brokers.startBroker(leader);
      await until('the killed broker back in every ISR', fullyReplicated, 60_000);
      await until(`acknowledged writes to partition ${partition} after the failover`, async () => acked[partition]!.length > before + 5);
    }
    stopping = true;
    await Promise.all(producers);

    const partitions = await metadata();
    for (let partition = 0; partition < PARTITIONS; partition++) {
      const leader = partitions.find((p) => p.partitionId === partition)!.leader;
      const reader = new PartitionReader({ host: '127.0.0.1', port: brokers.port(leader) });
      const consumed: { value: string; offset: number }[] = [];
      try {
        let offset = 0;
        for (;;) {
          const { records, nextOffset, highWatermark } = await reader.fetch(TOPIC, partition, offset, { maxWaitMs: 100 });
          consumed.push(...records.map((record) => ({ value: record.value?.toString() ?? '', offset: record.offset })));
          offset = nextOffset;
          if (offset >= highWatermark) break;
        }
      } finally {
        await reader.close();
      }
      expect(acked[partition]!.length).toBeGreaterThan(20);
      expect(checkPartitionHistory(acked[partition]!, consumed)).toEqual([]);
    }

    // All replicas caught up (every ISR is full): stop the brokers and compare their bytes.
    await until('all partitions fully in sync at the end', fullyReplicated);
    await admin.disconnect();
    await brokers.stop();
    for (let partition = 0; partition < PARTITIONS; partition++) {
      const copies: Buffer[] = [];
      for (const id of BROKERS) {
        const log = await PartitionLog.open(join(brokers.dataDir(id), `${TOPIC}-${partition}`));
        copies.push(Buffer.concat(await log.readBuffers(0, 256 * 1024 * 1024)));
        await log.close();
      }
      expect(copies[1]!.equals(copies[0]!)).toBe(true);
      expect(copies[2]!.equals(copies[0]!)).toBe(true);
    }
  }, 240_000);
});
