/** ListGroups (key 16) bodies, normalised across versions (ListGroupsRequest/Response.json). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- v0–v2 requests have no fields
export interface ListGroupsRequest {}

export interface ListedGroup {
  groupId: string;
  protocolType: string;
}

export interface ListGroupsResponse {
  /** v1+ */
  throttleTimeMs: number;
  errorCode: number;
  groups: ListedGroup[];
}
