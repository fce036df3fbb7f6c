/** SyncGroup (key 14) bodies, normalised across versions (SyncGroupRequest/Response.json). */
export interface SyncGroupAssignment {
  memberId: string;
  assignment: Buffer;
}

export interface SyncGroupRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  /** v3+ */
  groupInstanceId: string | null;
  /** Only the leader sends assignments; everyone else an empty list. */
  assignments: SyncGroupAssignment[];
}

export interface SyncGroupResponse {
  /** v1+ */
  throttleTimeMs: number;
  errorCode: number;
  assignment: Buffer;
}
