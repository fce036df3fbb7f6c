/**
 * Cross-check against kafkajs 2.2.4's own protocol modules (the framework's own client): every
 * version kafkajs can pick within our ranges — request encoded by kafkajs, decoded by us;
 * response encoded by us, decoded and parsed by kafkajs.
 */
import { describe, expect, it } from '@jest/globals';
import { createRequire } from 'node:module';
import { ApiKey } from './api-keys.js';
import { decodeRequest, encodeResponse, supportedApiVersionRanges } from './index.js';
import type { CreateTopicsResponse, DeleteTopicsResponse, DescribeConfigsResponse, FetchResponse, MetadataResponse, ProduceRequest } from './index.js';
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

describe('kafkajs compatibility: CreateTopics', () => {
  it.each(versions(0, 3))('v%i: topic specs decode, kafkajs reads our per-topic errors', async (version) => {
    const { request, response } = kafkajs('createTopics', version);
    const decoded = await decodeKafkajsRequest(request({
      topics: [
        { topic: 'words', numPartitions: 3, replicationFactor: 1, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] },
        { topic: 'counts', replicaAssignment: [{ partition: 0, replicas: [1] }] },
      ],
      validateOnly: true,
      timeout: 7000,
    }));
    expect(decoded.body).toEqual({
      topics: [
        { name: 'words', numPartitions: 3, replicationFactor: 1, assignments: [], configs: [{ name: 'cleanup.policy', value: 'compact' }] },
        { name: 'counts', numPartitions: -1, replicationFactor: -1, assignments: [{ partitionIndex: 0, brokerIds: [1] }], configs: [] },
      ],
      timeoutMs: 7000,
      validateOnly: version >= 1,
    });
    const ok: CreateTopicsResponse = { throttleTimeMs: 0, topics: [{ name: 'words', errorCode: 0, errorMessage: null }] };
    expect((await parseWithKafkajs(response, encodeResponse(ApiKey.CreateTopics, version, ok))).topicErrors)
      .toEqual([expect.objectContaining({ topic: 'words', errorCode: 0 })]);
    const exists: CreateTopicsResponse = { throttleTimeMs: 0, topics: [{ name: 'words', errorCode: 36, errorMessage: 'exists' }] };
    await expect(parseWithKafkajs(response, encodeResponse(ApiKey.CreateTopics, version, exists)))
      .rejects.toMatchObject({ errors: [expect.objectContaining({ type: 'TOPIC_ALREADY_EXISTS' })] });
  });
});

describe('kafkajs compatibility: DeleteTopics', () => {
  it.each(versions(0, 1))('v%i: topic names decode, kafkajs reads our per-topic errors', async (version) => {
    const { request, response } = kafkajs('deleteTopics', version);
    const decoded = await decodeKafkajsRequest(request({ topics: ['words', 'counts'], timeout: 7000 }));
    expect(decoded.body).toEqual({ topicNames: ['words', 'counts'], timeoutMs: 7000 });
    const body: DeleteTopicsResponse = { throttleTimeMs: 0, responses: [{ name: 'words', errorCode: 0 }, { name: 'counts', errorCode: 0 }] };
    expect((await parseWithKafkajs(response, encodeResponse(ApiKey.DeleteTopics, version, body))).topicErrors)
      .toEqual([{ topic: 'counts', errorCode: 0 }, { topic: 'words', errorCode: 0 }]);
    const unknown: DeleteTopicsResponse = { throttleTimeMs: 0, responses: [{ name: 'words', errorCode: 3 }] };
    await expect(parseWithKafkajs(response, encodeResponse(ApiKey.DeleteTopics, version, unknown)))
      .rejects.toMatchObject({ type: 'UNKNOWN_TOPIC_OR_PARTITION' });
  });
});

describe('kafkajs compatibility: DescribeConfigs', () => {
  it.each(versions(0, 2))('v%i: resources decode, kafkajs reads our config entries', async (version) => {
    const { request, response } = kafkajs('describeConfigs', version);
    const decoded = await decodeKafkajsRequest(request({
      resources: [{ type: 2, name: 'words', configNames: ['retention.ms'] }, { type: 4, name: '1', configNames: [] }], // kafkajs sends [] as null: "all keys"
      includeSynonyms: true,
    }));
    expect(decoded.body).toEqual({
      resources: [
        { resourceType: 2, resourceName: 'words', configurationKeys: ['retention.ms'] },
        { resourceType: 4, resourceName: '1', configurationKeys: null },
      ],
      includeSynonyms: version >= 1,
    });
    const body: DescribeConfigsResponse = {
      throttleTimeMs: 0,
      results: [{
        errorCode: 0, errorMessage: null, resourceType: 2, resourceName: 'words',
        configs: [{ name: 'retention.ms', value: '604800000', readOnly: true, isDefault: true, configSource: 5, isSensitive: false, synonyms: [] }],
      }],
    };
    const parsed = await parseWithKafkajs(response, encodeResponse(ApiKey.DescribeConfigs, version, body));
    expect(parsed.resources).toEqual([expect.objectContaining({
      errorCode: 0, resourceType: 2, resourceName: 'words',
      configEntries: [expect.objectContaining({ configName: 'retention.ms', configValue: '604800000', readOnly: true, isDefault: true, configSource: 5 })],
    })]);
  });
});
