/** ApiVersions (key 18) bodies, normalised across versions (ApiVersionsRequest/Response.json). */
export interface ApiVersionsRequest {
  /** v3+; null when the client sent an older version. */
  clientSoftwareName: string | null;
  clientSoftwareVersion: string | null;
}

export interface ApiVersionRange {
  apiKey: number;
  minVersion: number;
  maxVersion: number;
}

export interface ApiVersionsResponse {
  errorCode: number;
  apiKeys: ApiVersionRange[];
  /** v1+; 0 on decode of v0. */
  throttleTimeMs: number;
}
