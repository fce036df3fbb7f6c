/**
 * Cross-check against kafkajs 2.2.4's own protocol modules (the framework's own client): every
 * version kafkajs can pick within our ranges — request encoded by kafkajs, decoded by us;
 * response encoded by us, decoded and parsed by kafkajs.
 */
import { describe, expect, it } from '@jest/globals';
import { createRequire } from 'node:module';
import { ApiKey } from './api-keys.js';
import { decodeRequest, encodeResponse, supportedApiVersionRanges } from './index.js';
import type { FetchResponse, MetadataResponse, ProduceRequest } from './index.js';
import { KafkaReader } from './primitives/reader.js';

const require = createRequire(import.meta.url);

interface KafkajsRequest {
  apiKey: number;
  apiVersion: number;
  encode: () => Promise<{ buffer: Buffer }>;
}
interface KafkajsResponse {
  decode: (data: Buffer) => Promise<Record<string, unknown>>;
  parse: (data: unknown) => Promise<Record<string, unknown>>;
}

function kafkajs(api: string, version: number): { request: (args: object) => KafkajsRequest; response: KafkajsResponse } {
  const base = `kafkajs/src/protocol/requests/${api}/v${version}`;
  return { request: require(`${base}/request`), response: require(`${base}/response`) };
}

async function decodeKafkajsRequest(request: KafkajsRequest) {
  const encoded = await request.encode();
  return decodeRequest(request.apiKey, request.apiVersion, new KafkaReader(encoded.buffer));
}

async function parseWithKafkajs(response: KafkajsResponse, body: Buffer) {
  return response.parse(await response.decode(body));
}

const versions = (min: number, max: number): number[] => Array.from({ length: max - min + 1 }, (_, index) => min + index);

describe('kafkajs compatibility: ApiVersions', () => {
  it.each(versions(0, 2))('v%i: kafkajs reads our advertised ranges', async (version) => {
    const { request, response } = kafkajs('apiVersions', version);
    const decoded = await decodeKafkajsRequest(request({}));
    expect(decoded.apiKey).toBe(ApiKey.ApiVersions);
    const body = encodeResponse(ApiKey.ApiVersions, version, { errorCode: 0, apiKeys: supportedApiVersionRanges(), throttleTimeMs: 0 });
    const parsed = await parseWithKafkajs(response, body);
    expect(parsed.apiVersions).toEqual(supportedApiVersionRanges());
  });
});

const metadataBody: MetadataResponse = {
  throttleTimeMs: 0,
  brokers: [{ nodeId: 1, host: 'localhost', port: 9092, rack: null }],
  clusterId: 'barista',
  controllerId: 1,
  topics: [{
    errorCode: 0, name: 'words', isInternal: false,
    partitions: [{ errorCode: 0, partitionIndex: 0, leaderId: 1, replicaNodes: [1], isrNodes: [1], offlineReplicas: [] }],
  }],
};

describe('kafkajs compatibility: Metadata', () => {
  it.each(versions(0, 6))('v%i: topics and auto-creation survive, kafkajs reads brokers and partitions', async (version) => {
    const { request, response } = kafkajs('metadata', version);
    const decoded = await decodeKafkajsRequest(request({ topics: ['words', 'counts'], allowAutoTopicCreation: false }));
    expect(decoded.body).toEqual({ topics: ['words', 'counts'], allowAutoTopicCreation: version < 4 });
    const parsed = await parseWithKafkajs(response, encodeResponse(ApiKey.Metadata, version, metadataBody));
    expect(parsed.brokers).toEqual([expect.objectContaining({ nodeId: 1, host: 'localhost', port: 9092 })]);
    expect(parsed.topicMetadata).toEqual([expect.objectContaining({
      topic: 'words',
      partitionMetadata: [expect.objectContaining({ partitionId: 0, leader: 1, replicas: [1], isr: [1] })],
    })]);
  });
});

async function kafkajsProduce(version: number): Promise<ProduceRequest> {
  const { request } = kafkajs('produce', version);
  const topicData = [{ topic: 'words', partitions: [{ partition: 2, messages: [{ key: 'k', value: 'hello' }, { key: null, value: 'world' }] }] }];
  const decoded = await decodeKafkajsRequest(request({ acks: -1, timeout: 30000, topicData }));
  expect(decoded.apiKey).toBe(ApiKey.Produce);
  return decoded.body as ProduceRequest;
}

