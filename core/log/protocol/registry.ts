/**
 * Which codec serves which (api key, version). The ranges here are exactly what the broker
 * advertises in ApiVersions, so a client can never pick a version we cannot decode.
 *
 * Why these ranges (clients negotiate the highest version both sides support):
 * - Produce 3–7: v3 is the first version carrying record batch v2, the only format the log
 *   stores as received; v0–v2 (message sets v0/v1) are deliberately not offered.
 * - Fetch 4–11: v4 is the first version whose responses may hold record batch v2.
 * - Metadata 0–6 (kafkajs 2.2.4's maximum), ListOffsets 0–5 (everything before the first
 *   flexible version, 6), ApiVersions 0–3 (v3 is flexible; kafkajs asks for at most 2).
 * - Admin APIs up to kafkajs 2.2.4's maximum, all before their first flexible version:
 *   CreateTopics 0–3, DeleteTopics 0–1, DescribeConfigs 0–2.
 * - OffsetForLeaderEpoch 0–3 (everything before the first flexible version, 4): followers ask
 *   where an epoch ended before truncating (KIP-101/279), consumers to detect truncation (KIP-320).
 *   kafkajs never sends it; our replica fetchers do.
 */
import { ApiKey } from './api-keys.js';
import { apiVersionsV0 } from './api-versions/v0.js';
import { apiVersionsV1 } from './api-versions/v1.js';
import { apiVersionsV2 } from './api-versions/v2.js';
import { apiVersionsV3 } from './api-versions/v3.js';
import type { ApiVersionsRequest, ApiVersionsResponse } from './api-versions/types.js';
import type { VersionCodec } from './codec.js';
import { createTopicsV0 } from './create-topics/v0.js';
import { createTopicsV1 } from './create-topics/v1.js';
import { createTopicsV2 } from './create-topics/v2.js';
import { createTopicsV3 } from './create-topics/v3.js';
import type { CreateTopicsRequest, CreateTopicsResponse } from './create-topics/types.js';
import { deleteTopicsV0 } from './delete-topics/v0.js';
import { deleteTopicsV1 } from './delete-topics/v1.js';
import type { DeleteTopicsRequest, DeleteTopicsResponse } from './delete-topics/types.js';
import { describeConfigsV0 } from './describe-configs/v0.js';
import { describeConfigsV1 } from './describe-configs/v1.js';
import { describeConfigsV2 } from './describe-configs/v2.js';
import type { DescribeConfigsRequest, DescribeConfigsResponse } from './describe-configs/types.js';
import { UnsupportedVersionError } from './errors.js';
import { fetchV4 } from './fetch/v4.js';
import { fetchV5 } from './fetch/v5.js';
import { fetchV6 } from './fetch/v6.js';
import { fetchV7 } from './fetch/v7.js';
import { fetchV8 } from './fetch/v8.js';
import { fetchV9 } from './fetch/v9.js';
import { fetchV10 } from './fetch/v10.js';
import { fetchV11 } from './fetch/v11.js';
import type { FetchRequest, FetchResponse } from './fetch/types.js';
import { listOffsetsV0 } from './list-offsets/v0.js';
import { listOffsetsV1 } from './list-offsets/v1.js';
import { listOffsetsV2 } from './list-offsets/v2.js';
import { listOffsetsV3 } from './list-offsets/v3.js';
import { listOffsetsV4 } from './list-offsets/v4.js';
import { listOffsetsV5 } from './list-offsets/v5.js';
import type { ListOffsetsRequest, ListOffsetsResponse } from './list-offsets/types.js';
import { metadataV0 } from './metadata/v0.js';
import { metadataV1 } from './metadata/v1.js';
import { metadataV2 } from './metadata/v2.js';
import { metadataV3 } from './metadata/v3.js';
import { metadataV4 } from './metadata/v4.js';
import { metadataV5 } from './metadata/v5.js';
import { metadataV6 } from './metadata/v6.js';
import type { MetadataRequest, MetadataResponse } from './metadata/types.js';
import { offsetForLeaderEpochV0 } from './offset-for-leader-epoch/v0.js';
import { offsetForLeaderEpochV1 } from './offset-for-leader-epoch/v1.js';
import { offsetForLeaderEpochV2 } from './offset-for-leader-epoch/v2.js';
import { offsetForLeaderEpochV3 } from './offset-for-leader-epoch/v3.js';
import type { OffsetForLeaderEpochRequest, OffsetForLeaderEpochResponse } from './offset-for-leader-epoch/types.js';
import { produceV3 } from './produce/v3.js';
import { produceV4 } from './produce/v4.js';
import { produceV5 } from './produce/v5.js';
import { produceV6 } from './produce/v6.js';
import { produceV7 } from './produce/v7.js';
import type { ProduceRequest, ProduceResponse } from './produce/types.js';

