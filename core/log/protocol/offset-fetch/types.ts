/** OffsetFetch (key 9) bodies, normalised across versions (OffsetFetchRequest/Response.json). */
export interface OffsetFetchRequest {
  groupId: string;
  /** null (v2+ only) asks for every partition the group has committed. */
  topics: { name: string; partitionIndexes: number[] }[] | null;
}

export interface OffsetFetchPartitionResponse {
  partitionIndex: number;
  /** -1 when the group committed nothing for the partition. */
  committedOffset: bigint;
  /** v5+; -1 when unknown. */
  committedLeaderEpoch: number;
  metadata: string | null;
  errorCode: number;
}

export interface OffsetFetchResponse {
  /** v3+ */
  throttleTimeMs: number;
  topics: { name: string; partitions: OffsetFetchPartitionResponse[] }[];
  /** v2+: a group-level error (e.g. NOT_COORDINATOR). */
  errorCode: number;
}
