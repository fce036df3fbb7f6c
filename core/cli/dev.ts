/**
 * `barista dev`: the Lambda stack embedded in one process on localhost — a single-server coord,
 * a broker, a serving node — running the word-count view (examples/wordcount/view.ts) end to end:
 * the input is produced line by line into the log; the view's speed layer (a topology) applies
 * per-line word deltas to the realtime side; once it has caught up, one batch recompute (RDDs over
 * a log snapshot up to a bucket-aligned cut-off) publishes the first batch version; the top words
 * are read back from the serving layer. Then it keeps running — more lines produced with any Kafka
 * client are counted, the batch recompute runs on its cron schedule, queries go to the Redis port —
 * until Ctrl-C, which shuts everything down in order.
 *
 * --kafka, --zookeeper and --redis replace the embedded engines by external ones (dev-external.ts):
 * the log, the spout's offsets (as storm-kafka kept them in ZooKeeper) and the view's store.
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
import { FileOffsetStore, type OffsetStore } from '../../spouts/offset-store.js';
import type { ServerKind } from '../../serving/client/index.js';
import { ViewCatalog } from '../../serving/views/catalog.js';
import { wordCountView } from '../../examples/wordcount/view.js';
import type { LambdaBatchRun, LambdaView, ViewStore } from '../../lambda/index.js';
import { DevError } from './dev-error.js';
import { checkExternalServices, checkKafkaApiVersions, connectExternalRedis, connectExternalZooKeeper, devOffsetsRoot, ensureTopic, parseHostPort, partitionEndOffset, zooKeeperOffsetStore } from './dev-external.js';
import { monotonicNowMs } from '../clock/monotonic-clock.js';

export { DevError } from './dev-error.js';

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
  /** An external Kafka broker (host:port) instead of the embedded one. */
  kafka?: string | undefined;
  /** An external ZooKeeper ensemble: the spout's offsets, and the embedded broker's and serving node's registrations. */
  zookeeper?: string | undefined;
  /** An external Redis or serving node (host:port) holding the view instead of the embedded serving node. */
  redis?: string | undefined;
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

const LINES_PER_SEND = 200;
const CATCH_UP_TIMEOUT_MS = 60_000;
const CATCH_UP_POLL_MS = 50;
const VIEW_NAME = /^[A-Za-z0-9_.-]{1,128}$/;

export interface DevEndpoints {
  /** The coord or ZooKeeper in use; undefined when nothing needs one. */
  readonly coord: string | undefined;
  readonly kafka: string;
  readonly redis: string;
  /** Which engines are external (given by flag) rather than embedded. */
  readonly external: { readonly coord: boolean; readonly kafka: boolean; readonly redis: boolean };
  /** The server holding the view: only a Barista serving node answers VIEW.* and `barista query`. */
  readonly viewServer: ServerKind;
  /** Where the spout commits its offsets. */
  readonly offsets: string;
}

export interface DevSession {
  readonly words: readonly DevWord[];
  readonly endpoints: DevEndpoints;
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
  const embedded = embeddedEngines(options);
  const ports: Array<[number, string, string]> = [
    ...(embedded.coord ? [[options.coordPort, 'coord, ZooKeeper protocol', '--coord-port'] as [number, string, string]] : []),
    ...(embedded.kafka ? [[options.kafkaPort, 'log, Kafka protocol', '--kafka-port'] as [number, string, string]] : []),
    ...(embedded.redis ? [[options.redisPort, 'serving, Redis protocol', '--redis-port'] as [number, string, string]] : []),
  ];
  if (new Set(ports.map(([port]) => port)).size !== ports.length) throw new DevError(`${ports.map(([, , flag]) => flag).join(', ')} must differ`);
  await checkExternalServices(options);
  for (const [port, service, flag] of ports) await checkPortFree(port, service, flag);
  return (await readFile(options.input, 'utf8')).split('\n');
}

/** What runs in this process: the broker and serving node unless replaced, and a coord only when
 * one of them needs it and no ZooKeeper was given. */
function embeddedEngines(options: DevOptions): { coord: boolean; kafka: boolean; redis: boolean } {
  const kafka = options.kafka === undefined;
  const redis = options.redis === undefined;
  return { kafka, redis, coord: options.zookeeper === undefined && (kafka || redis) };
}

