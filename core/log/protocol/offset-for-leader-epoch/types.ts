/**
 * OffsetForLeaderEpoch (key 23) bodies, normalised across versions (OffsetForLeaderEpochRequest/
 * Response.json). Fields keep this spec's names `topic` and `partition`, where the ListOffsets
 * and Fetch types say `name` and `partitionIndex`.
 */

/** replica_id of a debugging consumer, allowed past the high watermark: the spec's default before v3. */
export const DEBUGGING_REPLICA_ID = -2;

export interface OffsetForLeaderEpochPartition {
  partition: number;
  /** v2+, for fencing requests with stale metadata; -1 = unknown (and on decode of older versions). */
  currentLeaderEpoch: number;
  /** The epoch whose end offset is asked for. */
  leaderEpoch: number;
}

export interface OffsetForLeaderEpochTopic {
  topic: string;
  partitions: OffsetForLeaderEpochPartition[];
}

export interface OffsetForLeaderEpochRequest {
  /** v3+: the follower's broker id, or -1 for a consumer; DEBUGGING_REPLICA_ID on decode of older versions. */
  replicaId: number;
  topics: OffsetForLeaderEpochTopic[];
}

export interface OffsetForLeaderEpochPartitionResponse {
  errorCode: number;
  partition: number;
  /** v1+: the largest epoch <= the requested one; -1 on decode of v0. */
  leaderEpoch: number;
  /** Where that epoch's data ends (the next epoch's start, or the log end); -1 if unknown. */
  endOffset: bigint;
}

export interface OffsetForLeaderEpochTopicResponse {
  topic: string;
  partitions: OffsetForLeaderEpochPartitionResponse[];
}

export interface OffsetForLeaderEpochResponse {
  /** v2+; 0 on decode of older versions. */
  throttleTimeMs: number;
  topics: OffsetForLeaderEpochTopicResponse[];
}
