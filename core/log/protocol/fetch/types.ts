/**
 * Fetch (key 1) bodies, normalised across versions (FetchRequest/Response.json). Fields a
 * version lacks decode to the spec's default. Records stay opaque bytes.
 */
export interface FetchPartition {
  partitionIndex: number;
  /** v9+; -1 = unknown. */
  currentLeaderEpoch: number;
  fetchOffset: bigint;
  /** v5+; only followers set it, consumers send -1. */
  logStartOffset: bigint;
  partitionMaxBytes: number;
}

export interface FetchTopic {
  name: string;
  partitions: FetchPartition[];
}

export interface ForgottenTopic {
  name: string;
  partitions: number[];
}

export interface FetchRequest {
  /** -1 for consumers, the follower's broker id for replication. */
  replicaId: number;
  maxWaitMs: number;
  minBytes: number;
  maxBytes: number;
  /** 0 = READ_UNCOMMITTED, 1 = READ_COMMITTED. */
  isolationLevel: number;
  /** v7+ incremental fetch sessions (KIP-227); 0 and -1 mean "no session". */
  sessionId: number;
  sessionEpoch: number;
  topics: FetchTopic[];
  /** v7+. */
  forgottenTopics: ForgottenTopic[];
  /** v11+; '' when absent. */
  rackId: string;
}

export interface AbortedTransaction {
  producerId: bigint;
  firstOffset: bigint;
}

export interface FetchPartitionResponse {
  partitionIndex: number;
  errorCode: number;
  highWatermark: bigint;
  lastStableOffset: bigint;
  /** v5+; -1 on decode of v4. */
  logStartOffset: bigint;
  abortedTransactions: AbortedTransaction[] | null;
  /** v11+; -1 = none. */
  preferredReadReplica: number;
  /**
   * Record batches as stored. Encoders also take a list of chunks (e.g. slices of several
   * segment files), written back to back under one size; decoders always return one Buffer.
   */
  records: Buffer | readonly Buffer[] | null;
}

export interface FetchTopicResponse {
  name: string;
  partitions: FetchPartitionResponse[];
}

export interface FetchResponse {
  throttleTimeMs: number;
  /** v7+ top-level error (fetch session errors); 0 on decode of older versions. */
  errorCode: number;
  /** v7+; 0 on decode of older versions. */
  sessionId: number;
  topics: FetchTopicResponse[];
}
