/** ListOffsets (key 2) bodies, normalised across versions (ListOffsetsRequest/Response.json). */

/** Special timestamps a client may ask for instead of a real one. */
export const LATEST_TIMESTAMP = -1n;
export const EARLIEST_TIMESTAMP = -2n;

export interface ListOffsetsPartition {
  partitionIndex: number;
  /** v4+; -1 = unknown. */
  currentLeaderEpoch: number;
  /** A time in ms, or LATEST_TIMESTAMP / EARLIEST_TIMESTAMP. */
  timestamp: bigint;
  /** v0 only; 1 on decode of later versions. */
  maxNumOffsets: number;
}

export interface ListOffsetsTopic {
  name: string;
  partitions: ListOffsetsPartition[];
}

export interface ListOffsetsRequest {
  replicaId: number;
  /** v2+; 0 = READ_UNCOMMITTED on decode of older versions. */
  isolationLevel: number;
  topics: ListOffsetsTopic[];
}

export interface ListOffsetsPartitionResponse {
  partitionIndex: number;
  errorCode: number;
  /** v0 only (descending offsets); [] on decode of later versions. */
  oldStyleOffsets: bigint[];
  /** v1+; -1 on decode of v0. */
  timestamp: bigint;
  /** v1+; -1 on decode of v0. */
  offset: bigint;
  /** v4+; -1 on decode of older versions. */
  leaderEpoch: number;
}

export interface ListOffsetsTopicResponse {
  name: string;
  partitions: ListOffsetsPartitionResponse[];
}

export interface ListOffsetsResponse {
  /** v2+; 0 on decode of older versions. */
  throttleTimeMs: number;
  topics: ListOffsetsTopicResponse[];
}
