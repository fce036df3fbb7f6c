/**
 * The log spout against a real broker (embedded coord), driven by hand: every record emitted,
 * commits only below fully acked offsets, replays fetched again from the log, resume after a
 * crash, partitions spread over tasks.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { Broker } from '../core/log/broker/broker.js';
import { createTestContext, RecordingSpoutCollector } from '../core/topology/testing/component-harness.js';
import { until } from '../test/support/until.js';
import { LogSpout, type LogMessageId, type LogSpoutOptions } from './log-spout.js';
import { FileOffsetStore } from './offset-store.js';

let dir: string;
let broker: Broker;
let kafka: Kafka;
let producer: Producer;
let storeSequence = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'log-spout-'));
  broker = await Broker.start({ dataDir: join(dir, 'broker') });
  kafka = new Kafka({ brokers: [`127.0.0.1:${broker.address().port}`], clientId: 'log-spout-test', logLevel: logLevel.NOTHING });
  producer = kafka.producer();
  await producer.connect();
});
afterAll(async () => {
  await producer.disconnect();
  await broker.close();
  await rm(dir, { recursive: true, force: true });
});

async function createTopic(topic: string, partitions: number, recordsPerPartition: number): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true });
  await admin.disconnect();
  for (let partition = 0; partition < partitions; partition += 1) {
    const messages = Array.from({ length: recordsPerPartition }, (_, index) => ({ key: `k${partition}-${index}`, value: `v${partition}-${index}`, partition }));
    if (messages.length > 0) await producer.send({ topic, messages });
  }
}

type Options = Partial<LogSpoutOptions> & Pick<LogSpoutOptions, 'topic' | 'offsetStore'>;

async function openSpout(options: Options, taskIndex = 0, tasks = 1): Promise<{ spout: LogSpout; collector: RecordingSpoutCollector }> {
  const spout = new LogSpout({ bootstrap: { host: '127.0.0.1', port: broker.address().port }, fetchMaxWaitMs: 10, ...options });
  const collector = new RecordingSpoutCollector();
  const taskIds = Array.from({ length: tasks }, (_, index) => index + 1);
  const context = createTestContext(spout, { componentTaskIds: taskIds, taskId: taskIds[taskIndex]! });
  await spout.open(context.config, context, collector);
  return { spout, collector };
}

async function pump(spout: LogSpout, collector: RecordingSpoutCollector, count: number): Promise<void> {
  await until(`${count} tuples emitted`, async () => {
    await spout.nextTuple();
    return collector.emitted.length >= count;
  });
}

const newStore = () => new FileOffsetStore(join(dir, `offsets-${(storeSequence += 1)}.json`));
const ids = (collector: RecordingSpoutCollector) => collector.emitted.map((emit) => emit.messageId as LogMessageId);
const offsetsOf = (collector: RecordingSpoutCollector, partition: number) => ids(collector).filter((id) => id.partition === partition).map((id) => id.offset);

describe('log spout', () => {
  it('emits every record of every partition as (partition, offset, key, value)', async () => {
    await createTopic('all-records', 2, 15);
    const { spout, collector } = await openSpout({ topic: 'all-records', offsetStore: newStore(), emitsPerCall: 7 });
    expect(spout.assignedPartitions).toEqual([0, 1]);
    await pump(spout, collector, 30);
    const values = collector.emitted.map((emit) => emit.values);
    const expected = [0, 1].flatMap((partition) => Array.from({ length: 15 }, (_, index) => [partition, index, `k${partition}-${index}`, `v${partition}-${index}`]));
    expect(new Set(values.map((value) => JSON.stringify(value)))).toEqual(new Set(expected.map((value) => JSON.stringify(value))));
    expect(offsetsOf(collector, 0)).toEqual(Array.from({ length: 15 }, (_, index) => index));
    await spout.nextTuple();
    expect(collector.emitted).toHaveLength(30);
    await spout.close();
  });

  it('commits only below the first unacked offset, and replays a failed record fetched again from the log', async () => {
    await createTopic('commits', 1, 10);
    const store = newStore();
    const { spout, collector } = await openSpout({ topic: 'commits', offsetStore: store, commitIntervalMs: 3_600_000 });
    await pump(spout, collector, 10);
    for (const id of ids(collector)) if (id.offset !== 3 && id.offset !== 6) spout.ack(id);
    spout.fail(ids(collector)[3]!);
    await spout.commit();
    expect(await store.read('commits', 0)).toBe(3);
    await spout.nextTuple();
    const replay = collector.emitted[10]!;
    expect(replay.messageId).toEqual({ partition: 0, offset: 3 });
    expect(replay.values).toEqual([0, 3, 'k0-3', 'v0-3']);
    spout.ack(replay.messageId as LogMessageId);
    await spout.commit();
    expect(await store.read('commits', 0)).toBe(6);
    spout.ack(ids(collector)[6]!);
    await spout.close();
    expect(await store.read('commits', 0)).toBe(10);
  });

  it('tells each emit, first or replay, the settled offset: below it every record is fully acked', async () => {
    await createTopic('settled', 1, 8);
    const toValues = (record: { offset: number }, _partition: number, settled: number) => [record.offset, settled];
    const { spout, collector } = await openSpout({ topic: 'settled', offsetStore: newStore(), emitsPerCall: 3, toValues, fields: ['offset', 'settled'] });
    await pump(spout, collector, 3);
    const [zero, one, two] = ids(collector) as [LogMessageId, LogMessageId, LogMessageId];
    spout.ack(zero);
    spout.ack(one);
    spout.fail(two);
    await spout.nextTuple();
    spout.ack(collector.emitted[3]!.messageId as LogMessageId);
    spout.ack(collector.emitted[4]!.messageId as LogMessageId);
    await pump(spout, collector, 9);
    expect(collector.emitted.map((emit) => emit.values)).toEqual([[0, 0], [1, 0], [2, 0], [2, 2], [3, 2], [4, 2], [5, 4], [6, 4], [7, 4]]);
    await spout.close();
  });

  it('after a crash resumes at the committed offset: nothing below it again, nothing unacked lost', async () => {
    await createTopic('crash', 2, 20);
    const store = newStore();
    const crashed = await openSpout({ topic: 'crash', offsetStore: store, commitIntervalMs: 1 });
    await pump(crashed.spout, crashed.collector, 40);
    const unacked = new Set(['0:5', '0:17', '1:12']);
    const acked = ids(crashed.collector).filter((id) => !unacked.has(`${id.partition}:${id.offset}`));
    for (const id of acked) crashed.spout.ack(id);
    await until('offsets committed up to the unacked ones', async () => {
      await crashed.spout.nextTuple();
      return (await store.read('crash', 0)) === 5 && (await store.read('crash', 1)) === 12;
    });
    // Crash: dropped without close. A new instance reads the same store.
    const resumed = await openSpout({ topic: 'crash', offsetStore: new FileOffsetStore(store.path) });
    await pump(resumed.spout, resumed.collector, 15 + 8);
    await resumed.spout.nextTuple();
    expect(offsetsOf(resumed.collector, 0)).toEqual(Array.from({ length: 15 }, (_, index) => index + 5));
    expect(offsetsOf(resumed.collector, 1)).toEqual(Array.from({ length: 8 }, (_, index) => index + 12));
    const seen = new Set([...acked, ...ids(resumed.collector)].map((id) => `${id.partition}:${id.offset}`));
    expect(seen.size).toBe(40);
    await resumed.spout.close();
    await crashed.spout.close();
  });

  it('spreads all partitions of the topic over its tasks by task index', async () => {
    await createTopic('spread', 3, 4);
    const store = newStore();
    const first = await openSpout({ topic: 'spread', offsetStore: store }, 0, 2);
    const second = await openSpout({ topic: 'spread', offsetStore: store }, 1, 2);
    expect([first.spout.assignedPartitions, second.spout.assignedPartitions]).toEqual([[0, 2], [1]]);
    await pump(first.spout, first.collector, 8);
    await pump(second.spout, second.collector, 4);
    expect(new Set(ids(first.collector).map((id) => id.partition))).toEqual(new Set([0, 2]));
    expect(new Set(ids(second.collector).map((id) => id.partition))).toEqual(new Set([1]));
    await first.spout.close();
    await second.spout.close();
  });

  it('starts at the end of the log with startFrom latest, and reads an explicit partition list', async () => {
    await createTopic('latest', 2, 5);
    const { spout, collector } = await openSpout({ topic: 'latest', partitions: [1], startFrom: 'latest', offsetStore: newStore(), toValues: (record) => [record.value?.toString()] , fields: ['value'] });
    await spout.nextTuple();
    expect(collector.emitted).toHaveLength(0);
    await producer.send({ topic: 'latest', messages: [{ value: 'new-0', partition: 0 }, { value: 'new-1', partition: 1 }] });
    await pump(spout, collector, 1);
    expect(collector.emitted.map((emit) => [emit.messageId, emit.values])).toEqual([[{ partition: 1, offset: 5 }, ['new-1']]]);
    await spout.close();
  });

  it('pauses a partition at its bound of pending offsets until acks free it', async () => {
    await createTopic('bounded', 1, 6);
    const { spout, collector } = await openSpout({ topic: 'bounded', offsetStore: newStore(), maxPendingPerPartition: 3 });
    await pump(spout, collector, 3);
    await spout.nextTuple();
    expect(collector.emitted).toHaveLength(3);
    spout.ack(ids(collector)[0]!);
    await pump(spout, collector, 4);
    expect(offsetsOf(collector, 0)).toEqual([0, 1, 2, 3]);
    await spout.close();
  });

  it('refuses a topic the broker does not have, with its code', async () => {
    await expect(openSpout({ topic: 'no-such-topic', offsetStore: newStore() })).rejects.toMatchObject({ code: 'TOPIC_NOT_FOUND' });
  });
});
