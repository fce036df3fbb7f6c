/**
 * Every supported (api key, version) codec: request and response round-trip, and random bytes
 * only ever raise KafkaDecodeError. The round-trip property is a fixpoint: decoding what was
 * encoded and encoding it again yields the same bytes, and the decoded value is stable.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ApiKey } from './api-keys.js';
import { groupArbitraries } from './group-arbitraries.js';
import { saslArbitraries } from './sasl-arbitraries.js';
import { adminArbitraries } from './admin-arbitraries.js';
import { decodeRequestHeader, encodeRequestHeader } from './header.js';
import { decodeRequest, encodeResponse, KafkaDecodeError, SUPPORTED_API_VERSIONS } from './index.js';
import { KafkaReader } from './primitives/reader.js';
import { KafkaWriter } from './primitives/writer.js';
import type { SupportedApiKey } from './registry.js';
import { codecFor } from './registry.js';

const int8 = fc.integer({ min: -128, max: 127 });
const int16 = fc.integer({ min: -32768, max: 32767 });
const int32 = fc.integer({ min: -0x80000000, max: 0x7fffffff });
const int64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
const name = fc.string({ maxLength: 12 });
const buffer = fc.uint8Array({ maxLength: 40 }).map((bytes) => Buffer.from(bytes));
const list = <T>(item: fc.Arbitrary<T>) => fc.array(item, { maxLength: 3 });
const nullable = <T>(item: fc.Arbitrary<T>) => fc.option(item, { nil: null });

const arbitraries: Record<SupportedApiKey, { request: fc.Arbitrary<unknown>; response: fc.Arbitrary<unknown> }> = {
  ...groupArbitraries,
  ...saslArbitraries,
  ...adminArbitraries,
  [ApiKey.ApiVersions]: {
    request: fc.record({ clientSoftwareName: nullable(name), clientSoftwareVersion: nullable(name) }),
    response: fc.record({
      errorCode: int16,
      apiKeys: list(fc.record({ apiKey: int16, minVersion: int16, maxVersion: int16 })),
      throttleTimeMs: int32,
    }),
  },
  [ApiKey.Metadata]: {
    request: fc.record({ topics: nullable(list(name)), allowAutoTopicCreation: fc.boolean() }),
    response: fc.record({
      throttleTimeMs: int32,
      brokers: list(fc.record({ nodeId: int32, host: name, port: int32, rack: nullable(name) })),
      clusterId: nullable(name),
      controllerId: int32,
      topics: list(fc.record({
        errorCode: int16, name, isInternal: fc.boolean(),
        partitions: list(fc.record({
          errorCode: int16, partitionIndex: int32, leaderId: int32,
          replicaNodes: list(int32), isrNodes: list(int32), offlineReplicas: list(int32),
        })),
      })),
    }),
  },
  [ApiKey.Produce]: {
    request: fc.record({
      transactionalId: nullable(name), acks: int16, timeoutMs: int32,
      topics: list(fc.record({ name, partitions: list(fc.record({ partitionIndex: int32, records: nullable(buffer) })) })),
    }),
    response: fc.record({
      topics: list(fc.record({
        name,
        partitions: list(fc.record({ partitionIndex: int32, errorCode: int16, baseOffset: int64, logAppendTimeMs: int64, logStartOffset: int64 })),
      })),
      throttleTimeMs: int32,
    }),
  },
  [ApiKey.Fetch]: {
    request: fc.record({
      replicaId: int32, maxWaitMs: int32, minBytes: int32, maxBytes: int32, isolationLevel: int8,
      sessionId: int32, sessionEpoch: int32,
      topics: list(fc.record({
        name,
        partitions: list(fc.record({ partitionIndex: int32, currentLeaderEpoch: int32, fetchOffset: int64, logStartOffset: int64, partitionMaxBytes: int32 })),
      })),
      forgottenTopics: list(fc.record({ name, partitions: list(int32) })),
      rackId: name,
    }),
    response: fc.record({
      throttleTimeMs: int32, errorCode: int16, sessionId: int32,
      topics: list(fc.record({
        name,
        partitions: list(fc.record({
          partitionIndex: int32, errorCode: int16, highWatermark: int64, lastStableOffset: int64, logStartOffset: int64,
          abortedTransactions: nullable(list(fc.record({ producerId: int64, firstOffset: int64 }))),
          preferredReadReplica: int32,
          records: fc.oneof(nullable(buffer), list(buffer)),
        })),
      })),
    }),
  },
  [ApiKey.ListOffsets]: {
    request: fc.record({
      replicaId: int32, isolationLevel: int8,
      topics: list(fc.record({
        name,
        partitions: list(fc.record({ partitionIndex: int32, currentLeaderEpoch: int32, timestamp: int64, maxNumOffsets: int32 })),
      })),
    }),
    response: fc.record({
      throttleTimeMs: int32,
      topics: list(fc.record({
        name,
        partitions: list(fc.record({ partitionIndex: int32, errorCode: int16, oldStyleOffsets: list(int64), timestamp: int64, offset: int64, leaderEpoch: int32 })),
      })),
    }),
  },
  [ApiKey.CreateTopics]: {
    request: fc.record({
      topics: list(fc.record({
        name, numPartitions: int32, replicationFactor: int16,
        assignments: list(fc.record({ partitionIndex: int32, brokerIds: list(int32) })),
        configs: list(fc.record({ name, value: nullable(name) })),
      })),
      timeoutMs: int32,
      validateOnly: fc.boolean(),
    }),
    response: fc.record({ throttleTimeMs: int32, topics: list(fc.record({ name, errorCode: int16, errorMessage: nullable(name) })) }),
  },
  [ApiKey.DeleteTopics]: {
    request: fc.record({ topicNames: list(name), timeoutMs: int32 }),
    response: fc.record({ throttleTimeMs: int32, responses: list(fc.record({ name, errorCode: int16 })) }),
  },
  [ApiKey.OffsetForLeaderEpoch]: {
    request: fc.record({
      replicaId: int32,
      topics: list(fc.record({ topic: name, partitions: list(fc.record({ partition: int32, currentLeaderEpoch: int32, leaderEpoch: int32 })) })),
    }),
    response: fc.record({
      throttleTimeMs: int32,
      topics: list(fc.record({ topic: name, partitions: list(fc.record({ errorCode: int16, partition: int32, leaderEpoch: int32, endOffset: int64 })) })),
    }),
  },
  [ApiKey.InitProducerId]: {
    request: fc.record({ transactionalId: nullable(name), transactionTimeoutMs: int32, producerId: int64, producerEpoch: int16 }),
    response: fc.record({ throttleTimeMs: int32, errorCode: int16, producerId: int64, producerEpoch: int16 }),
  },
  [ApiKey.DescribeConfigs]: {
    request: fc.record({
      resources: list(fc.record({ resourceType: int8, resourceName: name, configurationKeys: nullable(list(name)) })),
      includeSynonyms: fc.boolean(),
    }),
    response: fc.record({
      throttleTimeMs: int32,
      results: list(fc.record({
        errorCode: int16, errorMessage: nullable(name), resourceType: int8, resourceName: name,
        configs: list(fc.record({
          name, value: nullable(name), readOnly: fc.boolean(), isDefault: fc.boolean(), configSource: int8, isSensitive: fc.boolean(),
          synonyms: list(fc.record({ name, value: nullable(name), source: int8 })),
        })),
      })),
    }),
  },
};

type AnyCodec = ReturnType<typeof codecFor>;
const allVersions: [SupportedApiKey, number][] = [...SUPPORTED_API_VERSIONS].flatMap(([apiKey, range]) =>
  Array.from({ length: range.max - range.min + 1 }, (_, index): [SupportedApiKey, number] => [apiKey, range.min + index]));

function fixpoint(encode: (writer: KafkaWriter, value: never) => void, decode: (reader: KafkaReader) => unknown, value: unknown): void {
  const first = new KafkaWriter();
  encode(first, value as never);
  const reader = new KafkaReader(first.toBuffer());
  const decoded = decode(reader);
  reader.expectEnd('round trip');
  const second = new KafkaWriter();
  encode(second, decoded as never);
  expect(second.toBuffer()).toEqual(first.toBuffer());
  expect(decode(new KafkaReader(second.toBuffer()))).toEqual(decoded);
}

describe.each(allVersions)('api key %i version %i', (apiKey, apiVersion) => {
  const codec = codecFor(apiKey, apiVersion) as AnyCodec;
  const { request, response } = arbitraries[apiKey];

  it('round-trips requests as a client encodes them', () => {
    fc.assert(fc.property(request, (value) => fixpoint(codec.encodeRequest, codec.decodeRequest, value)), { numRuns: 60 });
  });

  it('round-trips responses as the broker encodes them', () => {
    fc.assert(fc.property(response, (value) => fixpoint(codec.encodeResponse, codec.decodeResponse, value)), { numRuns: 60 });
  });

  it('answers random bytes with KafkaDecodeError only', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
      try {
        decodeRequest(apiKey, apiVersion, new KafkaReader(Buffer.from(bytes)));
      } catch (error) {
        expect(error).toBeInstanceOf(KafkaDecodeError);
      }
    }), { numRuns: 300 });
  });

  it('rejects every truncation of a valid request with KafkaDecodeError', () => {
    fc.assert(fc.property(request, (value) => {
      const writer = new KafkaWriter();
      codec.encodeRequest(writer, value as never);
      const full = writer.toBuffer();
      for (let length = 0; length < full.length; length++) {
        expect(() => decodeRequest(apiKey, apiVersion, new KafkaReader(full.subarray(0, length)))).toThrow(KafkaDecodeError);
      }
    }), { numRuns: 20 });
  });
});

describe('decoded field values', () => {
  it('Metadata v0 treats an empty topic list as "all topics", v1 keeps it as "none"', () => {
    const emptyArray = Buffer.from([0, 0, 0, 0]);
    expect(decodeRequest(ApiKey.Metadata, 0, new KafkaReader(emptyArray)).body).toEqual({ topics: null, allowAutoTopicCreation: true });
    expect(decodeRequest(ApiKey.Metadata, 1, new KafkaReader(emptyArray)).body).toEqual({ topics: [], allowAutoTopicCreation: true });
  });

  it('Fetch writes a list of record chunks as one record set', () => {
    const body = {
      throttleTimeMs: 0, errorCode: 0, sessionId: 0,
      topics: [{ name: 't', partitions: [{
        partitionIndex: 0, errorCode: 0, highWatermark: 5n, lastStableOffset: 5n, logStartOffset: 0n,
        abortedTransactions: null, preferredReadReplica: -1, records: [Buffer.from([1, 2]), Buffer.from([3])],
      }] }],
    };
    const decoded = codecFor(ApiKey.Fetch, 11).decodeResponse(new KafkaReader(encodeResponse(ApiKey.Fetch, 11, body)));
    expect(decoded.topics[0]?.partitions[0]?.records).toEqual(Buffer.from([1, 2, 3]));
  });

  it('OffsetForLeaderEpoch reads fields in the spec\'s order, defaulting those a version lacks', () => {
    const v3 = new KafkaWriter().writeInt32(1).writeInt32(1).writeString('t').writeInt32(1).writeInt32(0).writeInt32(5).writeInt32(4).toBuffer();
    expect(decodeRequest(ApiKey.OffsetForLeaderEpoch, 3, new KafkaReader(v3)).body).toEqual({
      replicaId: 1, topics: [{ topic: 't', partitions: [{ partition: 0, currentLeaderEpoch: 5, leaderEpoch: 4 }] }],
    });
    const v0 = new KafkaWriter().writeInt32(1).writeString('t').writeInt32(1).writeInt32(2).writeInt32(4).toBuffer();
    expect(decodeRequest(ApiKey.OffsetForLeaderEpoch, 0, new KafkaReader(v0)).body).toEqual({
      replicaId: -2, topics: [{ topic: 't', partitions: [{ partition: 2, currentLeaderEpoch: -1, leaderEpoch: 4 }] }],
    });
    const response = { throttleTimeMs: 7, topics: [{ topic: 't', partitions: [{ errorCode: 3, partition: 2, leaderEpoch: 4, endOffset: 90n }] }] };
    const topicBytes = (partition: KafkaWriter) => Buffer.concat([new KafkaWriter().writeInt32(1).writeString('t').writeInt32(1).toBuffer(), partition.toBuffer()]);
    expect(encodeResponse(ApiKey.OffsetForLeaderEpoch, 0, response)).toEqual(topicBytes(new KafkaWriter().writeInt16(3).writeInt32(2).writeInt64(90n)));
    expect(encodeResponse(ApiKey.OffsetForLeaderEpoch, 2, response)).toEqual(Buffer.concat([
      new KafkaWriter().writeInt32(7).toBuffer(),
      topicBytes(new KafkaWriter().writeInt16(3).writeInt32(2).writeInt32(4).writeInt64(90n)),
    ]));
  });

  it('rejects trailing bytes after a request body', () => {
    expect(() => decodeRequest(ApiKey.ApiVersions, 0, new KafkaReader(Buffer.from([0])))).toThrow(KafkaDecodeError);
  });
});

describe('request header', () => {
  it('reads v1 (client id) for classic versions and v2 (plus tagged fields) for flexible ones', () => {
    for (const apiVersion of [2, 3]) {
      const writer = new KafkaWriter();
      encodeRequestHeader(writer, { apiKey: ApiKey.ApiVersions, apiVersion, correlationId: 7, clientId: 'cli' });
      const bytes = writer.toBuffer();
      expect(bytes.length).toBe(apiVersion === 3 ? 14 : 13);
      const header = decodeRequestHeader(new KafkaReader(bytes));
      expect(header).toMatchObject({ apiKey: ApiKey.ApiVersions, apiVersion, correlationId: 7, clientId: 'cli' });
    }
  });

  it('reads header v0 (no client id) for ControlledShutdown v0 and a null client id', () => {
    const v0 = decodeRequestHeader(new KafkaReader(Buffer.from([0, 7, 0, 0, 0, 0, 0, 9])));
    expect(v0).toMatchObject({ apiKey: 7, apiVersion: 0, correlationId: 9, clientId: null });
    const nullClient = decodeRequestHeader(new KafkaReader(Buffer.from([0, 3, 0, 1, 0, 0, 0, 9, 0xff, 0xff])));
    expect(nullClient.clientId).toBeNull();
  });

  it('answers random bytes with KafkaDecodeError only', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 20 }), (bytes) => {
      try {
        decodeRequestHeader(new KafkaReader(Buffer.from(bytes)));
      } catch (error) {
        expect(error).toBeInstanceOf(KafkaDecodeError);
      }
    }), { numRuns: 500 });
  });
});
