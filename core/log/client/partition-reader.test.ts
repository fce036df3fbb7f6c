import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompressionTypes, Kafka, logLevel } from 'kafkajs';
import { Broker } from '../broker/broker.js';
import { ErrorCode } from '../protocol/index.js';
import { FetchError, PartitionReader } from './partition-reader.js';

describe('partition reader (Fetch v4 + record decoding)', () => {
  let dir: string;
  let broker: Broker;
  let reader: PartitionReader;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'partition-reader-'));
    broker = await Broker.start({ dataDir: dir });
    reader = new PartitionReader({ host: '127.0.0.1', port: broker.address().port });
  });
  afterAll(async () => {
    await reader.close();
    await broker.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('reads back what kafkajs produced: keys, null values, headers, gzip batches, from any offset', async () => {
    const kafka = new Kafka({ brokers: [`127.0.0.1:${broker.address().port}`], clientId: 'reader-test', logLevel: logLevel.NOTHING });
    const producer = kafka.producer({ allowAutoTopicCreation: true });
    await producer.connect();
    await producer.send({ topic: 'read-me', messages: [{ key: 'k0', value: 'zero', headers: { h: 'v' }, partition: 0 }, { key: null, value: null, partition: 0 }] });
    await producer.send({ topic: 'read-me', compression: CompressionTypes.GZIP, messages: [{ value: 'two', partition: 0 }, { value: 'three', partition: 0 }] });
    await producer.disconnect();

    const all = await reader.fetch('read-me', 0, 0);
    expect(all.records.map((r) => [r.offset, r.key?.toString() ?? null, r.value?.toString() ?? null])).toEqual([
      [0, 'k0', 'zero'],
      [1, null, null],
      [2, null, 'two'],
      [3, null, 'three'],
    ]);
    expect(all.records[0]!.headers).toEqual([{ key: 'h', value: Buffer.from('v') }]);
    expect(all).toMatchObject({ highWatermark: 4, nextOffset: 4 });
    // From the middle of a (gzip) batch: earlier records of the batch are dropped.
    expect((await reader.fetch('read-me', 0, 3)).records.map((r) => r.value?.toString())).toEqual(['three']);
    // At the end: long-polls maxWaitMs, then returns nothing.
    expect(await reader.fetch('read-me', 0, 4, { maxWaitMs: 50 })).toMatchObject({ records: [], nextOffset: 4 });
  });

  it('reports broker errors with their Kafka code', async () => {
    const failure = await reader.fetch('read-me', 0, 99).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(FetchError);
    expect((failure as FetchError).kafkaErrorCode).toBe(ErrorCode.OFFSET_OUT_OF_RANGE);
  });
});
