/**
 * `barista dev`: the Lambda stack embedded in one process on localhost — a single-server coord,
 * a broker, a serving node — running the word count end to end: The Raven is produced line by
 * line into the log; the word-count topology (speed layer) applies per-line word deltas to the
 * `wordcount` view; once it has caught up, a batch recompute (RDDs over a log snapshot up to a
 * bucket-aligned cut-off) publishes version 1 of the view; the top words are then read back from
 * the serving layer, each the batch value up to the cut-off plus the realtime deltas after it.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import type { Logger } from '../telemetry/logger.js';
import { CoordNode } from '../coord/coord-node.js';
import { Broker } from '../log/broker/broker.js';
import { ServingNode } from '../../serving/node/serving-node.js';
import { ViewCatalog } from '../../serving/views/catalog.js';
import { ViewReader } from '../../serving/views/view-reader.js';
import { recomputeBatchView, startSpeedLayer } from './dev-pipeline.js';

export interface DevOptions {
  input: string;
  top: number;
}

export interface DevWord {
  readonly word: string;
  readonly count: number;
  /** Batch version the count includes, and the last offset per partition it covers. */
  readonly batchVersion: number | undefined;
  readonly cutOffs: Readonly<Record<string, number>>;
  /** Highest offset per partition the count reflects (batch or realtime). */
  readonly realtimeOffsets: Readonly<Record<string, number>>;
}

export const DEV_TOPIC = 'raven';
export const DEV_VIEW = 'wordcount';
/** Realtime buckets of the dev view: the batch cut-off is the last offset of a bucket. */
const DEV_BUCKET_OFFSETS = 50;
const LINES_PER_SEND = 200;
const CATCH_UP_TIMEOUT_MS = 60_000;

async function produceLines(bootstrap: string, lines: string[]): Promise<void> {
  const kafka = new Kafka({ brokers: [bootstrap], clientId: 'barista-dev', logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: DEV_TOPIC, numPartitions: 1 }], waitForLeaders: true });
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  try {
    for (let start = 0; start < lines.length; start += LINES_PER_SEND) {
      await producer.send({ topic: DEV_TOPIC, acks: -1, messages: lines.slice(start, start + LINES_PER_SEND).map((value) => ({ value, partition: 0 })) });
    }
  } finally {
    await producer.disconnect();
  }
}

export async function runDev(options: DevOptions, logger: Logger): Promise<DevWord[]> {
  const lines = (await readFile(options.input, 'utf8')).split('\n');
  const workDir = await mkdtemp(join(tmpdir(), 'barista-dev-'));
  const closers: (() => Promise<unknown>)[] = [];
  try {
    const coord = await CoordNode.start({ serverId: 1, members: new Map(), dataDir: join(workDir, 'coord'), logger: logger.child({ component: 'coord' }) });
    closers.push(() => coord.stop());
    const coordAddress = `127.0.0.1:${coord.clientPort}`;
    const broker = await Broker.start({ dataDir: join(workDir, 'log'), coord: coordAddress, logger: logger.child({ component: 'broker' }) });
    closers.push(() => broker.close());
    const serving = await ServingNode.start({ nodeId: 'dev', dataDir: join(workDir, 'serving'), coord: coordAddress, port: 0, peerPort: 0, n: 1, r: 1, w: 1, logger: logger.child({ component: 'serving' }) });
    closers.push(() => serving.close());
    const bootstrap = { host: '127.0.0.1', port: broker.address().port };
    const keyspace = serving.keyspace;
    logger.info({ coord: coordAddress, broker: `${bootstrap.host}:${bootstrap.port}`, redis: serving.respPort, lines: lines.length }, 'embedded coord, broker and serving node up');
    await new ViewCatalog({ keyspace }).create(DEV_VIEW, 'sum', { bucketOffsets: DEV_BUCKET_OFFSETS });
    await produceLines(`${bootstrap.host}:${bootstrap.port}`, lines);
    const speed = await startSpeedLayer(bootstrap, DEV_TOPIC, DEV_VIEW, keyspace, workDir, logger);
    closers.push(() => speed.cluster.shutdown());
    await speed.caughtUp(lines.length, CATCH_UP_TIMEOUT_MS);
    logger.info({ records: lines.length }, 'speed layer caught up: realtime view complete');
    const batch = await recomputeBatchView(bootstrap, DEV_TOPIC, DEV_VIEW, keyspace, workDir);
    logger.info({ version: batch.version, cutOffs: batch.cutOffs }, 'batch view published');
    const reader = new ViewReader({ keyspace });
    const words: DevWord[] = [];
    for (const ranked of await reader.top(DEV_VIEW, options.top)) {
      const answer = await reader.get(DEV_VIEW, ranked.key);
      words.push({ word: ranked.key.toString('utf8'), count: Number(answer.value), batchVersion: answer.batchVersion, cutOffs: answer.cutOffs, realtimeOffsets: answer.realtimeOffsets });
    }
    logger.info({ input: options.input, records: lines.length, top: words.length }, 'word count done');
    return words;
  } finally {
    for (const close of closers.reverse()) await close().catch((error: unknown) => logger.warn({ err: error }, 'shutdown step failed'));
    await rm(workDir, { recursive: true, force: true });
  }
}

/** One line of `barista dev`'s answer: count, word, and where the count comes from. */
export function formatDevWord(entry: DevWord): string {
  const covered = (offsets: Readonly<Record<string, number>>): string => Object.entries(offsets).map(([partition, offset]) => `${partition}@${offset}`).join(',') || 'nothing';
  const source = entry.batchVersion === undefined ? `realtime to ${covered(entry.realtimeOffsets)}` : `batch v${entry.batchVersion} to ${covered(entry.cutOffs)} + realtime to ${covered(entry.realtimeOffsets)}`;
  return `${String(entry.count).padStart(6)}  ${entry.word.padEnd(12)}  ${source}`;
}
