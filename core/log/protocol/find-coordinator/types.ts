/** FindCoordinator (key 10) bodies, normalised across versions (FindCoordinatorRequest/Response.json). */
export const CoordinatorKeyType = { GROUP: 0, TRANSACTION: 1 } as const;

export interface FindCoordinatorRequest {
  key: string;
  /** v1+; GROUP on decode of v0. */
  keyType: number;
}

export interface FindCoordinatorResponse {
  /** v1+ */
  throttleTimeMs: number;
  errorCode: number;
  /** v1+ */
  errorMessage: string | null;
  nodeId: number;
  host: string;
  port: number;
}
