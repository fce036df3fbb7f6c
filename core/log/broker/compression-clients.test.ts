import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decompress as zstdDecompress } from 'fzstd';
import { CompressionCodecs, CompressionTypes, Kafka, logLevel } from 'kafkajs';
import { compress as lz4Compress, decompress as lz4Decompress } from 'lz4js';
import { compress as snappyCompress } from 'snappyjs';
import { describeWithTools, TOOLS , runTool } from '../../../test/support/tools.js';
import { KafkaConnection } from '../client/kafka-connection.js';
import { decompress as brokerDecompress, CompressionCodec } from '../compression/codecs.js';
import { compressedBatchOf } from '../compression/test-compressed-batches.js';
import { ApiKey, ErrorCode } from '../protocol/index.js';
import { BATCH_HEADER_BYTES } from '../storage/record-batch.js';
import { Broker } from './broker.js';

// kafkajs ships gzip only: register the same packages the broker decodes with (zstd: decode only).
type Encoder = { buffer: Buffer };
CompressionCodecs[CompressionTypes.Snappy] = () => ({ compress: async (encoder: Encoder) => Buffer.from(snappyCompress(encoder.buffer)), decompress: async (buffer: Buffer) => brokerDecompress(CompressionCodec.snappy, buffer) });
CompressionCodecs[CompressionTypes.LZ4] = () => ({ compress: async (encoder: Encoder) => Buffer.from(lz4Compress(encoder.buffer)), decompress: async (buffer: Buffer) => Buffer.from(lz4Decompress(buffer)) });
CompressionCodecs[CompressionTypes.ZSTD] = () => ({
  compress: () => Promise.reject(new Error('zstd compression is not needed by these tests')),
  decompress: async (buffer: Buffer) => Buffer.from(zstdDecompress(buffer)),
});

const CODECS = ['gzip', 'snappy', 'lz4', 'zstd'] as const;
const LINES = Array.from({ length: 200 }, (_, i) => `line ${i} ${'payload '.repeat(i % 7)}`);

const kcat = (args: string[], input?: string) => runTool(TOOLS.kcat, args, input);

