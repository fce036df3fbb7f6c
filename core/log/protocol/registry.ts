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
 * - InitProducerId 0–4: kafkajs asks for up to 1, librdkafka 2.0 up to 4 (v2 flexible, v3 adds
 *   the producer's current id and epoch); idempotent producers only, no transactions.
 * - Group coordinator APIs, every version before the first flexible one (what kafkajs 2.2.4,
 *   librdkafka 2.x and kafka-python 2.0 negotiate down to): FindCoordinator 0–2, JoinGroup 0–5,
 *   SyncGroup 0–3, Heartbeat 0–3, LeaveGroup 0–3, OffsetCommit 0–7, OffsetFetch 0–5,
 *   ListGroups 0–2, DescribeGroups 0–4.
 * - SaslHandshake 0–1, SaslAuthenticate 0–1: v1 handshakes put the SASL tokens in
 *   SaslAuthenticate frames (what kafkajs and librdkafka use when offered). v0 is advertised
 *   because librdkafka insists on it being in range, but its raw-token flow (tokens outside the
 *   Kafka framing) is not parsed: such a connection is closed.
 * - More admin APIs, every version before the first flexible one (kafkajs 2.2.4 asks for at most
 *   1 of each): CreatePartitions 0–1, AlterConfigs 0–1, IncrementalAlterConfigs 0, DeleteRecords
 *   0–1, DeleteGroups 0–1; DescribeCluster 0 (flexible from v0; KIP-700 clients ask it instead of
 *   Metadata).
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
import { initProducerIdV0 } from './init-producer-id/v0.js';
import { initProducerIdV1 } from './init-producer-id/v1.js';
import { initProducerIdV2 } from './init-producer-id/v2.js';
import { initProducerIdV3 } from './init-producer-id/v3.js';
import { initProducerIdV4 } from './init-producer-id/v4.js';
import type { InitProducerIdRequest, InitProducerIdResponse } from './init-producer-id/types.js';
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

// Consumer groups (group coordinator): every version before the first flexible one.
import { offsetCommitV0 } from './offset-commit/v0.js';
import { offsetCommitV1 } from './offset-commit/v1.js';
import { offsetCommitV2 } from './offset-commit/v2.js';
import { offsetCommitV3 } from './offset-commit/v3.js';
import { offsetCommitV4 } from './offset-commit/v4.js';
import { offsetCommitV5 } from './offset-commit/v5.js';
import { offsetCommitV6 } from './offset-commit/v6.js';
import { offsetCommitV7 } from './offset-commit/v7.js';
import { offsetFetchV0 } from './offset-fetch/v0.js';
import { offsetFetchV1 } from './offset-fetch/v1.js';
import { offsetFetchV2 } from './offset-fetch/v2.js';
import { offsetFetchV3 } from './offset-fetch/v3.js';
import { offsetFetchV4 } from './offset-fetch/v4.js';
import { offsetFetchV5 } from './offset-fetch/v5.js';
import { findCoordinatorV0 } from './find-coordinator/v0.js';
import { findCoordinatorV1 } from './find-coordinator/v1.js';
import { findCoordinatorV2 } from './find-coordinator/v2.js';
import { joinGroupV0 } from './join-group/v0.js';
import { joinGroupV1 } from './join-group/v1.js';
import { joinGroupV2 } from './join-group/v2.js';
import { joinGroupV3 } from './join-group/v3.js';
import { joinGroupV4 } from './join-group/v4.js';
import { joinGroupV5 } from './join-group/v5.js';
import { heartbeatV0 } from './heartbeat/v0.js';
import { heartbeatV1 } from './heartbeat/v1.js';
import { heartbeatV2 } from './heartbeat/v2.js';
import { heartbeatV3 } from './heartbeat/v3.js';
import { leaveGroupV0 } from './leave-group/v0.js';
import { leaveGroupV1 } from './leave-group/v1.js';
import { leaveGroupV2 } from './leave-group/v2.js';
import { leaveGroupV3 } from './leave-group/v3.js';
import { syncGroupV0 } from './sync-group/v0.js';
import { syncGroupV1 } from './sync-group/v1.js';
import { syncGroupV2 } from './sync-group/v2.js';
import { syncGroupV3 } from './sync-group/v3.js';
import { describeGroupsV0 } from './describe-groups/v0.js';
import { describeGroupsV1 } from './describe-groups/v1.js';
import { describeGroupsV2 } from './describe-groups/v2.js';
import { describeGroupsV3 } from './describe-groups/v3.js';
import { describeGroupsV4 } from './describe-groups/v4.js';
import { listGroupsV0 } from './list-groups/v0.js';
import { listGroupsV1 } from './list-groups/v1.js';
import { listGroupsV2 } from './list-groups/v2.js';
import type { OffsetCommitRequest, OffsetCommitResponse } from './offset-commit/types.js';
import type { OffsetFetchRequest, OffsetFetchResponse } from './offset-fetch/types.js';
import type { FindCoordinatorRequest, FindCoordinatorResponse } from './find-coordinator/types.js';
import type { JoinGroupRequest, JoinGroupResponse } from './join-group/types.js';
import type { HeartbeatRequest, HeartbeatResponse } from './heartbeat/types.js';
import type { LeaveGroupRequest, LeaveGroupResponse } from './leave-group/types.js';
import type { SyncGroupRequest, SyncGroupResponse } from './sync-group/types.js';
import type { DescribeGroupsRequest, DescribeGroupsResponse } from './describe-groups/types.js';
import type { ListGroupsRequest, ListGroupsResponse } from './list-groups/types.js';
import { saslHandshakeV0 } from './sasl-handshake/v0.js';
import { saslHandshakeV1 } from './sasl-handshake/v1.js';
import { saslAuthenticateV0 } from './sasl-authenticate/v0.js';
import { saslAuthenticateV1 } from './sasl-authenticate/v1.js';
import type { SaslHandshakeRequest, SaslHandshakeResponse } from './sasl-handshake/types.js';
import type { SaslAuthenticateRequest, SaslAuthenticateResponse } from './sasl-authenticate/types.js';

import { createPartitionsV0 } from './create-partitions/v0.js';
import { createPartitionsV1 } from './create-partitions/v1.js';
import type { CreatePartitionsRequest, CreatePartitionsResponse } from './create-partitions/types.js';
import { alterConfigsV0 } from './alter-configs/v0.js';
import { alterConfigsV1 } from './alter-configs/v1.js';
import type { AlterConfigsRequest, AlterConfigsResponse } from './alter-configs/types.js';
import { incrementalAlterConfigsV0 } from './incremental-alter-configs/v0.js';
import { describeClusterV0 } from './describe-cluster/v0.js';
import type { DescribeClusterRequest, DescribeClusterResponse } from './describe-cluster/types.js';
import { deleteRecordsV0 } from './delete-records/v0.js';
import { deleteRecordsV1 } from './delete-records/v1.js';
import type { DeleteRecordsRequest, DeleteRecordsResponse } from './delete-records/types.js';
import { deleteGroupsV0 } from './delete-groups/v0.js';
import { deleteGroupsV1 } from './delete-groups/v1.js';
import type { DeleteGroupsRequest, DeleteGroupsResponse } from './delete-groups/types.js';

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
  [ApiKey.InitProducerId]: { request: InitProducerIdRequest; response: InitProducerIdResponse };
  [ApiKey.OffsetCommit]: { request: OffsetCommitRequest; response: OffsetCommitResponse };
  [ApiKey.OffsetFetch]: { request: OffsetFetchRequest; response: OffsetFetchResponse };
  [ApiKey.FindCoordinator]: { request: FindCoordinatorRequest; response: FindCoordinatorResponse };
  [ApiKey.JoinGroup]: { request: JoinGroupRequest; response: JoinGroupResponse };
  [ApiKey.Heartbeat]: { request: HeartbeatRequest; response: HeartbeatResponse };
  [ApiKey.LeaveGroup]: { request: LeaveGroupRequest; response: LeaveGroupResponse };
  [ApiKey.SyncGroup]: { request: SyncGroupRequest; response: SyncGroupResponse };
  [ApiKey.DescribeGroups]: { request: DescribeGroupsRequest; response: DescribeGroupsResponse };
  [ApiKey.ListGroups]: { request: ListGroupsRequest; response: ListGroupsResponse };
  [ApiKey.SaslHandshake]: { request: SaslHandshakeRequest; response: SaslHandshakeResponse };
  [ApiKey.SaslAuthenticate]: { request: SaslAuthenticateRequest; response: SaslAuthenticateResponse };
  [ApiKey.CreatePartitions]: { request: CreatePartitionsRequest; response: CreatePartitionsResponse };
  [ApiKey.AlterConfigs]: { request: AlterConfigsRequest; response: AlterConfigsResponse };
  [ApiKey.IncrementalAlterConfigs]: { request: AlterConfigsRequest; response: AlterConfigsResponse };
  [ApiKey.DescribeCluster]: { request: DescribeClusterRequest; response: DescribeClusterResponse };
  [ApiKey.DeleteRecords]: { request: DeleteRecordsRequest; response: DeleteRecordsResponse };
  [ApiKey.DeleteGroups]: { request: DeleteGroupsRequest; response: DeleteGroupsResponse };
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
  [ApiKey.OffsetCommit]: [offsetCommitV0, offsetCommitV1, offsetCommitV2, offsetCommitV3, offsetCommitV4, offsetCommitV5, offsetCommitV6, offsetCommitV7],
  [ApiKey.OffsetFetch]: [offsetFetchV0, offsetFetchV1, offsetFetchV2, offsetFetchV3, offsetFetchV4, offsetFetchV5],
  [ApiKey.FindCoordinator]: [findCoordinatorV0, findCoordinatorV1, findCoordinatorV2],
  [ApiKey.JoinGroup]: [joinGroupV0, joinGroupV1, joinGroupV2, joinGroupV3, joinGroupV4, joinGroupV5],
  [ApiKey.Heartbeat]: [heartbeatV0, heartbeatV1, heartbeatV2, heartbeatV3],
  [ApiKey.LeaveGroup]: [leaveGroupV0, leaveGroupV1, leaveGroupV2, leaveGroupV3],
  [ApiKey.SyncGroup]: [syncGroupV0, syncGroupV1, syncGroupV2, syncGroupV3],
  [ApiKey.DescribeGroups]: [describeGroupsV0, describeGroupsV1, describeGroupsV2, describeGroupsV3, describeGroupsV4],
  [ApiKey.ListGroups]: [listGroupsV0, listGroupsV1, listGroupsV2],
  [ApiKey.OffsetForLeaderEpoch]: [offsetForLeaderEpochV0, offsetForLeaderEpochV1, offsetForLeaderEpochV2, offsetForLeaderEpochV3],
  [ApiKey.InitProducerId]: [initProducerIdV0, initProducerIdV1, initProducerIdV2, initProducerIdV3, initProducerIdV4],
  [ApiKey.SaslHandshake]: [saslHandshakeV0, saslHandshakeV1],
  [ApiKey.SaslAuthenticate]: [saslAuthenticateV0, saslAuthenticateV1],
  [ApiKey.CreatePartitions]: [createPartitionsV0, createPartitionsV1],
  [ApiKey.AlterConfigs]: [alterConfigsV0, alterConfigsV1],
  [ApiKey.IncrementalAlterConfigs]: [incrementalAlterConfigsV0],
  [ApiKey.DescribeCluster]: [describeClusterV0],
  [ApiKey.DeleteRecords]: [deleteRecordsV0, deleteRecordsV1],
  [ApiKey.DeleteGroups]: [deleteGroupsV0, deleteGroupsV1],
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
