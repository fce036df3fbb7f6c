/** Heartbeat (key 12) bodies, normalised across versions (HeartbeatRequest/Response.json). */
export interface HeartbeatRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  /** v3+ */
  groupInstanceId: string | null;
}

export interface HeartbeatResponse {
  /** v1+ */
  throttleTimeMs: number;
  errorCode: number;
}