describe('kafkajs compatibility: Produce', () => {
  it.each(versions(3, 7))('v%i: record batch v2 passes through opaque, kafkajs reads our offsets', async (version) => {
    const decoded = await kafkajsProduce(version);
    expect(decoded).toMatchObject({ transactionalId: null, acks: -1, timeoutMs: 30000 });
    const records = decoded.topics[0]?.partitions[0]?.records as Buffer;
    expect(decoded.topics[0]?.partitions[0]?.partitionIndex).toBe(2);
    expect(records.readInt8(16)).toBe(2); // magic byte of record batch v2
    expect(records.readInt32BE(8)).toBe(records.length - 12); // batch length covers the rest
    const body = encodeResponse(ApiKey.Produce, version, {
      topics: [{ name: 'words', partitions: [{ partitionIndex: 2, errorCode: 0, baseOffset: 42n, logAppendTimeMs: -1n, logStartOffset: 0n }] }],
      throttleTimeMs: 0,
    });
    const parsed = await parseWithKafkajs(kafkajs('produce', version).response, body);
    expect(parsed.topics).toEqual([{ topicName: 'words', partitions: [expect.objectContaining({ partition: 2, errorCode: 0, baseOffset: '42' })] }]);
  });
});

describe('kafkajs compatibility: Fetch', () => {
  it.each(versions(4, 11))('v%i: kafkajs fetch requests decode, kafkajs reads our record batches back', async (version) => {
    const { request, response } = kafkajs('fetch', version);
    const decoded = await decodeKafkajsRequest(request({
      replicaId: -1, maxWaitTime: 500, minBytes: 1, maxBytes: 1048576, isolationLevel: 1,
      topics: [{ topic: 'words', partitions: [{ partition: 2, fetchOffset: '7', maxBytes: 65536 }] }],
    }));
    expect(decoded.body).toMatchObject({ replicaId: -1, maxWaitMs: 500, minBytes: 1, maxBytes: 1048576, isolationLevel: 1 });
    expect(decoded.body).toMatchObject({ topics: [{ name: 'words', partitions: [{ partitionIndex: 2, fetchOffset: 7n, partitionMaxBytes: 65536 }] }] });

    const records = (await kafkajsProduce(7)).topics[0]?.partitions[0]?.records as Buffer;
    const body: FetchResponse = {
      throttleTimeMs: 0, errorCode: 0, sessionId: 0,
      topics: [{ name: 'words', partitions: [{
        partitionIndex: 2, errorCode: 0, highWatermark: 2n, lastStableOffset: 2n, logStartOffset: 0n,
        abortedTransactions: [], preferredReadReplica: -1, records: [records.subarray(0, 20), records.subarray(20)],
      }] }],
    };
    const parsed = await parseWithKafkajs(response, encodeResponse(ApiKey.Fetch, version, body));
    const partitions = (parsed.responses as { topicName: string; partitions: { highWatermark: string; messages: { key: Buffer | null; value: Buffer }[] }[] }[])[0]?.partitions;
    expect(partitions?.[0]?.highWatermark).toBe('2');
    expect(partitions?.[0]?.messages.map((message) => message.value.toString())).toEqual(['hello', 'world']);
    expect(partitions?.[0]?.messages[0]?.key?.toString()).toBe('k');
  });
});

describe('kafkajs compatibility: ListOffsets', () => {
  it.each(versions(0, 3))('v%i: earliest/latest queries decode, kafkajs reads our offsets', async (version) => {
    const { request, response } = kafkajs('listOffsets', version);
    const decoded = await decodeKafkajsRequest(request({
      replicaId: -1, isolationLevel: 1, topics: [{ topic: 'words', partitions: [{ partition: 0, timestamp: -2 }] }],
    }));
    expect(decoded.body).toMatchObject({ replicaId: -1, topics: [{ name: 'words', partitions: [{ partitionIndex: 0, timestamp: -2n }] }] });
    if (version >= 2) expect(decoded.body).toMatchObject({ isolationLevel: 1 });
    const body = encodeResponse(ApiKey.ListOffsets, version, {
      throttleTimeMs: 0,
      topics: [{ name: 'words', partitions: [{ partitionIndex: 0, errorCode: 0, oldStyleOffsets: [17n], timestamp: -1n, offset: 17n, leaderEpoch: -1 }] }],
    });
    const parsed = await parseWithKafkajs(response, body);
    const partition = (parsed.responses as { partitions: Record<string, unknown>[] }[])[0]?.partitions[0];
    if (version === 0) expect(partition).toMatchObject({ partition: 0, errorCode: 0, offsets: ['17'] });
    else expect(partition).toMatchObject({ partition: 0, errorCode: 0, offset: '17' });
  });
});
