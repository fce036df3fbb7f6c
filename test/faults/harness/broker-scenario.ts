/**
 * Scenario (b): three brokers around one coord server (never faulted), a topic of three partitions
 * with RF=3 and min.insync.replicas=2, one idempotent kafkajs producer per partition (acks=all,
 * retries inside the client), and the nemesis killing, pausing and tearing the segments of
 * brokers. Afterwards, per partition (test/support/log-checker.ts): every acknowledged record is in
 * the log exactly once at its acknowledged offset, in acknowledgement order, with dense offsets —
 * and no value twice, which the producer's retries would cause without idempotence.
 *
 * Every broker advertises a proxy in front of its port and reaches coord through proxies of its
 * own: a partition cuts a broker off from clients, from the other brokers' fetchers and from coord
 * (it loses its session and its leaderships, and must not acknowledge what it can no longer
 * replicate); a delay slows everything that reaches it.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import { PartitionReader } from '../../../core/log/client/partition-reader.js';
import { startCoordEnsemble } from '../../support/coord.js';
import { BrokerCluster } from '../../support/log-brokers.js';
import { checkPartitionHistory, type AckedRecord, type ConsumedRecord } from '../../support/log-checker.js';
import { faultLine, planFaults, runNemesis, type FaultTarget } from './nemesis.js';
import { faultKinds, pauseProcess, resumeProcess, settleWithin, sleep, type ScenarioResult } from './scenario.js';

const TOPIC = 'nemesis';
const PARTITIONS = 3;
const BROKER_IDS = [1, 2, 3];
const SESSION_TIMEOUT_MS = 3_000;
const COORD_TICK_MS = 500;
const REPLICA_LAG_TIME_MAX_MS = 3_000;
/** After a fault heals: every broker up and every partition led with a full ISR within this. */
const SETTLE_TIMEOUT_MS = 60_000;
const PRODUCE_TIMEOUT_MS = 5_000;
/** After a failed send, before a fresh producer (new producer id) tries the next value. */
const RECONNECT_PAUSE_MS = 200;
const FETCH_MAX_WAIT_MS = 100;
/** Partition log segments: the files a torn write tears. */
const LOG_SEGMENT = /^\d{20}\.log$/;

function brokerTarget(brokers: BrokerCluster, fullyReplicated: () => Promise<string | undefined>): FaultTarget {
  const idOf = (node: number) => BROKER_IDS[node]!;
  return {
    nodeNames: BROKER_IDS.map((id) => `broker ${id}`),
    kill: (node) => brokers.kill9(idOf(node)),
    restart: (node) => brokers.startBroker(idOf(node)),
    pause: (node) => pauseProcess(brokers.processes.get(idOf(node))),
    resume: (node) => resumeProcess(brokers.processes.get(idOf(node))),
    partition: (side) => side.forEach((node) => brokers.isolate(idOf(node))),
    heal: () => brokers.heal(),
    delay: (node, delayMs) => brokers.delay(idOf(node), delayMs),
    undelay: (node) => brokers.delay(idOf(node), 0),
    dataFiles: (node) => ({ directory: brokers.dataDir(idOf(node)), pattern: LOG_SEGMENT }),
    settle: () =>
      settleWithin(SETTLE_TIMEOUT_MS, async () => {
        const down = BROKER_IDS.filter((id) => !brokers.processes.get(id)?.running);
        return down.length > 0 ? `brokers ${down.join(', ')} not running` : fullyReplicated();
      }),
  };
}

/**
 * A connected idempotent producer, or undefined once the run is over. kafkajs sends without a
 * producer id (so without idempotence) when its connect — InitProducerId — failed; such a producer
 * must never send.
 */
async function connectedProducer(kafka: Kafka, running: () => boolean): Promise<Producer | undefined> {
  while (running()) {
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, retry: { retries: 3, initialRetryTime: 100, maxRetryTime: 1_000 } });
    try {
      await producer.connect();
      return producer;
    } catch {
      await producer.disconnect().catch(() => undefined);
      await sleep(RECONNECT_PAUSE_MS);
    }
  }
  return undefined;
}

/** Sends unique values to one partition until stopped; records what was acknowledged. */
async function producePartition(kafka: Kafka, partition: number, acked: AckedRecord[], running: () => boolean): Promise<void> {
  let producer = await connectedProducer(kafka, running);
  for (let n = 0; producer !== undefined && running(); n += 1) {
    const value = `p${partition}-${n}`;
    try {
      const [result] = await producer.send({ topic: TOPIC, acks: -1, timeout: PRODUCE_TIMEOUT_MS, messages: [{ value, partition }] });
      acked.push({ value, offset: Number(result!.baseOffset) });
    } catch {
      // Not acknowledged: the value may or may not be in the log (at most once). A fresh producer
      // refreshes the metadata and starts a new producer id.
      await producer.disconnect().catch(() => undefined);
      await sleep(RECONNECT_PAUSE_MS);
      producer = await connectedProducer(kafka, running);
    }
  }
  await producer?.disconnect().catch(() => undefined);
}

