/**
 * What the word-count tests share: the log embedded in the test process as `barista dev` runs it
 * (a single-server CoordNode and a Broker registered in it, in a temporary directory), The Raven
 * produced into it line by line with kafkajs, and readers of the output topic and offsets file.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { ravenPath } from '../../core/cli/package-root.js';
import { CoordNode } from '../../core/coord/coord-node.js';
import { Broker } from '../../core/log/broker/broker.js';
import { PartitionReader } from '../../core/log/client/partition-reader.js';
import { FileOffsetStore } from '../../spouts/offset-store.js';
import { parseWordDelta, type WordDeltaRecord } from './word-deltas.js';

/** Lines per produce request. */
const LINES_PER_SEND = 50;

export interface EmbeddedLog {
  readonly dir: string;
  readonly bootstrap: { host: string; port: number };
  readonly brokers: string[];
  readonly kafka: Kafka;
  close(): Promise<void>;
}

export async function startEmbeddedLog(name: string): Promise<EmbeddedLog> {
  const dir = await mkdtemp(join(tmpdir(), `${name}-`));
  const coord = await CoordNode.start({ serverId: 1, members: new Map(), dataDir: join(dir, 'coord') });
  const broker = await Broker.start({ dataDir: join(dir, 'log'), coord: `127.0.0.1:${coord.clientPort}`, autoCreateTopics: false });
  const bootstrap = { host: '127.0.0.1', port: broker.address().port };
  const brokers = [`${bootstrap.host}:${bootstrap.port}`];
  const kafka = new Kafka({ brokers, clientId: name, logLevel: logLevel.NOTHING });
  return {
    dir,
    bootstrap,
    brokers,
    kafka,
    close: async () => {
      await broker.close();
      await coord.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export async function createTopics(log: EmbeddedLog, topics: readonly { topic: string; numPartitions: number }[]): Promise<void> {
  const admin = log.kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [...topics], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}

export async function ravenText(): Promise<string> {
  return readFile(ravenPath(), 'utf8');
}

/** Produces line i to partition i mod `partitions`; returns each partition's end offset. */
export async function produceLines(log: EmbeddedLog, topic: string, lines: readonly string[], partitions: number): Promise<number[]> {
  const producer = log.kafka.producer();
  await producer.connect();
  try {
    for (let start = 0; start < lines.length; start += LINES_PER_SEND) {
      const messages = lines.slice(start, start + LINES_PER_SEND).map((value, index) => ({ value, partition: (start + index) % partitions }));
      await producer.send({ topic, acks: -1, messages });
    }
  } finally {
    await producer.disconnect();
  }
  return Array.from({ length: partitions }, (_, partition) => Math.ceil((lines.length - partition) / partitions));
}

/** Every record of partition 0 of `topic` up to its high watermark, parsed as word deltas. */
export async function readDeltas(log: EmbeddedLog, topic: string): Promise<WordDeltaRecord[]> {
  const reader = new PartitionReader(log.bootstrap, 'wordcount-test-reader');
  try {
    const records: WordDeltaRecord[] = [];
    let offset = 0;
    for (;;) {
      const fetched = await reader.fetch(topic, 0, offset, { maxWaitMs: 0 });
      for (const record of fetched.records) records.push(parseWordDelta(record.key?.toString('utf8') ?? null, record.value?.toString('utf8') ?? null));
      if (fetched.nextOffset >= fetched.highWatermark || fetched.nextOffset === offset) return records;
      offset = fetched.nextOffset;
    }
  } finally {
    await reader.close();
  }
}

/** The committed offset of every partition of `topic` in an offsets file (0 when none yet). */
export async function committedOffsets(path: string, topic: string, partitions: number): Promise<number[]> {
  const store = new FileOffsetStore(path); // a fresh instance: FileOffsetStore caches what it read
  return Promise.all(Array.from({ length: partitions }, async (_, partition) => (await store.read(topic, partition)) ?? 0));
}

/** Counts as a plain object sorted by word, so a mismatch prints as a readable diff. */
export function sortedCounts(counts: ReadonlyMap<string, number>): Record<string, number> {
  return Object.fromEntries([...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
