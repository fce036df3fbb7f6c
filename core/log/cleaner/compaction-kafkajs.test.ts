import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompressionTypes, Kafka, logLevel, type Producer } from 'kafkajs';
import { Broker, type BrokerOptions } from '../broker/broker.js';

const TOPIC = 'compacted';
const KEYS = 12;
const ROUNDS = 25;

interface Consumed {
  offset: number;
  key: string;
  value: string | null;
}

describe('compaction with kafkajs on a real broker', () => {
  let dir: string;
  let broker: Broker;
  let producer: Producer;
  const produced: Consumed[] = [];
  const options = (): BrokerOptions => ({ dataDir: dir, log: { segmentBytes: 2048 }, cleaner: { intervalMs: 3_600_000 } });
  const kafka = () => new Kafka({ clientId: 'compaction-test', brokers: [`127.0.0.1:${broker.address().port}`], logLevel: logLevel.NOTHING });

  async function produceRound(round: number, compressed: boolean): Promise<void> {
    const messages = Array.from({ length: KEYS }, (_, key) => ({ key: `key-${key}`, value: round === ROUNDS - 1 && key % 4 === 0 ? null : `round-${round}-key-${key}` }));
    const [metadata] = await producer.send({ topic: TOPIC, messages, ...(compressed ? { compression: CompressionTypes.GZIP } : {}) });
    const baseOffset = Number(metadata!.baseOffset);
    messages.forEach((message, i) => produced.push({ offset: baseOffset + i, key: message.key, value: message.value }));
  }

  /** Everything from offset 0 up to the log end, with a plain consumer group reading from the start. */
  async function consumeAll(groupId: string): Promise<Consumed[]> {
    const admin = kafka().admin();
    await admin.connect();
    const high = (await admin.fetchTopicOffsets(TOPIC))[0]!.high;
    await admin.disconnect();
    const consumer = kafka().consumer({ groupId, maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
    const records: Consumed[] = [];
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          eachMessage: async ({ message }) => {
            records.push({ offset: Number(message.offset), key: message.key!.toString(), value: message.value?.toString() ?? null });
            if (Number(message.offset) + 1 >= Number(high)) resolve();
          },
        })
        .catch(reject);
    });
    await consumer.disconnect();
    return records;
  }

  /** The active segment's base offset, from the partition directory's file names. */
  async function activeBaseOffset(): Promise<number> {
    const names = await readdir(join(dir, `${TOPIC}-0`));
    return Math.max(...names.filter((name) => /^\d{20}\.log$/.test(name)).map((name) => Number(name.slice(0, 20))));
  }

  function expected(activeBase: number, deleteTombstones: boolean): Consumed[] {
    const latest = new Map<string, Consumed>();
    for (const record of produced) if (record.offset < activeBase) latest.set(record.key, record);
    const cleaned = [...latest.values()].filter((record) => !deleteTombstones || record.value !== null);
    return [...cleaned, ...produced.filter((record) => record.offset >= activeBase)].sort((a, b) => a.offset - b.offset);
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'compaction-kafkajs-'));
    broker = await Broker.start(options());
    const admin = kafka().admin();
    await admin.connect();
    await admin.createTopics({
      topics: [{ topic: TOPIC, numPartitions: 1, configEntries: [{ name: 'cleanup.policy', value: 'compact' }, { name: 'delete.retention.ms', value: '0' }] }],
    });
    await admin.disconnect();
    producer = kafka().producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    for (let round = 0; round < ROUNDS; round++) await produceRound(round, round % 2 === 1);
  }, 30_000);

  afterAll(async () => {
    await producer.disconnect();
    await broker.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('a consumer from the start reads exactly the latest value per key, plus the active segment, offsets preserved', async () => {
    expect(await consumeAll('before-cleaning')).toEqual(produced);
    expect(await broker.cleaner.runPass(true)).toBeGreaterThan(0);
    const activeBase = await activeBaseOffset();
    // delete.retention.ms=0: the tombstones of the closed segments are gone too.
    expect(await consumeAll('after-cleaning')).toEqual(expected(activeBase, true));
  }, 30_000);

  it('refuses records without a key with INVALID_RECORD, as Kafka does for compacted topics', async () => {
    const plain = kafka().producer();
    await plain.connect();
    await expect(plain.send({ topic: TOPIC, messages: [{ value: 'no key' }] })).rejects.toMatchObject({ type: 'INVALID_RECORD' });
    await plain.disconnect();
  }, 30_000);

  it('the idempotent producer goes on after cleaning and after a restart (its state survives in the kept batch headers)', async () => {
    await produceRound(ROUNDS, false);
    await producer.disconnect();
    await broker.close();
    broker = await Broker.start(options());
    producer = kafka().producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await produceRound(ROUNDS + 1, true);
    await broker.cleaner.runPass(true);
    expect(await consumeAll('after-restart')).toEqual(expected(await activeBaseOffset(), true));
  }, 30_000);
});