async function readPartition(port: number, partition: number): Promise<ConsumedRecord[]> {
  const reader = new PartitionReader({ host: '127.0.0.1', port });
  const consumed: ConsumedRecord[] = [];
  try {
    for (let offset = 0; ; ) {
      const { records, nextOffset, highWatermark } = await reader.fetch(TOPIC, partition, offset, { maxWaitMs: FETCH_MAX_WAIT_MS });
      consumed.push(...records.map((record) => ({ value: record.value?.toString() ?? '', offset: record.offset })));
      offset = nextOffset;
      if (offset >= highWatermark) return consumed;
    }
  } finally {
    await reader.close();
  }
}

export async function brokerLogScenario(seed: number, durationMs: number, log: (line: string) => void = () => undefined): Promise<ScenarioResult> {
  const workDir = await mkdtemp(join(tmpdir(), 'barista-nemesis-log-'));
  const coord = await startCoordEnsemble({ servers: 1, tickTimeMs: COORD_TICK_MS });
  let brokers: BrokerCluster | undefined;
  let admin: Admin | undefined;
  // A run with violations keeps the brokers' logs (batch headers, leader epochs) for a post-mortem.
  let keepLogs = false;
  try {
    brokers = await BrokerCluster.start({ ids: BROKER_IDS, workDir, coord: coord.connectString, sessionTimeoutMs: SESSION_TIMEOUT_MS, minInsyncReplicas: 2, replicaLagTimeMaxMs: REPLICA_LAG_TIME_MAX_MS, proxied: true });
    const kafka = new Kafka({ brokers: brokers.bootstrap, clientId: 'nemesis-log', logLevel: logLevel.NOTHING, retry: { retries: 0 } });
    admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: PARTITIONS, replicationFactor: BROKER_IDS.length }] });
    const metadata = async () => (await admin!.fetchTopicMetadata({ topics: [TOPIC] })).topics[0]!.partitions;
    const fullyReplicated = async () => {
      const lagging = (await metadata()).filter((p) => p.leader < 0 || p.isr.length < BROKER_IDS.length);
      return lagging.length === 0 ? undefined : `partitions without a leader or a full ISR: ${lagging.map((p) => `${p.partitionId} (leader ${p.leader}, isr ${p.isr.join(',')})`).join('; ')}`;
    };
    const target = brokerTarget(brokers, fullyReplicated);
    await target.settle();

    const acked: AckedRecord[][] = Array.from({ length: PARTITIONS }, () => []);
    let running = true;
    const producers = Array.from({ length: PARTITIONS }, (_, partition) => producePartition(kafka, partition, acked[partition]!, () => running));
    const plan = planFaults({ seed, durationMs, nodeCount: BROKER_IDS.length, kinds: faultKinds(['kill', 'pause', 'partition', 'delay', 'torn-write']) });
    const nemesis = await runNemesis(plan, target, { seed, durationMs, log });
    running = false;
    await Promise.all(producers);

    const violations: string[] = nemesis.failure === undefined ? [] : [`nemesis: ${nemesis.failure}`];
    await target.settle().catch((error: unknown) => violations.push(`after the faults: ${String(error)}`));
    const partitions = await metadata();
    for (let partition = 0; partition < PARTITIONS; partition += 1) {
      const leader = partitions.find((p) => p.partitionId === partition)!.leader;
      const consumed = await readPartition(brokers.port(leader), partition);
      violations.push(...checkPartitionHistory(acked[partition]!, consumed).map((violation) => `partition ${partition} (read from broker ${leader}): ${violation}`));
    }
    keepLogs = violations.length > 0;
    if (keepLogs) for (const [id, broker] of brokers.processes) await writeFile(join(workDir, `broker-${id}.out`), broker.output());
    return {
      scenario: 'broker-log',
      seed,
      operationsChecked: acked.reduce((sum, records) => sum + records.length, 0),
      faultsInjected: nemesis.records.length,
      violations,
      faultLog: nemesis.records.map((record) => faultLine(seed, record)),
      ...(keepLogs ? { excerpt: `the brokers' data directories and output are kept in ${workDir}` } : {}),
    };
  } finally {
    await admin?.disconnect().catch(() => undefined);
    await brokers?.stop();
    await coord.stop();
    if (!keepLogs) await rm(workDir, { recursive: true, force: true });
  }
}
