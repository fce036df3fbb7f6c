/**
 * `npm run bench -- lambda`: the Lambda stack of `barista dev` in this process (coord, broker,
 * serving node, a lambda.view's speed topology) under a steady load of 1k and 10k events/s.
 * - Visibility latency: a probe event with a unique key is produced with kafkajs and VIEW.GET is
 *   polled over the Redis port until the key counts 1; baseline, in the same run, the same probe's
 *   arrival at a plain kafkajs consumer of the topic (the log's own delivery latency). Goal (issue
 *   11): p99 < 100 ms.
 * - Batch recompute of 1M events (log snapshot → map → reduceByKey → publish into serving) against
 *   a plain JS loop counting the same events in memory.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { Redis } from 'ioredis';
import { CoordNode } from '../core/coord/coord-node.js';
import { Broker } from '../core/log/broker/broker.js';
import { LocalCluster } from '../core/topology/runtime/local-cluster.js';
import { tokenize } from '../core/text/tokenize.js';
import { createLogger } from '../core/telemetry/logger.js';
import { ServingNode } from '../serving/node/serving-node.js';
import { BatchContext } from '../batch/context/batch-context.js';
import { FileOffsetStore } from '../spouts/offset-store.js';
import { lambda, type LambdaView } from '../lambda/index.js';
import { percentile } from './percentile.js';
import { printComparisons, type Comparison } from './report.js';

const RATES = [1_000, 10_000];
const RUN_MS = Number(process.env.BENCH_LAMBDA_RUN_MS ?? 8_000);
const PROBE_EVERY_MS = 40;
const POLL_MS = 1;
const LOAD_TICK_MS = 10;
const LOAD_KEYS = 1_000;
const BATCH_EVENTS = Number(process.env.BENCH_LAMBDA_BATCH_EVENTS ?? 1_000_000);
const BATCH_KEYS = 10_000;
const PRODUCE_CHUNK = 10_000;
const PARTITIONS = 2;

function countView(name: string, topic: string): LambdaView<number> {
  return lambda.view(name, { source: topic, monoid: 'sum', map: (event) => tokenize(event.value ?? '').map((word) => [word, 1] as const) });
}

interface Stack {
  kafka: Kafka;
  bootstrap: { host: string; port: number };
  serving: ServingNode;
  dir: string;
  close(): Promise<void>;
}

async function startStack(): Promise<Stack> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-lambda-'));
  const logger = createLogger({ name: 'bench', level: 'error' });
  const coord = await CoordNode.start({ serverId: 1, members: new Map(), dataDir: join(dir, 'coord'), logger });
  const coordAddress = `127.0.0.1:${coord.clientPort}`;
  const broker = await Broker.start({ dataDir: join(dir, 'log'), coord: coordAddress, logger, autoCreateTopics: false });
  const serving = await ServingNode.start({ nodeId: 'bench', dataDir: join(dir, 'serving'), coord: coordAddress, port: 0, peerPort: 0, n: 1, r: 1, w: 1, fsync: 'interval', logger });
  const bootstrap = { host: '127.0.0.1', port: broker.address().port };
  const kafka = new Kafka({ brokers: [`${bootstrap.host}:${bootstrap.port}`], clientId: 'bench-lambda', logLevel: logLevel.NOTHING });
  return {
    kafka,
    bootstrap,
    serving,
    dir,
    async close() {
      await serving.close();
      await broker.close();
      await coord.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function createTopic(kafka: Kafka, topic: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }], waitForLeaders: true });
  await admin.disconnect();
}

/** Sends `rate` events/s in ticks until stopped; returns the events actually sent. */
function steadyLoad(producer: Producer, topic: string, rate: number): { stop: () => Promise<number> } {
  let stopped = false;
  let sent = 0;
  const startMs = performance.now();
  const loop = (async () => {
    while (!stopped) {
      const due = Math.floor(((performance.now() - startMs) / 1000) * rate) - sent;
      if (due > 0) {
        const messages = Array.from({ length: due }, (_, index) => ({ value: `k${(sent + index) % LOAD_KEYS}` }));
        await producer.send({ topic, acks: 1, messages });
        sent += due;
      }
      await new Promise((resolve) => setTimeout(resolve, LOAD_TICK_MS));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      return sent;
    },
  };
}

async function visibility(stack: Stack, rate: number): Promise<{ view: number[]; log: number[]; sent: number; seconds: number }> {
  const topic = `visibility-${rate}`;
  await createTopic(stack.kafka, topic);
  const store = { keyspace: stack.serving.keyspace };
  const view = countView(topic, topic);
  await view.create(store);
  const cluster = new LocalCluster();
  await cluster.submitTopology(topic, {}, view.speedTopology({ ...store, bootstrap: stack.bootstrap, offsetStore: new FileOffsetStore(join(stack.dir, `${topic}.json`)) }));
  const sentAt = new Map<string, number>();
  const logLatency: number[] = [];
  const consumer = stack.kafka.consumer({ groupId: `${topic}-baseline`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: false });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const value = message.value?.toString() ?? '';
      const start = sentAt.get(value);
      if (start !== undefined) logLatency.push(performance.now() - start);
    },
  });
  const producer = stack.kafka.producer();
  const probes = stack.kafka.producer();
  await producer.connect();
  await probes.connect();
  const redis = new Redis({ port: stack.serving.respPort, lazyConnect: true });
  await redis.connect();
  await new Promise((resolve) => setTimeout(resolve, 1_000)); // the consumer joins its group
  const load = steadyLoad(producer, topic, rate);
  const viewLatency: number[] = [];
  const startMs = performance.now();
  for (let probe = 0; performance.now() - startMs < RUN_MS; probe++) {
    const key = `probe${probe}`;
    const start = performance.now();
    sentAt.set(key, start);
    await probes.send({ topic, acks: 1, messages: [{ value: key }] });
    while (((await redis.call('VIEW.GET', topic, key)) as [number])[0] !== 1) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    viewLatency.push(performance.now() - start);
    await new Promise((resolve) => setTimeout(resolve, PROBE_EVERY_MS));
  }
  const sent = await load.stop();
  const seconds = (performance.now() - startMs) / 1000;
  redis.disconnect();
  await probes.disconnect();
  await producer.disconnect();
  await consumer.disconnect();
  await cluster.shutdown();
  return { view: viewLatency.sort((a, b) => a - b), log: logLatency.sort((a, b) => a - b), sent, seconds };
}