async function produceLines(kafka: Kafka, topic: string, lines: readonly string[]): Promise<void> {
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

async function waitForCommit(offsets: OffsetStore, topic: string, endOffset: number): Promise<void> {
  const deadline = monotonicNowMs() + CATCH_UP_TIMEOUT_MS;
  while (((await offsets.read(topic, 0)) ?? 0) < endOffset) {
    if (monotonicNowMs() > deadline) throw new DevError(`the word-count topology did not process the ${endOffset} records of ${topic} within ${CATCH_UP_TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, CATCH_UP_POLL_MS));
  }
}

async function topWords(view: LambdaView<number>, store: ViewStore, top: number): Promise<DevWord[]> {
  const words: DevWord[] = [];
  for (const ranked of await view.top(store, top)) {
    const answer = await view.get(store, ranked.key);
    words.push({ word: ranked.key.toString('utf8'), count: Number(answer.value), batchVersion: answer.batchVersion, cutOffs: answer.cutOffs, realtimeOffsets: answer.realtimeOffsets });
  }
  return words;
}

type Closers = Array<[string, () => Promise<unknown>]>;

interface Engines {
  readonly endpoints: Omit<DevEndpoints, 'offsets'>;
  readonly bootstrap: { host: string; port: number };
  readonly store: ViewStore;
}

/** Starts the embedded engines the options do not replace and connects to the external ones. */
async function startEngines(options: DevOptions, workDir: string, logger: Logger, closers: Closers): Promise<Engines> {
  const embedded = embeddedEngines(options);
  let coord = options.zookeeper;
  if (embedded.coord) {
    const node = await CoordNode.start({ serverId: 1, members: new Map(), dataDir: join(workDir, 'coord'), clientPort: options.coordPort, logger: logger.child({ component: 'coord' }) });
    closers.push(['coord', () => node.stop()]);
    coord = `127.0.0.1:${node.clientPort}`;
  }
  let bootstrap: { host: string; port: number };
  if (options.kafka === undefined) {
    const broker = await Broker.start({ dataDir: join(workDir, 'log'), coord, port: options.kafkaPort, logger: logger.child({ component: 'broker' }) });
    closers.push(['broker', () => broker.close()]);
    bootstrap = { host: '127.0.0.1', port: broker.address().port };
  } else {
    await checkKafkaApiVersions(options.kafka);
    bootstrap = parseHostPort(options.kafka, '--kafka');
  }
  let store: ViewStore;
  let redis: string;
  let viewServer: ServerKind = 'barista';
  if (options.redis === undefined) {
    const serving = await ServingNode.start({ nodeId: 'dev', dataDir: join(workDir, 'serving'), coord, port: options.redisPort, peerPort: 0, n: 1, r: 1, w: 1, logger: logger.child({ component: 'serving' }) });
    closers.push(['serving node', () => serving.close()]);
    store = { keyspace: serving.keyspace };
    redis = `127.0.0.1:${serving.respPort}`;
  } else {
    const keyspace = await connectExternalRedis(options.redis);
    closers.push(['view store connection', () => keyspace.close()]);
    store = { keyspace };
    redis = options.redis;
    viewServer = keyspace.server;
  }
  const external = { coord: options.zookeeper !== undefined, kafka: options.kafka !== undefined, redis: options.redis !== undefined };
  const endpoints = { coord, kafka: options.kafka ?? `${bootstrap.host}:${bootstrap.port}`, redis, external, viewServer };
  logger.info({ ...endpoints }, 'engines up');
  return { endpoints, bootstrap, store };
}

/**
 * A view already in an external store while the log is new (embedded) holds counts of a log that
 * is gone: this run's deltas would be dropped as replays of offsets it already applied.
 */
async function refuseStaleView(options: DevOptions, store: ViewStore): Promise<void> {
  if (options.redis === undefined || options.kafka !== undefined) return;
  if ((await new ViewCatalog(store).find(options.view)) === undefined) return;
  const { host, port } = parseHostPort(options.redis, '--redis');
  const redisCli = `redis-cli -h ${host} -p ${port}`;
  throw new DevError(
    `view '${options.view}' already exists at ${options.redis} from an earlier run, but this run's log is new (embedded), so its counts would be wrong; ` +
      `delete its keys (${redisCli} --scan --pattern 'barista:view:${options.view}:*' | xargs ${redisCli} DEL) or pass another --view`,
  );
}

async function openOffsetStore(options: DevOptions, workDir: string, closers: Closers): Promise<{ offsets: OffsetStore; where: string }> {
  if (options.zookeeper === undefined) {
    const path = join(workDir, 'speed-offsets.json');
    return { offsets: new FileOffsetStore(path), where: path };
  }
  const client = await connectExternalZooKeeper(options.zookeeper);
  closers.push(['ZooKeeper session of the offsets', () => client.close()]);
  const resume = options.kafka !== undefined && options.redis !== undefined;
  const offsets = await zooKeeperOffsetStore(client, options.view, options.topic, resume);
  return { offsets, where: `${options.zookeeper} ${devOffsetsRoot(options.view)}` };
}

/** Writes the input into the log (creating the topic on an external cluster if missing); returns partition 0's end offset. */
async function fillLog(options: DevOptions, kafkaAddress: string, lines: readonly string[]): Promise<number> {
  const kafka = new Kafka({ brokers: [kafkaAddress], clientId: 'barista-dev', logLevel: logLevel.NOTHING });
  try {
    await ensureTopic(kafka, options.topic, kafkaAddress);
    await produceLines(kafka, options.topic, lines);
    return await partitionEndOffset(kafka, options.topic);
  } catch (error) {
    if (error instanceof DevError) throw error;
    throw new DevError(`writing the input to ${options.topic} at ${kafkaAddress} failed: ${(error as Error).message}`);
  }
}

export async function startDev(options: DevOptions, logger: Logger): Promise<DevSession> {
  const lines = await checkOptions(options);
  const workDir = await mkdtemp(join(tmpdir(), 'barista-dev-'));
  const closers: Closers = [['working directory', () => rm(workDir, { recursive: true, force: true })]];
  const stop = async () => {
    for (const [what, close] of closers.reverse().splice(0)) await close().catch((error: unknown) => logger.warn({ err: error }, `shutting down the ${what} failed`));
  };
  try {
    const { endpoints: engines, bootstrap, store } = await startEngines(options, workDir, logger, closers);
    const { offsets, where } = await openOffsetStore(options, workDir, closers);
    const endpoints: DevEndpoints = { ...engines, offsets: where };

    await refuseStaleView(options, store);
    const view = wordCountView(options.view, options.topic);
    await view.create(store);
    const endOffset = await fillLog(options, endpoints.kafka, lines);
    const cluster = new LocalCluster({ logger: logger.child({ layer: 'speed' }) });
    closers.push(['topology', () => cluster.shutdown()]);
    cluster.errors$.subscribe(({ error }) => logger.warn({ err: error }, error.message));
    await cluster.submitTopology(options.view, {}, view.speedTopology({ ...store, bootstrap, offsetStore: offsets }));
    await waitForCommit(offsets, options.topic, endOffset);
    logger.info({ records: lines.length, endOffset }, 'speed layer caught up: realtime view complete');

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
    if (!options.once) await scheduleRecompute(options.batchCron, recompute, logger, closers);
    return { words, endpoints, firstBatch, stop };
  } catch (error) {
    await stop();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new DevError(`a port was taken while starting: ${(error as Error).message}`);
    throw error;
  }
}

async function scheduleRecompute(cron: string, recompute: () => Promise<LambdaBatchRun>, logger: Logger, closers: Closers): Promise<void> {
  let running: Promise<unknown> | undefined;
  const task: ScheduledTask = createTask(cron, () => {
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

/** One line of `barista dev`'s answer: count, word, and where the count comes from. */
export function formatDevWord(entry: DevWord): string {
  const covered = (offsets: Readonly<Record<string, number>>): string => Object.entries(offsets).map(([partition, offset]) => `${partition}@${offset}`).join(',') || 'nothing';
  const source = entry.batchVersion === undefined ? `realtime to ${covered(entry.realtimeOffsets)}` : `batch v${entry.batchVersion} to ${covered(entry.cutOffs)} + realtime to ${covered(entry.realtimeOffsets)}`;
  return `${String(entry.count).padStart(6)}  ${entry.word.padEnd(12)}  ${source}`;
}

/** What `barista dev` prints once it is ready to be used from other terminals. */
export function formatDevEndpoints(session: DevSession, options: DevOptions): string {
  const { coord, kafka, redis, external, viewServer, offsets } = session.endpoints;
  const { host, port } = parseHostPort(redis, '--redis');
  const hostFlag = host === '127.0.0.1' ? '' : ` --host ${host}`;
  const redisCli = `redis-cli${host === '127.0.0.1' ? '' : ` -h ${host}`} -p ${port}`;
  const origin = (isExternal: boolean) => (isExternal ? 'external' : 'embedded');
  const queries =
    viewServer === 'barista'
      ? [`  npx barista query ${options.view} nevermore${hostFlag} --port ${port}`, `  ${redisCli} VIEW.GET ${options.view} raven`]
      : [
          // A plain Redis stores the view's keys but has no VIEW.* commands (nor does `barista query` work there):
          // the merged answer is computed by the client library.
          `  the view is in a plain Redis: VIEW.GET and \`barista query\` need a Barista serving node and do not work there;`,
          `  read it in code with ViewReader (or lambdaView.get) on RespKeyspace.connect({ host: '${host}', port: ${port} }),`,
          `  or look at its raw keys: ${redisCli} --scan --pattern 'barista:view:${options.view}:*'`,
        ];
  return [
    '',
    'barista dev is running — Ctrl-C to stop',
    `  coord    (ZooKeeper protocol)  ${coord === undefined ? 'none (nothing embedded needs one)' : `${coord}   ${origin(external.coord)}`}`,
    `  log      (Kafka protocol)      ${kafka}   ${origin(external.kafka)}, topic ${options.topic}`,
    `  serving  (Redis protocol)      ${redis}   ${external.redis ? `external ${viewServer === 'barista' ? 'Barista serving node' : 'plain Redis'}` : 'embedded'}, view ${options.view}`,
    `  spout offsets                  ${offsets}`,
    `  batch recompute                cron "${options.batchCron}"`,
    'try:',
    ...queries,
    `  echo "nevermore said the raven" | kcat -P -b ${kafka} -t ${options.topic}`,
    '',
  ].join('\n');
}
