import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Broker } from '../core/log/broker/broker.js';
import { PartitionReader } from '../core/log/client/partition-reader.js';
import { createTickTuple, createTuple } from '../core/topology/api/index.js';
import { DEFAULT_STREAM_ID } from '../core/topology/builder/limits.js';
import { createTestContext, SettlingCollector } from '../core/topology/testing/component-harness.js';
import { BoltNotPreparedError, InvalidBoltOptionError } from './errors.js';
import { LogSinkBolt, type LogSinkBoltOptions } from './log-sink-bolt.js';


const counted = (word: string, count: number | bigint) => createTuple('counter', DEFAULT_STREAM_ID, ['word', 'count'], [word, count]);

describe('log sink bolt (against a real broker)', () => {
  let dir: string;
  let broker: Broker;
  let brokers: string[];
  let reader: PartitionReader;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'log-sink-bolt-'));
    broker = await Broker.start({ dataDir: dir });
    brokers = [`127.0.0.1:${broker.address().port}`];
    reader = new PartitionReader({ host: '127.0.0.1', port: broker.address().port });
    const admin = new Kafka({ brokers, clientId: 'log-sink-test', logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'counts', numPartitions: 1 }, { topic: 'whole', numPartitions: 1 }] });
    await admin.disconnect();
  });
  afterAll(async () => {
    await reader.close();
    await broker.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function prepared(options: Omit<LogSinkBoltOptions, 'brokers'>) {
    const bolt = new LogSinkBolt({ brokers, ...options });
    const collector = new SettlingCollector();
    const context = createTestContext(bolt);
    await bolt.prepare(context.config, context, collector);
    return { bolt, collector };
  }

  async function readAll(topic: string, count: number) {
    const records: { key: string | null; value: string | null }[] = [];
    while (records.length < count) {
      const fetched = await reader.fetch(topic, 0, records.length, { maxWaitMs: 100 });
      records.push(...fetched.records.map((record) => ({ key: record.key?.toString() ?? null, value: record.value?.toString() ?? null })));
    }
    return records;
  }

  it('writes one record per tuple in batches, keyed and valued by the chosen fields, acking after the send', async () => {
    const { bolt, collector } = await prepared({ topic: 'counts', keyField: 'word', valueField: 'count', maxBatchRecords: 100, lingerMs: 20 });
    const inputs = Array.from({ length: 250 }, (_, index) => counted(`w${index}`, index % 3 === 0 ? BigInt(index) : index));
    for (const input of inputs) await bolt.execute(input);
    expect(collector.acked).toEqual([]); // nothing acked before its request resolved
    await collector.settled(inputs.length);
    expect(collector.failed).toEqual([]);
    expect(new Set(collector.acked)).toEqual(new Set(inputs));
    expect(bolt.sentBatches).toBe(3);
    const records = await readAll('counts', inputs.length);
    expect(records).toEqual(inputs.map((_, index) => ({ key: `w${index}`, value: String(index) })));
    await bolt.cleanup();
  });

  it('writes the whole tuple as JSON by default, sends a partial batch on a tick, and flushes at cleanup', async () => {
    const { bolt, collector } = await prepared({ topic: 'whole', lingerMs: 10_000 });
    await bolt.execute(counted('the', 3));
    const tick = createTickTuple();
    await bolt.execute(tick);
    await collector.settled(2);
    await bolt.execute(counted('a', 12n));
    await bolt.cleanup();
    expect(collector.acked).toHaveLength(3);
    expect(collector.acked[0]).toBe(tick);
    expect(await readAll('whole', 2)).toEqual([
      { key: null, value: '{"word":"the","count":3}' },
      { key: null, value: '{"word":"a","count":"12"}' },
    ]);
  });

  it('fails the tuples of a request the broker refuses, and reports the error', async () => {
    const { bolt, collector } = await prepared({ topic: 'no-such-topic', retries: 0 });
    const inputs = [counted('x', 1), counted('y', 2)];
    for (const input of inputs) await bolt.execute(input);
    await collector.settled(inputs.length);
    expect(collector.failed).toEqual(inputs);
    expect(collector.acked).toEqual([]);
    expect(collector.errors).toHaveLength(1);
    await bolt.cleanup();
  });

  it('fails a tuple missing the key field at once, and checks its options', async () => {
    const { bolt, collector } = await prepared({ topic: 'counts', keyField: 'user' });
    const input = counted('x', 1);
    await bolt.execute(input);
    expect(collector.failed).toEqual([input]);
    expect(collector.errors).toHaveLength(1);
    await bolt.cleanup();
    expect(() => new LogSinkBolt({ brokers: [], topic: 't' })).toThrow(InvalidBoltOptionError);
    expect(() => new LogSinkBolt({ brokers, topic: 't', maxBatchRecords: 0 })).toThrow(InvalidBoltOptionError);
    expect(() => new LogSinkBolt({ brokers, topic: 't' }).execute(input)).toThrow(BoltNotPreparedError);
  });
});
