/**
 * `npm run bench -- log`: produce and consume throughput with kcat and with kafkajs, 100 B and
 * 1 KB records, on a standalone broker (RF=1) and on three brokers with one coord (RF=3,
 * acks=all, min.insync.replicas=2), each as a ratio of this disk's sequential write bandwidth
 * measured in the same run (dd with fdatasync); and the end-to-end produce→consume p99 at
 * 10k records/s on the RF=3 cluster against the 20 ms budget. All servers run as
 * separate processes on this machine, as they would in production.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { BARISTA_BIN } from '../test/support/barista.js';
import { freePort, waitForPort } from '../test/support/ports.js';
import { startProcess, type ManagedProcess } from '../test/support/processes.js';
import { PartitionReader } from '../core/log/client/partition-reader.js';
import { printComparisons, type Comparison } from './report.js';

const MB = 1024 * 1024;
const DISK_PROBE_MB = 256;
const RECORDS_PER_RUN = Number(process.env.BENCH_LOG_RECORDS ?? 200_000);
const KAFKAJS_BATCH = 1_000;
const KAFKAJS_IN_FLIGHT = 8;

/** dd's own figure for writing DISK_PROBE_MB and fdatasync-ing it, in MB/s. */
function diskWriteMBps(dir: string): number {
  const target = join(dir, 'dd-probe');
  const started = performance.now();
  const result = spawnSync('dd', ['if=/dev/zero', `of=${target}`, 'bs=1M', `count=${DISK_PROBE_MB}`, 'conv=fdatasync'], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`dd failed: ${result.stderr}`);
  return DISK_PROBE_MB / ((performance.now() - started) / 1000);
}

function run(command: string, args: string[], inputFile?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, inputFile ? [...args, inputFile] : args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('close', (code) => (code === 0 ? resolve((performance.now() - started) / 1000) : reject(new Error(`${command} exited ${code}: ${stderr}`))));
  });
}

async function kcatFigures(bootstrap: string, dir: string, recordBytes: number, acks: string): Promise<{ produce: number; consume: number }> {
  const topic = `kcat-${recordBytes}`;
  const file = join(dir, `records-${recordBytes}.txt`);
  await writeFile(file, `${'x'.repeat(recordBytes - 1)}\n`.repeat(RECORDS_PER_RUN));
  const produceSeconds = await run('kcat', ['-b', bootstrap, '-P', '-t', topic, '-p', '0', '-X', 'linger.ms=5', '-X', 'batch.num.messages=10000', '-X', `acks=${acks}`, '-l'], file);
  const consumeSeconds = await run('kcat', ['-b', bootstrap, '-C', '-t', topic, '-p', '0', '-o', 'beginning', '-e', '-q', '-c', String(RECORDS_PER_RUN)]);
  const megabytes = (RECORDS_PER_RUN * recordBytes) / MB;
  return { produce: megabytes / produceSeconds, consume: megabytes / consumeSeconds };
}

async function kafkajsProduceMBps(bootstrap: string, recordBytes: number, acks: number): Promise<number> {
  const kafka = new Kafka({ brokers: bootstrap.split(','), clientId: 'bench', logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ allowAutoTopicCreation: true });
  await producer.connect();
  const value = Buffer.alloc(recordBytes, 'x');
  const messages = Array.from({ length: KAFKAJS_BATCH }, () => ({ value, partition: 0 }));
  const topic = `kafkajs-${recordBytes}`;
  await producer.send({ topic, messages: messages.slice(0, 1) });
  let remaining = RECORDS_PER_RUN / KAFKAJS_BATCH;
  const started = performance.now();
  const worker = async () => {
    while (remaining-- > 0) await producer.send({ topic, acks, messages });
  };
  await Promise.all(Array.from({ length: KAFKAJS_IN_FLIGHT }, worker));
  const seconds = (performance.now() - started) / 1000;
  await producer.disconnect();
  return (RECORDS_PER_RUN * recordBytes) / MB / seconds;
}

interface Cluster {
  bootstrap: string;
  stop(): Promise<void>;
}

