/** CreateTopics (key 19) bodies, normalised across versions (CreateTopicsRequest/Response.json). */

/** NumPartitions / ReplicationFactor value meaning "use the broker's default" (or a manual assignment). */
export const BROKER_DEFAULT = -1;

export interface CreatableReplicaAssignment {
  partitionIndex: number;
  brokerIds: number[];
}

export interface CreatableTopicConfig {
  name: string;
  value: string | null;
}

export interface CreatableTopic {
  name: string;
  /** BROKER_DEFAULT (-1) = the broker's default, or as many as `assignments` lists. */
  numPartitions: number;
  /** BROKER_DEFAULT (-1) = the broker's default. */
  replicationFactor: number;
  /** Manual placement; [] = let the broker assign. */
  assignments: CreatableReplicaAssignment[];
  configs: CreatableTopicConfig[];
}

export interface CreateTopicsRequest {
  topics: CreatableTopic[];
  timeoutMs: number;
  /** v1+; false on decode of v0. */
  validateOnly: boolean;
}

export interface CreatableTopicResult {
  name: string;
  errorCode: number;
  /** v1+; null on decode of v0 and when there is no error. */
  errorMessage: string | null;
}

export interface CreateTopicsResponse {
  /** v2+; 0 on decode of older versions. */
  throttleTimeMs: number;
  topics: CreatableTopicResult[];
}
