/** LeaveGroup (key 13) bodies, normalised across versions (LeaveGroupRequest/Response.json). */
export interface LeavingMember {
  memberId: string;
  groupInstanceId: string | null;
}

export interface LeaveGroupRequest {
  groupId: string;
  /** v0–v2 send one member_id; it is normalised to a one-member list (v3+ send a batch). */
  members: LeavingMember[];
}

export interface LeavingMemberResponse extends LeavingMember {
  errorCode: number;
}

export interface LeaveGroupResponse {
  /** v1+ */
  throttleTimeMs: number;
  errorCode: number;
  /** v3+ */
  members: LeavingMemberResponse[];
}
