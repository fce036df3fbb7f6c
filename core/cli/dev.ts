/**
 * `barista dev`: the Lambda stack embedded in one process on localhost. Today that is the part
 * that exists: a single-server coord, a broker registered in it, The Raven produced line by line
 * into the log with kafkajs and read back with the Fetch API; the words of the records read back
 * are counted and the top ones printed. The topology, batch and serving layers will replace the
 * direct count as they land; the answer must stay the same.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import type { Logger } from '../telemetry/logger.js';
import { tokenize } from '../text/tokenize.js';
import { CoordNode } from '../coord/coord-node.js';
import { Broker } from '../log/broker/broker.js';
import { PartitionReader } from '../log/client/partition-reader.js';

export interface DevOptions {
  input: string;
  top: number;
}

export const DEV_TOPIC = 'raven';
const LINES_PER_SEND = 200;

async function produceLines(bootstrap: string, lines: string[]): Promise<void> {
  const kafka = new Kafka({ brokers: [bootstrap], clientId: 'barista-dev', logLevel: logLevel.NOTHING });
  const producer = kafka.producer({ allowAutoTopicCreation: true });
  await producer.connect();
  try {
    for (let start = 0; start < lines.length; start += LINES_PER_SEND) {
      await producer.send({ topic: DEV_TOPIC, acks: -1, messages: lines.slice(start, start + LINES_PER_SEND).map((value) => ({ value, partition: 0 })) });
    }
  } finally {
    await producer.disconnect();
  }
}

async function readAllValues(reader: PartitionReader, count: number): Promise<string[]> {
  const values: string[] = [];
  let offset = 0;
  while (values.length < count) {
    const { records, nextOffset } = await reader.fetch(DEV_TOPIC, 0, offset);
    for (const record of records) values.push(record.value?.toString('utf8') ?? '');
    offset = nextOffset;
  }
  return values;
}

export async function runDev(options: DevOptions, logger: Logger): Promise<Array<[string, number]>> {
  const lines = (await readFile(options.input, 'utf8')).split('\n');
  const workDir = await mkdtemp(join(tmpdir(), 'barista-dev-'));
  const coord = await CoordNode.start({ serverId: 1, members: new Map(), dataDir: join(workDir, 'coord'), logger: logger.child({ component: 'coord' }) });
  const broker = await Broker.start({ dataDir: join(workDir, 'log'), coord: `127.0.0.1:${coord.clientPort}`, logger: logger.child({ component: 'broker' }) });
  const bootstrap = `127.0.0.1:${broker.address().port}`;
  const reader = new PartitionReader({ host: '127.0.0.1', port: broker.address().port });
  try {
    logger.info({ coord: coord.clientPort, broker: bootstrap, lines: lines.length }, 'embedded coord and broker up; producing the input into the log');
    await produceLines(bootstrap, lines);
    const values = await readAllValues(reader, lines.length);
    logger.warn('the topology, batch and serving layers are not built yet: counting the words of the records read back from the log directly');
    const counts = new Map<string, number>();
    for (const word of values.flatMap(tokenize)) counts.set(word, (counts.get(word) ?? 0) + 1);
    logger.info({ input: options.input, records: values.length, distinctWords: counts.size }, 'word count done');
    return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, options.top);
  } finally {
    await reader.close();
    await broker.close();
    await coord.stop();
    await rm(workDir, { recursive: true, force: true });
  }
}
