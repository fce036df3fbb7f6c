/**
 * `barista dev`: the Lambda stack embedded in one process on localhost — a single-server coord,
 * a broker, a serving node — running the word-count view (examples/wordcount/view.ts) end to end:
 * the input is produced line by line into the log; the view's speed layer (a topology) applies
 * per-line word deltas to the realtime side; once it has caught up, one batch recompute (RDDs over
 * a log snapshot up to a bucket-aligned cut-off) publishes the first batch version; the top words
 * are read back from the serving layer. Then it keeps running — more lines produced with any Kafka
 * client are counted, the batch recompute runs on its cron schedule, queries go to the Redis port —
 * until Ctrl-C, which shuts everything down in order.
 */
import { constants } from 'node:fs';
import { access, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { createTask, type ScheduledTask } from 'node-cron';
import type { Logger } from '../telemetry/logger.js';
import { CoordNode } from '../coord/coord-node.js';
import { Broker } from '../log/broker/broker.js';
import { LocalCluster } from '../topology/runtime/local-cluster.js';
import { ServingNode } from '../../serving/node/serving-node.js';
import { BatchContext } from '../../batch/context/batch-context.js';
import { checkCronExpression } from '../../batch/cron/cron-expression.js';
import { FileOffsetStore } from '../../spouts/offset-store.js';
import { wordCountView } from '../../examples/wordcount/view.js';
import type { LambdaBatchRun, LambdaView } from '../../lambda/index.js';

export interface DevOptions {
  input: string;
  top: number;
  view: string;
  topic: string;
  coordPort: number;
  kafkaPort: number;
  redisPort: number;
  /** node-cron schedule of the batch recompute after the first one. */
  batchCron: string;
  /** Print the answer and stop, instead of running until interrupted. */
  once: boolean;
}

export const DEV_DEFAULTS = Object.freeze({ view: 'wordcount', topic: 'raven', coordPort: 2181, kafkaPort: 9092, redisPort: 6380, batchCron: '0 * * * * *' });

export interface DevWord {
  readonly word: string;
  readonly count: number;
  /** Batch version the count includes, and the last offset per partition it covers. */
  readonly batchVersion: number | undefined;
  readonly cutOffs: Readonly<Record<string, number>>;
  /** Highest offset per partition the count reflects (batch or realtime). */
  readonly realtimeOffsets: Readonly<Record<string, number>>;
}

/** A mistake in `barista dev`'s input or environment: shown as one line, exit non-zero. */
export class DevError extends Error {
  readonly code = 'DEV';
  constructor(message: string) {
    super(message);
    this.name = 'DevError';
  }
}

const LINES_PER_SEND = 200;
const CATCH_UP_TIMEOUT_MS = 60_000;
const CATCH_UP_POLL_MS = 50;
const VIEW_NAME = /^[A-Za-z0-9_.-]{1,128}$/;

export interface DevSession {
  readonly words: readonly DevWord[];
  readonly endpoints: { coord: string; kafka: string; redis: string };
  readonly firstBatch: LambdaBatchRun;
  /** Stops the cron, the topology and the servers, and removes the working directory. */
  stop(): Promise<void>;
}

async function checkPortFree(port: number, service: string, flag: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(new DevError(error.code === 'EADDRINUSE' ? `port ${port} (${service}) is in use; stop what holds it or pass ${flag} <port>` : `cannot listen on port ${port} (${service}): ${error.message}`)),
    );
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve()));
  });
}