/** One standalone broker (embedded coord), or a coord server and three brokers (RF=3 by default). */
async function startCluster(dir: string, brokers: 1 | 3): Promise<Cluster> {
  const processes: ManagedProcess[] = [];
  const stop = async () => {
    for (const process of processes.reverse()) await process.stop();
  };
  try {
    const extra: string[] = [];
    if (brokers === 3) {
      const coordPort = await freePort();
      processes.push(await startProcess({ name: 'barista coord', command: process.execPath, args: [BARISTA_BIN, '--log-level', 'warn', 'coord', '--port', String(coordPort), '--data-dir', join(dir, 'coord')], ready: () => waitForPort(coordPort, 100).then(() => true, () => false) }));
      extra.push('--coord', `127.0.0.1:${coordPort}`, '--replication-factor', '3', '--min-insync-replicas', '2');
    }
    const addresses: string[] = [];
    for (let id = 1; id <= brokers; id++) {
      const port = await freePort();
      const broker = await startProcess({ name: `barista broker ${id}`, command: process.execPath, args: [BARISTA_BIN, '--log-level', 'info', 'broker', '--id', String(id), '--port', String(port), '--data-dir', join(dir, `broker-${id}`), ...extra], ready: () => waitForPort(port, 100).then(() => true, () => false) });
      processes.push(broker);
      while (!/"msg":"broker ready"/.test(broker.output())) await new Promise((resolve) => setTimeout(resolve, 50));
      addresses.push(`127.0.0.1:${port}`);
    }
    return { bootstrap: addresses.join(','), stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

const E2E_RATE_PER_SECOND = 10_000;
const E2E_SECONDS = 5;
/** Sent first and not measured: the topic's first second (connections, metadata, followers joining). */
const E2E_WARM_UP_SECONDS = 1;
const E2E_BATCH = 100;
const E2E_BUDGET_MS = 20;

/** Produce at 10k records/s (acks=all) to a topic of the cluster's default replication while a reader long-polls the leader; p99 of send→receive after a one-second warm-up. */
async function endToEndP99Ms(bootstrap: string): Promise<number> {
  const kafka = new Kafka({ brokers: bootstrap.split(','), clientId: 'bench-e2e', logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: 'e2e', numPartitions: 1, replicationFactor: -1 }] });
  const leader = (await admin.fetchTopicMetadata({ topics: ['e2e'] })).topics[0]!.partitions[0]!.leader;
  const brokers = (await admin.describeCluster()).brokers;
  await admin.disconnect();
  const endpoint = brokers.find((broker) => broker.nodeId === leader)!;
  const reader = new PartitionReader({ host: endpoint.host, port: endpoint.port });
  const producer = kafka.producer();
  await producer.connect();
  const total = E2E_RATE_PER_SECOND * (E2E_WARM_UP_SECONDS + E2E_SECONDS);
  const warmUp = E2E_RATE_PER_SECOND * E2E_WARM_UP_SECONDS;
  const latencies: number[] = [];
  const consume = (async () => {
    let offset = 0;
    while (offset < total) {
      const { records, nextOffset } = await reader.fetch('e2e', 0, offset, { maxWaitMs: 100 });
      const now = performance.timeOrigin + performance.now();
      for (const record of records) if (record.offset >= warmUp) latencies.push(now - Number(record.value?.toString()));
      offset = nextOffset;
    }
  })();
  const intervalMs = (1000 * E2E_BATCH) / E2E_RATE_PER_SECOND;
  const started = performance.now();
  const sends: Promise<unknown>[] = [];
  for (let batch = 0; batch < total / E2E_BATCH; batch++) {
    const due = started + batch * intervalMs;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const sentAt = String(performance.timeOrigin + performance.now());
    sends.push(producer.send({ topic: 'e2e', acks: -1, messages: Array.from({ length: E2E_BATCH }, () => ({ value: sentAt })) }));
  }
  await Promise.all(sends);
  await consume;
  await producer.disconnect();
  await reader.close();
  latencies.sort((a, b) => a - b);
  if (process.env.BENCH_VERBOSE) console.log('e2e latency ms: p50', latencies[Math.floor(latencies.length * 0.5)], 'p90', latencies[Math.floor(latencies.length * 0.9)], 'p99', latencies[Math.floor(latencies.length * 0.99)], 'max', latencies.at(-1));
  return latencies[Math.floor(latencies.length * 0.99)]!;
}

async function throughputRows(bootstrap: string, dir: string, disk: number, replication: 'RF=1' | 'RF=3'): Promise<Comparison[]> {
  const rows: Comparison[] = [];
  const acks = replication === 'RF=1' ? 1 : -1;
  const goal = replication === 'RF=1' ? 0.5 : 0.3;
  for (const recordBytes of [100, 1024]) {
    const kcat = await kcatFigures(bootstrap, dir, recordBytes, acks === 1 ? '1' : 'all');
    const kafkajs = await kafkajsProduceMBps(bootstrap, recordBytes, acks);
    const label = recordBytes === 100 ? '100 B' : '1 KB';
    const ackName = acks === 1 ? 'acks=1' : 'acks=all';
    rows.push({ case: `${replication} produce ${label}, kcat ${ackName}`, unit: 'MB/s', barista: kcat.produce, baseline: disk, baselineName: 'dd fdatasync', goal });
    rows.push({ case: `${replication} produce ${label}, kafkajs ${ackName}`, unit: 'MB/s', barista: kafkajs, baseline: disk, baselineName: 'dd fdatasync', goal });
    rows.push({ case: `${replication} consume ${label}, kcat`, unit: 'MB/s', barista: kcat.consume, baseline: disk, baselineName: 'dd fdatasync' });
  }
  return rows;
}

export async function runLogBenchmark(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'barista-bench-log-'));
  try {
    const disk = diskWriteMBps(dir);
    const rows: Comparison[] = [];
    const single = await startCluster(join(dir, 'rf1'), 1);
    try {
      rows.push(...(await throughputRows(single.bootstrap, dir, disk, 'RF=1')));
      const p99 = await endToEndP99Ms(single.bootstrap);
      rows.push({ case: `RF=1 produce→consume p99 at ${E2E_RATE_PER_SECOND / 1000}k records/s`, unit: 'ms', barista: p99, baseline: E2E_BUDGET_MS, baselineName: 'budget', goal: 1, lowerIsBetter: true });
    } finally {
      await single.stop();
    }
    const triple = await startCluster(join(dir, 'rf3'), 3);
    try {
      rows.push(...(await throughputRows(triple.bootstrap, dir, disk, 'RF=3')));
      const p99 = await endToEndP99Ms(triple.bootstrap);
      rows.push({ case: `RF=3 acks=all produce→consume p99 at ${E2E_RATE_PER_SECOND / 1000}k records/s`, unit: 'ms', barista: p99, baseline: E2E_BUDGET_MS, baselineName: 'budget', goal: 1, lowerIsBetter: true });
    } finally {
      await triple.stop();
    }
    printComparisons(`log: ${RECORDS_PER_RUN} records per throughput case, vs sequential disk writes (same run)`, rows);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export { runLogBenchmark as run };
