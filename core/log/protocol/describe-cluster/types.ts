/** DescribeCluster (key 60) bodies (DescribeClusterRequest/Response.json, v0). */
export interface DescribeClusterRequest {
  includeClusterAuthorizedOperations: boolean;
}

export interface DescribeClusterBroker {
  brokerId: number;
  host: string;
  port: number;
  rack: string | null;
}

export interface DescribeClusterResponse {
  throttleTimeMs: number;
  errorCode: number;
  errorMessage: string | null;
  clusterId: string;
  controllerId: number;
  brokers: DescribeClusterBroker[];
  /** Kafka's "not requested" value is -2147483648 (Integer.MIN_VALUE). */
  clusterAuthorizedOperations: number;
}

export const CLUSTER_AUTHORIZED_OPERATIONS_NOT_REQUESTED = -2147483648;
