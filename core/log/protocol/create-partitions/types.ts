/** CreatePartitions (key 37) bodies, normalised across versions (CreatePartitionsRequest/Response.json). */
export interface CreatePartitionsTopic {
  name: string;
  /** The topic's new total partition count. */
  count: number;
  /** Replicas of each new partition (null: the broker assigns them). */
  assignments: number[][] | null;
}

export interface CreatePartitionsRequest {
  topics: CreatePartitionsTopic[];
  timeoutMs: number;
  validateOnly: boolean;
}

export interface CreatePartitionsTopicResult {
  name: string;
  errorCode: number;
  errorMessage: string | null;
}

export interface CreatePartitionsResponse {
  throttleTimeMs: number;
  results: CreatePartitionsTopicResult[];
}
