/**
 * Produce (key 0) bodies, normalised across versions (ProduceRequest/Response.json).
 * Records stay opaque: from v3 on they are record batch v2 bytes, validated and stored by the
 * log, never decoded by the protocol layer.
 */
export interface ProducePartitionData {
  partitionIndex: number;
  /** Record batch v2 bytes exactly as sent; null only if a client sends a null record set. */
  records: Buffer | null;
}

export interface ProduceTopicData {
  name: string;
  partitions: ProducePartitionData[];
}

export interface ProduceRequest {
  transactionalId: string | null;
  /** 0 = no response, 1 = leader only, -1 = all in-sync replicas. */
  acks: number;
  timeoutMs: number;
  topics: ProduceTopicData[];
}

export interface ProducePartitionResponse {
  partitionIndex: number;
  errorCode: number;
  baseOffset: bigint;
  /** -1 unless the topic uses LogAppendTime. */
  logAppendTimeMs: bigint;
  /** v5+; -1 on decode of older versions. */
  logStartOffset: bigint;
}

export interface ProduceTopicResponse {
  name: string;
  partitions: ProducePartitionResponse[];
}

export interface ProduceResponse {
  topics: ProduceTopicResponse[];
  throttleTimeMs: number;
}