describeWithTools([TOOLS.kcat], 'compressed batches and idempotence with kcat and kafkajs', () => {
  let dir: string;
  let broker: Broker;
  let bootstrap: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'broker-compression-'));
    broker = await Broker.start({ dataDir: dir });
    bootstrap = `127.0.0.1:${broker.address().port}`;
  });
  afterAll(async () => {
    await broker.close();
    await rm(dir, { recursive: true, force: true });
  });

  it.each(CODECS)('kcat -z %s produces; kcat and kafkajs consume the same lines', async (codec) => {
    const topic = `compressed-${codec}`;
    const produced = await kcat(['-b', bootstrap, '-P', '-t', topic, '-p', '0', '-X', `compression.codec=${codec}`, '-X', 'linger.ms=50'], LINES.join('\n') + '\n');
    expect(produced).toMatchObject({ status: 0 });
    const consumed = await kcat(['-b', bootstrap, '-C', '-t', topic, '-p', '0', '-o', 'beginning', '-e', '-q']);
    expect(consumed.stdout.split('\n').filter(Boolean)).toEqual(LINES);

    // As fetch serves them (the stored bytes), decoded by kafkajs's own record batch decoder and codecs.
    const stored = await broker.replicas.replica(topic, 0)!.log.readBuffers(0, 10 << 20);
    const { default: decodeBatch } = (await import('kafkajs/src/protocol/recordBatch/v0/decoder.js' as string)) as { default: (decoder: unknown) => Promise<{ records: { value: Buffer }[] }> };
    const { default: Decoder } = (await import('kafkajs/src/protocol/decoder.js' as string)) as { default: new (buffer: Buffer) => unknown };
    const values: string[] = [];
    const batchCodecs = new Set<number>();
    for (const records of stored) {
      for (let at = 0; at < records.length; ) {
        const size = 12 + records.readInt32BE(at + 8);
        const batch = records.subarray(at, at + size);
        batchCodecs.add(batch.readInt16BE(21) & 0x07);
        values.push(...(await decodeBatch(new Decoder(batch))).records.map((record) => record.value.toString()));
        at += size;
      }
    }
    expect(values).toEqual(LINES);
    // Stored and served as produced. librdkafka may send a batch uncompressed (its choice, seen
    // here for gzip/snappy/lz4 from kcat 1.7); never anything but the asked codec or none.
    expect([...batchCodecs].every((id) => id === 0 || id === CODECS.indexOf(codec) + 1)).toBe(true);
  }, 30_000);

  it('kafkajs produces with snappy and lz4 through the registered codecs', async () => {
    const kafka = new Kafka({ brokers: [bootstrap], logLevel: logLevel.NOTHING });
    const producer = kafka.producer({ allowAutoTopicCreation: true });
    await producer.connect();
    for (const compression of [CompressionTypes.GZIP, CompressionTypes.Snappy, CompressionTypes.LZ4]) {
      await producer.send({ topic: 'kafkajs-compressed', compression, messages: LINES.slice(0, 20).map((value) => ({ value, partition: 0 })) });
    }
    await producer.disconnect();
    const consumed = await kcat(['-b', bootstrap, '-C', '-t', 'kafkajs-compressed', '-p', '0', '-o', 'beginning', '-e', '-q']);
    expect(consumed.stdout.split('\n').filter(Boolean)).toEqual([...LINES.slice(0, 20), ...LINES.slice(0, 20), ...LINES.slice(0, 20)]);
  }, 30_000);

  it('answers a batch whose compressed body is corrupt with CORRUPT_MESSAGE and keeps serving', async () => {
    const admin = new Kafka({ brokers: [bootstrap], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'corrupt', numPartitions: 1 }] });
    await admin.disconnect();
    const connection = new KafkaConnection({ host: '127.0.0.1', port: broker.address().port }, 'corrupt-test');
    try {
      for (const codec of ['gzip', 'snappy', 'lz4', 'zstd'] as const) {
        const batch = compressedBatchOf(codec, ['alpha'.repeat(10), 'beta'.repeat(10), 'gamma'.repeat(10)]);
        batch.fill(0x41, BATCH_HEADER_BYTES + 8, BATCH_HEADER_BYTES + 20);
        const { crc32c } = await import('../storage/crc32c.js');
        batch.writeUInt32BE(crc32c(batch, 21), 17);
        const response = await connection.request(ApiKey.Produce, 7, { transactionalId: null, acks: 1, timeoutMs: 5_000, topics: [{ name: 'corrupt', partitions: [{ partitionIndex: 0, records: batch }] }] });
        expect({ codec, errorCode: response.topics[0]!.partitions[0]!.errorCode }).toEqual({ codec, errorCode: ErrorCode.CORRUPT_MESSAGE });
      }
      const good = await connection.request(ApiKey.Produce, 7, { transactionalId: null, acks: 1, timeoutMs: 5_000, topics: [{ name: 'corrupt', partitions: [{ partitionIndex: 0, records: compressedBatchOf('lz4', ['fine']) }] }] });
      expect(good.topics[0]!.partitions[0]).toMatchObject({ errorCode: 0, baseOffset: 0n });
    } finally {
      await connection.close();
    }
  });

  it('kcat with enable.idempotence=true produces every line exactly once', async () => {
    const produced = await kcat(['-b', bootstrap, '-P', '-t', 'kcat-idempotent', '-p', '0', '-z', 'lz4', '-X', 'enable.idempotence=true'], LINES.join('\n') + '\n');
    expect(produced).toMatchObject({ status: 0 });
    const consumed = await kcat(['-b', bootstrap, '-C', '-t', 'kcat-idempotent', '-p', '0', '-o', 'beginning', '-e', '-q', '-f', '%s\\n']);
    expect(consumed.stdout.split('\n').filter(Boolean)).toEqual(LINES);
    const replica = broker.replicas.replica('kcat-idempotent', 0);
    expect(replica?.log.producerState.size).toBe(1);
  }, 30_000);
});
