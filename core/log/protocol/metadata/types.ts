/** Metadata (key 3) bodies, normalised across versions (MetadataRequest/Response.json). */
export interface MetadataRequest {
  /** null = all topics. (v0 encodes "all" as an empty array; v1+ as a null array.) */
  topics: string[] | null;
  /** v4+; older versions decode as true, which is what those clients implied. */
  allowAutoTopicCreation: boolean;
}

export interface MetadataBroker {
  nodeId: number;
  host: string;
  port: number;
  /** v1+; null = no rack. */
  rack: string | null;
}

export interface MetadataPartition {
  errorCode: number;
  partitionIndex: number;
  leaderId: number;
  replicaNodes: number[];
  isrNodes: number[];
  /** v5+; [] on decode of older versions. */
  offlineReplicas: number[];
}

export interface MetadataTopic {
  errorCode: number;
  name: string;
  /** v1+; false on decode of v0. */
  isInternal: boolean;
  partitions: MetadataPartition[];
}

export interface MetadataResponse {
  /** v3+; 0 on decode of older versions. */
  throttleTimeMs: number;
  brokers: MetadataBroker[];
  /** v2+; null on decode of older versions. */
  clusterId: string | null;
  /** v1+; -1 (unknown) on decode of v0. */
  controllerId: number;
  topics: MetadataTopic[];
}
