import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { KafkaConnection } from '../client/kafka-connection.js';
import { PartitionReader } from '../client/partition-reader.js';
import { ApiKey, ErrorCode } from '../protocol/index.js';
import { crc32c } from '../storage/crc32c.js';
import { BATCH_FIELD } from '../storage/record-batch.js';
import { batchOf } from '../storage/test-batches.js';
import { Broker } from './broker.js';

const TOPIC = 'dedup';

function producerBatch(producerId: bigint, epoch: number, baseSequence: number, values: string[]): Buffer {
  const batch = batchOf(values, { producerId: Number(producerId) });
  batch.writeInt16BE(epoch, BATCH_FIELD.producerEpoch);
  batch.writeInt32BE(baseSequence, BATCH_FIELD.baseSequence);
  batch.writeUInt32BE(crc32c(batch, BATCH_FIELD.attributes), BATCH_FIELD.crc);
  return batch;
}

describe('idempotent producer', () => {
  let dir: string;
  let broker: Broker;
  let connection: KafkaConnection;

  async function startBroker(): Promise<void> {
    broker = await Broker.start({ dataDir: dir });
    connection = new KafkaConnection({ host: '127.0.0.1', port: broker.address().port }, 'idempotence-test');
  }
  async function stopBroker(): Promise<void> {
    await connection.close();
    await broker.close();
  }
  const bootstrap = () => `127.0.0.1:${broker.address().port}`;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'broker-idempotence-'));
    await startBroker();
    const admin = new Kafka({ brokers: [bootstrap()], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 1 }, { topic: 'kafkajs-idempotent', numPartitions: 2 }] });
    await admin.disconnect();
  });
  afterAll(async () => {
    await stopBroker();
    await rm(dir, { recursive: true, force: true });
  });

  const initProducerId = (apiVersion: number, transactionalId: string | null = null) =>
    connection.request(ApiKey.InitProducerId, apiVersion, { transactionalId, transactionTimeoutMs: 60_000, producerId: -1n, producerEpoch: -1 });

  async function produce(records: Buffer): Promise<{ errorCode: number; baseOffset: bigint }> {
    const response = await connection.request(ApiKey.Produce, 7, { transactionalId: null, acks: -1, timeoutMs: 5_000, topics: [{ name: TOPIC, partitions: [{ partitionIndex: 0, records }] }] });
    return response.topics[0]!.partitions[0]!;
  }

  async function values(topic = TOPIC, partition = 0): Promise<string[]> {
    const reader = new PartitionReader({ host: '127.0.0.1', port: broker.address().port });
    try {
      return (await reader.fetch(topic, partition, 0, { maxWaitMs: 10 })).records.map((record) => record.value?.toString() ?? '');
    } finally {
      await reader.close();
    }
  }

  it('InitProducerId v0-v4 hands out distinct producer ids with epoch 0, and refuses transactional ids', async () => {
    const answers = await Promise.all([0, 1, 2, 3, 4].map((version) => initProducerId(version)));
    for (const answer of answers) expect(answer).toMatchObject({ errorCode: 0, producerEpoch: 0 });
    expect(new Set(answers.map((answer) => answer.producerId)).size).toBe(5);
    expect((await initProducerId(2, 'tx-1')).errorCode).toBe(ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
  });

  it('stores a resent batch once and answers it with the original offset; refuses gaps, old epochs and unknown producers', async () => {
    const { producerId } = await initProducerId(2);
    const first = await produce(producerBatch(producerId, 0, 0, ['a', 'b']));
    expect(first.errorCode).toBe(0);
    expect(await produce(producerBatch(producerId, 0, 0, ['a', 'b']))).toMatchObject({ errorCode: 0, baseOffset: first.baseOffset });
    expect((await produce(producerBatch(producerId, 0, 5, ['gap']))).errorCode).toBe(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    expect(await produce(producerBatch(producerId, 0, 2, ['c']))).toMatchObject({ errorCode: 0, baseOffset: first.baseOffset + 2n });
    expect((await produce(producerBatch(producerId, 1, 0, ['new epoch']))).errorCode).toBe(0);
    expect((await produce(producerBatch(producerId, 0, 3, ['fenced']))).errorCode).toBe(ErrorCode.INVALID_PRODUCER_EPOCH);
    expect((await produce(producerBatch(producerId + 1000n, 0, 7, ['who?']))).errorCode).toBe(ErrorCode.UNKNOWN_PRODUCER_ID);
    expect(await values()).toEqual(['a', 'b', 'c', 'new epoch']);
  });

  it('kafkajs with idempotent: true produces every message exactly once', async () => {
    const kafka = new Kafka({ brokers: [bootstrap()], logLevel: logLevel.NOTHING });
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const sent = Array.from({ length: 30 }, (_, i) => `m${i}`);
    for (let i = 0; i < sent.length; i += 10) {
      await producer.send({ topic: 'kafkajs-idempotent', messages: sent.slice(i, i + 10).map((value, j) => ({ value, partition: (i + j) % 2 })) });
    }
    await producer.disconnect();
    const received = [...(await values('kafkajs-idempotent', 0)), ...(await values('kafkajs-idempotent', 1))];
    expect(received.sort()).toEqual([...sent].sort());
  });

  it('still recognises a duplicate after a restart, and never reissues a producer id', async () => {
    const { producerId } = await initProducerId(1);
    const original = await produce(producerBatch(producerId, 0, 0, ['before restart']));
    await stopBroker();
    await startBroker();
    const again = await produce(producerBatch(producerId, 0, 0, ['before restart']));
    expect(again).toMatchObject({ errorCode: 0, baseOffset: original.baseOffset });
    expect((await values()).filter((value) => value === 'before restart')).toHaveLength(1);
    expect((await initProducerId(1)).producerId).toBeGreaterThan(producerId);
  }, 30_000);
});
