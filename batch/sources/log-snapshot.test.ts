/**
 * Log snapshots against a real Barista broker, written to with kafkajs: the cut-off is fixed at
 * plan time, every record below it is read once and in order, checkpoints chain snapshots.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { Broker } from '../../core/log/broker/broker.js';
import { LogSourceError } from './errors.js';
import { planLogSnapshot, readLogPartition, type LogRecord, type LogSnapshotPlan } from './log-snapshot.js';

let dir: string;
let broker: Broker;
let kafka: Kafka;
let producer: Producer;
let bootstrap: { host: string; port: number };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'log-snapshot-'));
  broker = await Broker.start({ dataDir: join(dir, 'broker') });
  bootstrap = { host: '127.0.0.1', port: broker.address().port };
  kafka = new Kafka({ brokers: [`127.0.0.1:${bootstrap.port}`], clientId: 'log-snapshot-test', logLevel: logLevel.NOTHING });
  producer = kafka.producer();
  await producer.connect();
});
afterAll(async () => {
  await producer.disconnect();
  await broker.close();
  await rm(dir, { recursive: true, force: true });
});

async function createTopic(topic: string, partitions: number): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true });
  await admin.disconnect();
}

/** Sends `count` records to each partition, in batches of 10, values tagged with `round`. */
async function produce(topic: string, partitions: number[], count: number, round: string, valueBytes = 0): Promise<void> {
  for (const partition of partitions) {
    for (let first = 0; first < count; first += 10) {
      const messages = Array.from({ length: Math.min(10, count - first) }, (_, index) => ({ partition, key: `k${first + index}`, value: `${round}-${partition}-${first + index}${'.'.repeat(valueBytes)}` }));
      await producer.send({ topic, messages });
    }
  }
}

async function readAll(plan: LogSnapshotPlan, partition: number, maxBytes?: number): Promise<{ records: LogRecord[]; chunks: number }> {
  const entry = plan.partitions.find((candidate) => candidate.partition === partition)!;
  const records: LogRecord[] = [];
  let chunks = 0;
  for await (const chunk of readLogPartition(bootstrap, plan.topic, partition, entry.startOffset, entry.cutOffOffset, maxBytes === undefined ? {} : { maxBytes })) {
    expect(chunk.length).toBeGreaterThan(0);
    chunks += 1;
    records.push(...chunk);
  }
  return { records, chunks };
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, index) => from + index);

describe('log snapshot', () => {
  it('cuts every partition at its high watermark when planned: later records are not read', async () => {
    await createTopic('snapshot', 3);
    await produce('snapshot', [0, 1, 2], 25, 'before');
    await produce('snapshot', [1], 5, 'before-extra');
    const plan = await planLogSnapshot({ bootstrap, topic: 'snapshot' });
    expect(plan).toEqual({
      topic: 'snapshot',
      partitions: [
        { partition: 0, startOffset: 0, cutOffOffset: 25 },
        { partition: 1, startOffset: 0, cutOffOffset: 30 },
        { partition: 2, startOffset: 0, cutOffOffset: 25 },
      ],
    });
    await produce('snapshot', [0, 1, 2], 15, 'after');
    for (const partition of [0, 1, 2]) {
      const { records } = await readAll(plan, partition);
      expect(records.map((record) => record.offset)).toEqual(range(0, partition === 1 ? 30 : 25));
      expect(records.every((record) => record.value?.toString().startsWith('before'))).toBe(true);
      expect(records[3]!.value?.toString()).toBe(`before-${partition}-3`);
      expect(records[3]!.key?.toString()).toBe('k3');
    }
  });

  it('starts from checkpoints, so the next snapshot reads exactly what came after the previous cut-off', async () => {
    await createTopic('chained', 2);
    await produce('chained', [0, 1], 12, 'first');
    const first = await planLogSnapshot({ bootstrap, topic: 'chained' });
    await produce('chained', [0], 7, 'second');
    const from = Object.fromEntries(first.partitions.map((entry) => [entry.partition, entry.cutOffOffset]));
    const second = await planLogSnapshot({ bootstrap, topic: 'chained', from });
    expect(second.partitions).toEqual([
      { partition: 0, startOffset: 12, cutOffOffset: 19 },
      { partition: 1, startOffset: 12, cutOffOffset: 12 },
    ]);
    expect((await readAll(second, 0)).records.map((record) => record.value?.toString())).toEqual(range(0, 7).map((index) => `second-0-${index}`));
    expect((await readAll(second, 1)).chunks).toBe(0);
    const partial = await planLogSnapshot({ bootstrap, topic: 'chained', from: { 1: 4 } });
    expect(partial.partitions).toEqual([
      { partition: 0, startOffset: 0, cutOffOffset: 19 },
      { partition: 1, startOffset: 4, cutOffOffset: 12 },
    ]);
  });

  it('fetches repeatedly until the cut-off, in offset order, none missing', async () => {
    await createTopic('many-fetches', 1);
    await produce('many-fetches', [0], 200, 'big', 200);
    const plan = await planLogSnapshot({ bootstrap, topic: 'many-fetches' });
    const { records, chunks } = await readAll(plan, 0, 4_096);
    expect(chunks).toBeGreaterThan(5);
    expect(records.map((record) => record.offset)).toEqual(range(0, 200));
  });

  it('stops mid-batch at the cut-off and on an empty range', async () => {
    await createTopic('mid-batch', 1);
    await produce('mid-batch', [0], 10, 'x');
    const chunks: number[][] = [];
    for await (const chunk of readLogPartition(bootstrap, 'mid-batch', 0, 3, 7)) chunks.push(chunk.map((record) => record.offset));
    expect(chunks.flat()).toEqual([3, 4, 5, 6]);
    for await (const _ of readLogPartition(bootstrap, 'mid-batch', 0, 5, 5)) throw new Error('an empty range yielded records');
  });

  it('refuses unknown topics, checkpoints outside the log and bad ranges with typed errors', async () => {
    await expect(planLogSnapshot({ bootstrap, topic: 'no-such-topic' })).rejects.toMatchObject({ code: 'TOPIC_NOT_FOUND', topic: 'no-such-topic' });
    await createTopic('checked', 2);
    await produce('checked', [0], 3, 'c');
    await expect(planLogSnapshot({ bootstrap, topic: 'checked', from: { 0: 4 } })).rejects.toMatchObject({ code: 'CHECKPOINT_OUT_OF_RANGE', partition: 0 });
    await expect(planLogSnapshot({ bootstrap, topic: 'checked', from: { 5: 0 } })).rejects.toThrow(/partition 5/);
    await expect(planLogSnapshot({ bootstrap, topic: 'checked', from: { 0: -1 } })).rejects.toMatchObject({ code: 'INVALID_SOURCE_OPTION' });
    const read = async (start: number, cutOff: number) => {
      for await (const _ of readLogPartition(bootstrap, 'checked', 0, start, cutOff)) void _;
    };
    await expect(read(5, 2)).rejects.toMatchObject({ code: 'INVALID_SOURCE_OPTION', option: 'cutOffOffset' });
    const failure = await read(50, 60).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(LogSourceError);
    expect(failure).toMatchObject({ code: 'LOG_READ_FAILED', topic: 'checked', partition: 0 });
  });
});