async function checkOptions(options: DevOptions): Promise<string[]> {
  if (!VIEW_NAME.test(options.view)) throw new DevError(`bad view name '${options.view}': use 1 to 128 letters, digits, _ . or -`);
  if (!VIEW_NAME.test(options.topic)) throw new DevError(`bad topic name '${options.topic}': use 1 to 128 letters, digits, _ . or -`);
  try {
    checkCronExpression(options.batchCron);
  } catch (error) {
    throw new DevError((error as Error).message);
  }
  try {
    await access(options.input, constants.R_OK);
  } catch {
    throw new DevError(`cannot read the input file ${options.input}: it does not exist or is not readable`);
  }
  const ports: Array<[number, string, string]> = [
    [options.coordPort, 'coord, ZooKeeper protocol', '--coord-port'],
    [options.kafkaPort, 'log, Kafka protocol', '--kafka-port'],
    [options.redisPort, 'serving, Redis protocol', '--redis-port'],
  ];
  if (new Set(ports.map(([port]) => port)).size !== ports.length) throw new DevError(`--coord-port, --kafka-port and --redis-port must differ`);
  for (const [port, service, flag] of ports) await checkPortFree(port, service, flag);
  return (await readFile(options.input, 'utf8')).split('\n');
}

async function produceLines(kafka: Kafka, topic: string, lines: readonly string[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
  const producer = kafka.producer();
  await producer.connect();
  try {
    for (let start = 0; start < lines.length; start += LINES_PER_SEND) {
      await producer.send({ topic, acks: -1, messages: lines.slice(start, start + LINES_PER_SEND).map((value) => ({ value, partition: 0 })) });
    }
  } finally {
    await producer.disconnect();
  }
}

async function waitForCommit(offsets: FileOffsetStore, topic: string, endOffset: number): Promise<void> {
  const deadline = Date.now() + CATCH_UP_TIMEOUT_MS;
  while (((await offsets.read(topic, 0)) ?? 0) < endOffset) {
    if (Date.now() > deadline) throw new DevError(`the word-count topology did not process the ${endOffset} records of ${topic} within ${CATCH_UP_TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, CATCH_UP_POLL_MS));
  }
}

async function topWords(view: LambdaView<number>, store: { keyspace: ServingNode['keyspace'] }, top: number): Promise<DevWord[]> {
  const words: DevWord[] = [];
  for (const ranked of await view.top(store, top)) {
    const answer = await view.get(store, ranked.key);
    words.push({ word: ranked.key.toString('utf8'), count: Number(answer.value), batchVersion: answer.batchVersion, cutOffs: answer.cutOffs, realtimeOffsets: answer.realtimeOffsets });
  }
  return words;
}

export async function startDev(options: DevOptions, logger: Logger): Promise<DevSession> {
  const lines = await checkOptions(options);
  const workDir = await mkdtemp(join(tmpdir(), 'barista-dev-'));
  const closers: Array<[string, () => Promise<unknown>]> = [['working directory', () => rm(workDir, { recursive: true, force: true })]];
  const stop = async () => {
    for (const [what, close] of closers.reverse().splice(0)) await close().catch((error: unknown) => logger.warn({ err: error }, `shutting down the ${what} failed`));
  };
  try {
    const coord = await CoordNode.start({ serverId: 1, members: new Map(), dataDir: join(workDir, 'coord'), clientPort: options.coordPort, logger: logger.child({ component: 'coord' }) });
    closers.push(['coord', () => coord.stop()]);
    const coordAddress = `127.0.0.1:${coord.clientPort}`;
    const broker = await Broker.start({ dataDir: join(workDir, 'log'), coord: coordAddress, port: options.kafkaPort, logger: logger.child({ component: 'broker' }) });
    closers.push(['broker', () => broker.close()]);
    const serving = await ServingNode.start({ nodeId: 'dev', dataDir: join(workDir, 'serving'), coord: coordAddress, port: options.redisPort, peerPort: 0, n: 1, r: 1, w: 1, logger: logger.child({ component: 'serving' }) });
    closers.push(['serving node', () => serving.close()]);
    const bootstrap = { host: '127.0.0.1', port: broker.address().port };
    const endpoints = { coord: coordAddress, kafka: `${bootstrap.host}:${bootstrap.port}`, redis: `127.0.0.1:${serving.respPort}` };
    const store = { keyspace: serving.keyspace };
    logger.info({ ...endpoints, lines: lines.length }, 'embedded coord, broker and serving node up');

    const view = wordCountView(options.view, options.topic);
    await view.create(store);
    const kafka = new Kafka({ brokers: [endpoints.kafka], clientId: 'barista-dev', logLevel: logLevel.NOTHING });
    await produceLines(kafka, options.topic, lines);
    const offsets = new FileOffsetStore(join(workDir, 'speed-offsets.json'));
    const cluster = new LocalCluster({ logger: logger.child({ layer: 'speed' }) });
    closers.push(['topology', () => cluster.shutdown()]);
    cluster.errors$.subscribe(({ error }) => logger.warn({ err: error }, error.message));
    await cluster.submitTopology(options.view, {}, view.speedTopology({ ...store, bootstrap, offsetStore: offsets }));
    await waitForCommit(offsets, options.topic, lines.length);
    logger.info({ records: lines.length }, 'speed layer caught up: realtime view complete');

    const recompute = async () => {
      const context = new BatchContext({ workDirectory: join(workDir, 'batch'), slots: 1 });
      try {
        return await view.recompute({ ...store, bootstrap, context });
      } finally {
        await context.stop();
      }
    };
    const firstBatch = await recompute();
    logger.info({ version: firstBatch.version, cutOffs: firstBatch.cutOffs }, 'batch view published');
    const words = await topWords(view, store, options.top);

    if (!options.once) {
      let running: Promise<unknown> | undefined;
      const task: ScheduledTask = createTask(options.batchCron, () => {
        if (running !== undefined) return; // the previous recompute is still going: skip this tick
        running = recompute()
          .then((run) => logger.info({ version: run.version, cutOffs: run.cutOffs }, 'batch view published'))
          .catch((error: unknown) => logger.warn({ err: error }, 'batch recompute failed; the realtime view keeps answering'))
          .finally(() => (running = undefined));
      });
      await task.start();
      closers.push([
        'batch schedule',
        async () => {
          await task.stop();
          await running;
        },
      ]);
    }
    return { words, endpoints, firstBatch, stop };
  } catch (error) {
    await stop();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new DevError(`a port was taken while starting: ${(error as Error).message}`);
    throw error;
  }
}

/** One line of `barista dev`'s answer: count, word, and where the count comes from. */
export function formatDevWord(entry: DevWord): string {
  const covered = (offsets: Readonly<Record<string, number>>): string => Object.entries(offsets).map(([partition, offset]) => `${partition}@${offset}`).join(',') || 'nothing';
  const source = entry.batchVersion === undefined ? `realtime to ${covered(entry.realtimeOffsets)}` : `batch v${entry.batchVersion} to ${covered(entry.cutOffs)} + realtime to ${covered(entry.realtimeOffsets)}`;
  return `${String(entry.count).padStart(6)}  ${entry.word.padEnd(12)}  ${source}`;
}

/** What `barista dev` prints once it is ready to be used from other terminals. */
export function formatDevEndpoints(session: DevSession, options: DevOptions): string {
  const redisPort = session.endpoints.redis.split(':')[1];
  return [
    '',
    'barista dev is running — Ctrl-C to stop',
    `  coord    (ZooKeeper protocol)  ${session.endpoints.coord}`,
    `  log      (Kafka protocol)      ${session.endpoints.kafka}   topic ${options.topic}`,
    `  serving  (Redis protocol)      ${session.endpoints.redis}   view ${options.view}`,
    `  batch recompute                cron "${options.batchCron}"`,
    'try:',
    `  npx barista query ${options.view} nevermore --port ${redisPort}`,
    `  redis-cli -p ${redisPort} VIEW.GET ${options.view} raven`,
    `  echo "nevermore said the raven" | kcat -P -b ${session.endpoints.kafka} -t ${options.topic}`,
    '',
  ].join('\n');
}
