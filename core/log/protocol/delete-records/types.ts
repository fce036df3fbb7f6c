/** DeleteRecords (key 21) bodies, normalised across versions (DeleteRecordsRequest/Response.json). */
export interface DeleteRecordsPartition {
  partitionIndex: number;
  /** Delete every record before this offset; -1 means up to the high watermark. */
  offset: bigint;
}

export interface DeleteRecordsTopic {
  name: string;
  partitions: DeleteRecordsPartition[];
}

export interface DeleteRecordsRequest {
  topics: DeleteRecordsTopic[];
  timeoutMs: number;
}

export interface DeleteRecordsPartitionResult {
  partitionIndex: number;
  /** The partition's log start offset after the deletion. */
  lowWatermark: bigint;
  errorCode: number;
}

export interface DeleteRecordsTopicResult {
  name: string;
  partitions: DeleteRecordsPartitionResult[];
}

export interface DeleteRecordsResponse {
  throttleTimeMs: number;
  topics: DeleteRecordsTopicResult[];
}

/** DeleteRecords' "up to the high watermark" offset. */
export const DELETE_UP_TO_HIGH_WATERMARK = -1n;
