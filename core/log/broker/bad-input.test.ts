import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { Kafka, logLevel } from 'kafkajs';
import { FrameClient, int32Correlation } from '../../net/index.js';
import { ApiKey, ErrorCode, KafkaReader, KafkaWriter, codecFor, decodeResponseHeader, encodeRequestHeader, responseHeaderVersion } from '../protocol/index.js';
import { batchOf } from '../storage/test-batches.js';
import { PartitionReader } from '../client/partition-reader.js';
import { Broker } from './broker.js';

const PRODUCE_VERSION = 7;

describe('broker under bad input', () => {
  let dir: string;
  let broker: Broker;
  let client: FrameClient;
  let port: number;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'broker-bad-input-'));
    broker = await Broker.start({ dataDir: dir });
    port = broker.address().port;
    const admin = new Kafka({ brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'victim', numPartitions: 1 }] });
    await admin.disconnect();
    client = new FrameClient({ port, correlation: int32Correlation(4, 0), backoff: { initialMs: 10, maxMs: 50 } });
  });
  afterAll(async () => {
    await client.close();
    await broker.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function produce(records: Buffer): Promise<number> {
    const writer = new KafkaWriter();
    encodeRequestHeader(writer, { apiKey: ApiKey.Produce, apiVersion: PRODUCE_VERSION, correlationId: 0, clientId: 'bad-input' });
    codecFor(ApiKey.Produce, PRODUCE_VERSION).encodeRequest(writer, { transactionalId: null, acks: 1, timeoutMs: 1_000, topics: [{ name: 'victim', partitions: [{ partitionIndex: 0, records }] }] });
    const reader = new KafkaReader(await client.request(writer.toBuffer()));
    decodeResponseHeader(reader, responseHeaderVersion(ApiKey.Produce, PRODUCE_VERSION));
    return codecFor(ApiKey.Produce, PRODUCE_VERSION).decodeResponse(reader).topics[0]!.partitions[0]!.errorCode;
  }

  async function values(): Promise<string[]> {
    const reader = new PartitionReader({ host: '127.0.0.1', port });
    try {
      return (await reader.fetch('victim', 0, 0, { maxWaitMs: 10 })).records.map((record) => record.value?.toString() ?? '');
    } finally {
      await reader.close();
    }
  }

  it('answers a CRC-broken batch with CORRUPT_MESSAGE and stores nothing of it', async () => {
    expect(await produce(batchOf(['good-1']))).toBe(ErrorCode.NONE);
    const broken = batchOf(['evil']);
    broken.writeUInt8(broken.readUInt8(broken.length - 1) ^ 0xff, broken.length - 1);
    expect(await produce(broken)).toBe(ErrorCode.CORRUPT_MESSAGE);
    expect(await produce(batchOf(['good-2']))).toBe(ErrorCode.NONE);
    expect(await values()).toEqual(['good-1', 'good-2']);
  });

  it('survives random frames and unknown APIs on other connections, and keeps serving', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 0, maxLength: 300 }), fc.integer({ min: -1, max: 100 }), fc.integer({ min: -1, max: 20 }), async (body, apiKey, apiVersion) => {
        const socket = net.connect({ port, host: '127.0.0.1' });
        socket.on('error', () => undefined);
        await new Promise((resolve) => socket.once('connect', resolve));
        const header = Buffer.alloc(8);
        header.writeInt16BE(apiKey, 0);
        header.writeInt16BE(apiVersion, 2);
        header.writeInt32BE(1, 4);
        const payload = Buffer.concat([header, Buffer.from(body)]);
        const length = Buffer.alloc(4);
        length.writeInt32BE(payload.length);
        socket.write(Buffer.concat([length, payload]));
        await new Promise((resolve) => setTimeout(resolve, 2));
        socket.destroy();
      }),
      { numRuns: 200 },
    );
    expect(await produce(batchOf(['after-fuzz']))).toBe(ErrorCode.NONE);
    expect((await values()).at(-1)).toBe('after-fuzz');
  });
});
