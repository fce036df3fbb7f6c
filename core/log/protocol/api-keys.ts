/** Kafka API keys this broker knows (values from Kafka's message specs, field "apiKey"). */
export const ApiKey = {
  Produce: 0,
  Fetch: 1,
  ListOffsets: 2,
  Metadata: 3,
  OffsetCommit: 8,
  OffsetFetch: 9,
  FindCoordinator: 10,
  JoinGroup: 11,
  Heartbeat: 12,
  LeaveGroup: 13,
  SyncGroup: 14,
  DescribeGroups: 15,
  ListGroups: 16,
  SaslHandshake: 17,
  ApiVersions: 18,
  CreateTopics: 19,
  DeleteTopics: 20,
  DeleteRecords: 21,
  InitProducerId: 22,
  OffsetForLeaderEpoch: 23,
  DescribeConfigs: 32,
  AlterConfigs: 33,
  SaslAuthenticate: 36,
  CreatePartitions: 37,
  DeleteGroups: 42,
  IncrementalAlterConfigs: 44,
  DescribeCluster: 60,
} as const;

export type ApiKeyName = keyof typeof ApiKey;
export type ApiKeyValue = (typeof ApiKey)[ApiKeyName];

/**
 * First flexible version (compact strings/arrays, tagged fields, request header v2, response
 * header v1) per API, from each spec's "flexibleVersions". Needed even for versions we do not
 * support: the request header's length depends on it.
 */
export const FIRST_FLEXIBLE_VERSION: Readonly<Record<ApiKeyValue, number>> = {
  [ApiKey.Produce]: 9,
  [ApiKey.Fetch]: 12,
  [ApiKey.ListOffsets]: 6,
  [ApiKey.Metadata]: 9,
  [ApiKey.OffsetCommit]: 8,
  [ApiKey.OffsetFetch]: 6,
  [ApiKey.FindCoordinator]: 3,
  [ApiKey.JoinGroup]: 6,
  [ApiKey.Heartbeat]: 4,
  [ApiKey.LeaveGroup]: 4,
  [ApiKey.SyncGroup]: 4,
  [ApiKey.DescribeGroups]: 5,
  [ApiKey.ListGroups]: 3,
  // SaslHandshake never became flexible (its spec says "flexibleVersions": "none").
  [ApiKey.SaslHandshake]: Number.POSITIVE_INFINITY,
  [ApiKey.ApiVersions]: 3,
  [ApiKey.CreateTopics]: 5,
  [ApiKey.DeleteTopics]: 4,
  [ApiKey.InitProducerId]: 2,
  [ApiKey.OffsetForLeaderEpoch]: 4,
  [ApiKey.DescribeConfigs]: 4,
  [ApiKey.SaslAuthenticate]: 2,
  [ApiKey.DeleteRecords]: 2,
  [ApiKey.AlterConfigs]: 2,
  [ApiKey.CreatePartitions]: 2,
  [ApiKey.DeleteGroups]: 2,
  [ApiKey.IncrementalAlterConfigs]: 1,
  [ApiKey.DescribeCluster]: 0,
};

export function isFlexibleVersion(apiKey: number, apiVersion: number): boolean {
  const firstFlexible = (FIRST_FLEXIBLE_VERSION as Record<number, number | undefined>)[apiKey];
  return firstFlexible !== undefined && apiVersion >= firstFlexible;
}