function plainCount(events: number): number {
  const startMs = performance.now();
  const counts = new Map<string, number>();
  for (let index = 0; index < events; index++) for (const word of tokenize(`k${index % BATCH_KEYS}`)) counts.set(word, (counts.get(word) ?? 0) + 1);
  if (counts.size !== BATCH_KEYS) throw new Error(`plain loop counted ${counts.size} keys`);
  return (performance.now() - startMs) / 1000;
}

async function batchRecompute(stack: Stack): Promise<{ seconds: number; produceSeconds: number }> {
  const topic = 'batch-1m';
  await createTopic(stack.kafka, topic);
  const producer = stack.kafka.producer();
  await producer.connect();
  const produceStart = performance.now();
  for (let start = 0; start < BATCH_EVENTS; start += PRODUCE_CHUNK) {
    const messages = Array.from({ length: Math.min(PRODUCE_CHUNK, BATCH_EVENTS - start) }, (_, index) => ({ value: `k${(start + index) % BATCH_KEYS}` }));
    await producer.send({ topic, acks: 1, messages });
  }
  const produceSeconds = (performance.now() - produceStart) / 1000;
  await producer.disconnect();
  const store = { keyspace: stack.serving.keyspace };
  const view = countView(topic, topic);
  const context = new BatchContext({ workDirectory: join(stack.dir, 'batch'), slots: 2 });
  const startMs = performance.now();
  const run = await view.recompute({ ...store, bootstrap: stack.bootstrap, context });
  const seconds = (performance.now() - startMs) / 1000;
  await context.stop();
  const sample = await view.get(store, 'k7');
  const covered = Object.values(run.cutOffs).reduce((sum, offset) => sum + offset + 1, 0);
  if (Number(sample.value) < Math.floor(covered / BATCH_KEYS)) throw new Error(`k7 counted ${String(sample.value)} after a recompute covering ${covered} events`);
  return { seconds, produceSeconds };
}

export async function run(): Promise<void> {
  const stack = await startStack();
  try {
    const rows: Comparison[] = [];
    for (const rate of RATES) {
      const result = await visibility(stack, rate);
      console.log(`${rate} events/s: sent ${result.sent} events in ${result.seconds.toFixed(1)} s (${Math.round(result.sent / result.seconds)}/s), ${result.view.length} probes`);
      rows.push(
        { case: `event → VIEW.GET p50 @${rate}/s`, unit: 'ms', barista: percentile(result.view, 0.5), baseline: percentile(result.log, 0.5), baselineName: 'kafkajs consumer', lowerIsBetter: true },
        { case: `event → VIEW.GET p99 @${rate}/s`, unit: 'ms', barista: percentile(result.view, 0.99), baseline: percentile(result.log, 0.99), baselineName: 'kafkajs consumer', lowerIsBetter: true },
      );
      const p99 = percentile(result.view, 0.99);
      console.log(`  goal p99 < 100 ms: ${p99 < 100 ? 'met' : 'MISSED'} (${p99.toFixed(1)} ms)`);
    }
    const plainSeconds = plainCount(BATCH_EVENTS);
    const batch = await batchRecompute(stack);
    console.log(`produced ${BATCH_EVENTS} events in ${batch.produceSeconds.toFixed(1)} s`);
    rows.push({ case: `batch recompute of ${BATCH_EVENTS} events`, unit: 's', barista: batch.seconds, baseline: plainSeconds, baselineName: 'plain loop in memory', lowerIsBetter: true });
    printComparisons('Lambda: visibility latency and batch recompute (ratio = baseline / barista; below 1 = slower than the baseline)', rows);
  } finally {
    await stack.close();
  }
}
