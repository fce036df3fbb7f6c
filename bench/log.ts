/**
 * `npm run bench -- log`: produce and consume throughput of a standalone Barista broker with kcat
 * and with kafkajs, 100 B and 1 KB records, as a ratio of this disk's sequential write bandwidth
 * measured in the same run (dd with fdatasync). RF=3 and acks=all across brokers arrive with
 * replication; until then only RF=1 is measured.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { BARISTA_BIN } from '../test/support/barista.js';
import { freePort, waitForPort } from '../test/support/ports.js';
import { startProcess } from '../test/support/processes.js';
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

async function kcatFigures(bootstrap: string, dir: string, recordBytes: number): Promise<{ produce: number; consume: number }> {
  const topic = `kcat-${recordBytes}`;
  const file = join(dir, `records-${recordBytes}.txt`);
  await writeFile(file, `${'x'.repeat(recordBytes - 1)}\n`.repeat(RECORDS_PER_RUN));
  const produceSeconds = await run('kcat', ['-b', bootstrap, '-P', '-t', topic, '-p', '0', '-X', 'linger.ms=5', '-X', 'batch.num.messages=10000', '-l'], file);
  const consumeSeconds = await run('kcat', ['-b', bootstrap, '-C', '-t', topic, '-p', '0', '-o', 'beginning', '-e', '-q', '-c', String(RECORDS_PER_RUN)]);
  const megabytes = (RECORDS_PER_RUN * recordBytes) / MB;
  return { produce: megabytes / produceSeconds, consume: megabytes / consumeSeconds };
}

async function kafkajsProduceMBps(bootstrap: string, recordBytes: number): Promise<number> {
  const kafka = new Kafka({ brokers: [bootstrap], clientId: 'bench', logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ allowAutoTopicCreation: true });
  await producer.connect();
  const value = Buffer.alloc(recordBytes, 'x');
  const messages = Array.from({ length: KAFKAJS_BATCH }, () => ({ value, partition: 0 }));
  const topic = `kafkajs-${recordBytes}`;
  await producer.send({ topic, messages: messages.slice(0, 1) });
  let remaining = RECORDS_PER_RUN / KAFKAJS_BATCH;
  const started = performance.now();
  const worker = async () => {
    while (remaining-- > 0) await producer.send({ topic, acks: 1, messages });
  };
  await Promise.all(Array.from({ length: KAFKAJS_IN_FLIGHT }, worker));
  const seconds = (performance.now() - started) / 1000;
  await producer.disconnect();
  return (RECORDS_PER_RUN * recordBytes) / MB / seconds;
}

export async function runLogBenchmark(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'barista-bench-log-'));
  // The broker runs in its own process, as in production: a client in the same event loop
  // would otherwise be measured together with it.
  const port = await freePort();
  const broker = await startProcess({
    name: 'barista broker',
    command: process.execPath,
    args: [BARISTA_BIN, '--log-level', 'warn', 'broker', '--port', String(port), '--data-dir', join(dir, 'broker')],
    ready: () => waitForPort(port, 100).then(() => true, () => false),
  });
  const bootstrap = `127.0.0.1:${port}`;
  try {
    const disk = diskWriteMBps(dir);
    const rows: Comparison[] = [];
    for (const recordBytes of [100, 1024]) {
      const kcat = await kcatFigures(bootstrap, dir, recordBytes);
      const kafkajs = await kafkajsProduceMBps(bootstrap, recordBytes);
      const label = recordBytes === 100 ? '100 B' : '1 KB';
      rows.push({ case: `RF=1 produce ${label}, kcat`, unit: 'MB/s', barista: kcat.produce, baseline: disk, baselineName: 'dd fdatasync', goal: 0.5 });
      rows.push({ case: `RF=1 produce ${label}, kafkajs acks=1`, unit: 'MB/s', barista: kafkajs, baseline: disk, baselineName: 'dd fdatasync', goal: 0.5 });
      rows.push({ case: `consume ${label}, kcat`, unit: 'MB/s', barista: kcat.consume, baseline: disk, baselineName: 'dd fdatasync' });
    }
    printComparisons(`log: standalone broker, ${RECORDS_PER_RUN} records per case, vs sequential disk writes`, rows);
  } finally {
    await broker.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

export { runLogBenchmark as run };
