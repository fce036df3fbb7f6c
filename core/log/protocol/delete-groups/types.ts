/** DeleteGroups (key 42) bodies, normalised across versions (DeleteGroupsRequest/Response.json). */
export interface DeleteGroupsRequest {
  groupsNames: string[];
}

export interface DeletableGroupResult {
  groupId: string;
  errorCode: number;
}

export interface DeleteGroupsResponse {
  throttleTimeMs: number;
  results: DeletableGroupResult[];
}
