/** JoinGroup (key 11) bodies, normalised across versions (JoinGroupRequest/Response.json). */
export interface JoinGroupProtocol {
  name: string;
  metadata: Buffer;
}

export interface JoinGroupRequest {
  groupId: string;
  sessionTimeoutMs: number;
  /** v1+; the session timeout on decode of v0 (Kafka's rule). */
  rebalanceTimeoutMs: number;
  /** "" when joining for the first time. */
  memberId: string;
  /** v5+ (static membership); null before. */
  groupInstanceId: string | null;
  protocolType: string;
  protocols: JoinGroupProtocol[];
}

export interface JoinGroupMember {
  memberId: string;
  /** v5+ */
  groupInstanceId: string | null;
  metadata: Buffer;
}

export interface JoinGroupResponse {
  /** v2+ */
  throttleTimeMs: number;
  errorCode: number;
  generationId: number;
  protocolName: string;
  leader: string;
  memberId: string;
  /** All members with their metadata for the leader; empty for everyone else. */
  members: JoinGroupMember[];
}
