/** OffsetCommit (key 8) bodies, normalised across versions (OffsetCommitRequest/Response.json). */
export interface OffsetCommitPartition {
  partitionIndex: number;
  committedOffset: bigint;
  /** v6+; -1 when absent. */
  committedLeaderEpoch: number;
  /** v1 only; -1 when absent. */
  commitTimestampMs: bigint;
  committedMetadata: string | null;
}

export interface OffsetCommitTopic {
  name: string;
  partitions: OffsetCommitPartition[];
}

export interface OffsetCommitRequest {
  groupId: string;
  /** v1+; -1 (a "simple" commit outside any generation) on decode of v0. */
  generationId: number;
  /** v1+; "" on decode of v0. */
  memberId: string;
  /** v7+ */
  groupInstanceId: string | null;
  /** v2–v4; -1 (broker default) otherwise. */
  retentionTimeMs: bigint;
  topics: OffsetCommitTopic[];
}

export interface OffsetCommitPartitionResponse {
  partitionIndex: number;
  errorCode: number;
}

export interface OffsetCommitResponse {
  /** v3+ */
  throttleTimeMs: number;
  topics: { name: string; partitions: OffsetCommitPartitionResponse[] }[];
}
