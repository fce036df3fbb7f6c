import { describe, expect, it } from '@jest/globals';
import { createRequire } from 'node:module';
import { ApiKey } from './api-keys.js';
import { apiVersionsV0 } from './api-versions/v0.js';
import {
  codecFor, decodeRequest, encodeResponseFrame, encodeUnsupportedApiVersionsFrame, ErrorCode, errorName, isRetriable,
  KafkaProtocolError, SUPPORTED_API_VERSIONS, UnsupportedVersionError,
} from './index.js';
import { KafkaReader } from './primitives/reader.js';

const require = createRequire(import.meta.url);

describe('SUPPORTED_API_VERSIONS', () => {
  it('advertises exactly the implemented ranges', () => {
    expect(Object.fromEntries(SUPPORTED_API_VERSIONS)).toEqual({
      [ApiKey.Produce]: { min: 3, max: 7 },
      [ApiKey.Fetch]: { min: 4, max: 11 },
      [ApiKey.ListOffsets]: { min: 0, max: 5 },
      [ApiKey.Metadata]: { min: 0, max: 6 },
      [ApiKey.ApiVersions]: { min: 0, max: 3 },
      [ApiKey.CreateTopics]: { min: 0, max: 3 },
      [ApiKey.DeleteTopics]: { min: 0, max: 1 },
      [ApiKey.DescribeConfigs]: { min: 0, max: 2 },
      [ApiKey.OffsetForLeaderEpoch]: { min: 0, max: 3 },
      [ApiKey.InitProducerId]: { min: 0, max: 4 },
      [ApiKey.OffsetCommit]: { min: 0, max: 7 },
      [ApiKey.OffsetFetch]: { min: 0, max: 5 },
      [ApiKey.FindCoordinator]: { min: 0, max: 2 },
      [ApiKey.JoinGroup]: { min: 0, max: 5 },
      [ApiKey.Heartbeat]: { min: 0, max: 3 },
      [ApiKey.LeaveGroup]: { min: 0, max: 3 },
      [ApiKey.SyncGroup]: { min: 0, max: 3 },
      [ApiKey.DescribeGroups]: { min: 0, max: 4 },
      [ApiKey.ListGroups]: { min: 0, max: 2 },
      [ApiKey.SaslHandshake]: { min: 0, max: 1 },
      [ApiKey.SaslAuthenticate]: { min: 0, max: 1 },
      [ApiKey.CreatePartitions]: { min: 0, max: 1 },
      [ApiKey.AlterConfigs]: { min: 0, max: 1 },
      [ApiKey.IncrementalAlterConfigs]: { min: 0, max: 0 },
      [ApiKey.DescribeCluster]: { min: 0, max: 0 },
      [ApiKey.DeleteRecords]: { min: 0, max: 1 },
      [ApiKey.DeleteGroups]: { min: 0, max: 1 },
    });
    for (const [apiKey, range] of SUPPORTED_API_VERSIONS) {
      for (let version = range.min; version <= range.max; version++) {
        expect(codecFor(apiKey, version)).toMatchObject({ apiKey, apiVersion: version });
      }
    }
  });

  it('throws UnsupportedVersionError (UNSUPPORTED_VERSION) outside the ranges', () => {
    const reader = new KafkaReader(Buffer.alloc(0));
    for (const [apiKey, apiVersion] of [[ApiKey.Produce, 2], [ApiKey.Fetch, 12], [ApiKey.ApiVersions, 4], [ApiKey.OffsetForLeaderEpoch, 4], [99, 0]]) {
      expect(() => decodeRequest(apiKey as number, apiVersion as number, reader)).toThrow(UnsupportedVersionError);
    }
    expect(new UnsupportedVersionError(0, 2).code).toBe(ErrorCode.UNSUPPORTED_VERSION);
  });
});

describe('response frames', () => {
  it('size-prefix header and body; ApiVersions uses header v0 even when flexible (v3)', () => {
    const body = { errorCode: 0, apiKeys: [], throttleTimeMs: 0 };
    const apiVersionsV3 = encodeResponseFrame({ apiKey: ApiKey.ApiVersions, apiVersion: 3, correlationId: 5 }, body);
    expect(apiVersionsV3.readInt32BE(0)).toBe(apiVersionsV3.length - 4);
    expect(apiVersionsV3.readInt32BE(4)).toBe(5);
    // header v0: the body's error_code follows the correlation id directly (no tagged-field byte)
    expect([...apiVersionsV3.subarray(8)]).toEqual([0, 0, 1, 0, 0, 0, 0, 0]);
  });

  it('answer an unsupported ApiVersions version with a v0 body, UNSUPPORTED_VERSION and our ApiVersions range', () => {
    const frame = encodeUnsupportedApiVersionsFrame(11);
    expect(frame.readInt32BE(0)).toBe(frame.length - 4);
    expect(frame.readInt32BE(4)).toBe(11);
    const body = apiVersionsV0.decodeResponse(new KafkaReader(frame.subarray(8)));
    expect(body).toEqual({ errorCode: 35, apiKeys: [{ apiKey: 18, minVersion: 0, maxVersion: 3 }], throttleTimeMs: 0 });
  });
});

describe('error codes', () => {
  interface KafkajsError { type: string; code: number; retriable: boolean }
  const { errorCodes } = require('kafkajs/src/protocol/error') as { errorCodes: KafkajsError[] };

  it('match kafkajs\'s table of codes and retriability', () => {
    for (const [name, code] of Object.entries(ErrorCode)) {
      if (code === ErrorCode.NONE) continue;
      const theirs = errorCodes.find((entry) => entry.code === code);
      expect({ name, code, retriable: theirs?.retriable }).toEqual({ name, code, retriable: isRetriable(code) });
    }
  });

  it('KafkaProtocolError carries the code, the name and whether to retry', () => {
    const error = new KafkaProtocolError('NOT_LEADER_OR_FOLLOWER', 'partition 3 moved to broker 2');
    expect(error).toMatchObject({ code: 6, errorName: 'NOT_LEADER_OR_FOLLOWER', retriable: true });
    expect(new KafkaProtocolError('INVALID_REQUEST', 'x').retriable).toBe(false);
    expect(errorName(-1)).toBe('UNKNOWN_SERVER_ERROR');
  });
});