/** Request and response body types per supported API key. */
export interface ApiBodies {
  [ApiKey.Produce]: { request: ProduceRequest; response: ProduceResponse };
  [ApiKey.Fetch]: { request: FetchRequest; response: FetchResponse };
  [ApiKey.ListOffsets]: { request: ListOffsetsRequest; response: ListOffsetsResponse };
  [ApiKey.Metadata]: { request: MetadataRequest; response: MetadataResponse };
  [ApiKey.ApiVersions]: { request: ApiVersionsRequest; response: ApiVersionsResponse };
  [ApiKey.CreateTopics]: { request: CreateTopicsRequest; response: CreateTopicsResponse };
  [ApiKey.DeleteTopics]: { request: DeleteTopicsRequest; response: DeleteTopicsResponse };
  [ApiKey.DescribeConfigs]: { request: DescribeConfigsRequest; response: DescribeConfigsResponse };
  [ApiKey.OffsetForLeaderEpoch]: { request: OffsetForLeaderEpochRequest; response: OffsetForLeaderEpochResponse };
}

export type SupportedApiKey = keyof ApiBodies;
export type CodecOf<K extends SupportedApiKey> = VersionCodec<ApiBodies[K]['request'], ApiBodies[K]['response']>;

/** Codecs per key, contiguous and in version order starting at the minimum version. */
const CODECS: { [K in SupportedApiKey]: readonly CodecOf<K>[] } = {
  [ApiKey.Produce]: [produceV3, produceV4, produceV5, produceV6, produceV7],
  [ApiKey.Fetch]: [fetchV4, fetchV5, fetchV6, fetchV7, fetchV8, fetchV9, fetchV10, fetchV11],
  [ApiKey.ListOffsets]: [listOffsetsV0, listOffsetsV1, listOffsetsV2, listOffsetsV3, listOffsetsV4, listOffsetsV5],
  [ApiKey.Metadata]: [metadataV0, metadataV1, metadataV2, metadataV3, metadataV4, metadataV5, metadataV6],
  [ApiKey.ApiVersions]: [apiVersionsV0, apiVersionsV1, apiVersionsV2, apiVersionsV3],
  [ApiKey.CreateTopics]: [createTopicsV0, createTopicsV1, createTopicsV2, createTopicsV3],
  [ApiKey.DeleteTopics]: [deleteTopicsV0, deleteTopicsV1],
  [ApiKey.DescribeConfigs]: [describeConfigsV0, describeConfigsV1, describeConfigsV2],
  [ApiKey.OffsetForLeaderEpoch]: [offsetForLeaderEpochV0, offsetForLeaderEpochV1, offsetForLeaderEpochV2, offsetForLeaderEpochV3],
};

export interface VersionRange {
  readonly min: number;
  readonly max: number;
}

function rangeOf(codecs: readonly { apiVersion: number }[]): VersionRange {
  const versions = codecs.map((codec) => codec.apiVersion);
  const range = { min: versions[0] as number, max: versions[versions.length - 1] as number };
  // Invariant: ranges advertised in ApiVersions are contiguous; a gap would be a silent lie.
  versions.forEach((version, index) => {
    if (version !== range.min + index) throw new Error(`codec versions not contiguous: ${versions.join(',')}`);
  });
  return range;
}

/** apiKey → {min, max}: exactly the versions this broker decodes and advertises. */
export const SUPPORTED_API_VERSIONS: ReadonlyMap<SupportedApiKey, VersionRange> = new Map(
  (Object.keys(CODECS) as unknown as SupportedApiKey[]).map((key) => [Number(key) as SupportedApiKey, rangeOf(CODECS[key])]),
);

export function isSupportedApiKey(apiKey: number): apiKey is SupportedApiKey {
  return SUPPORTED_API_VERSIONS.has(apiKey as SupportedApiKey);
}

export function isSupportedVersion(apiKey: number, apiVersion: number): boolean {
  const range = SUPPORTED_API_VERSIONS.get(apiKey as SupportedApiKey);
  return range !== undefined && apiVersion >= range.min && apiVersion <= range.max;
}

/** The codec for one key and version; throws UnsupportedVersionError outside SUPPORTED_API_VERSIONS. */
export function codecFor<K extends SupportedApiKey>(apiKey: K, apiVersion: number): CodecOf<K>;
export function codecFor(apiKey: number, apiVersion: number): CodecOf<SupportedApiKey>;
export function codecFor(apiKey: number, apiVersion: number): CodecOf<SupportedApiKey> {
  if (!isSupportedApiKey(apiKey) || !isSupportedVersion(apiKey, apiVersion)) {
    throw new UnsupportedVersionError(apiKey, apiVersion);
  }
  const codecs = CODECS[apiKey] as readonly CodecOf<SupportedApiKey>[];
  return codecs[apiVersion - (SUPPORTED_API_VERSIONS.get(apiKey) as VersionRange).min] as CodecOf<SupportedApiKey>;
}
