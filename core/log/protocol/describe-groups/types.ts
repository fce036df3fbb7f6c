/** DescribeGroups (key 15) bodies, normalised across versions (DescribeGroupsRequest/Response.json). */
export interface DescribeGroupsRequest {
  groups: string[];
  /** v3+; false on decode of older versions. */
  includeAuthorizedOperations: boolean;
}

export interface DescribedGroupMember {
  memberId: string;
  /** v4+ */
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  memberMetadata: Buffer;
  memberAssignment: Buffer;
}

export interface DescribedGroup {
  errorCode: number;
  groupId: string;
  /** Kafka's state names: Empty, PreparingRebalance, CompletingRebalance, Stable, Dead. */
  groupState: string;
  protocolType: string;
  /** The chosen protocol (assignor) name. */
  protocolData: string;
  members: DescribedGroupMember[];
  /** v3+; Kafka's "not requested" value is -2147483648. */
  authorizedOperations: number;
}

export interface DescribeGroupsResponse {
  /** v1+ */
  throttleTimeMs: number;
  groups: DescribedGroup[];
}

/** Kafka's INT32_MIN: the client did not ask for authorized operations. */
export const AUTHORIZED_OPERATIONS_NOT_REQUESTED = -2147483648;
