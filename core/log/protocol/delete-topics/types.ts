/** DeleteTopics (key 20) bodies, normalised across versions (DeleteTopicsRequest/Response.json). */
export interface DeleteTopicsRequest {
  topicNames: string[];
  timeoutMs: number;
}

export interface DeletableTopicResult {
  name: string;
  errorCode: number;
}

export interface DeleteTopicsResponse {
  /** v1+; 0 on decode of v0. */
  throttleTimeMs: number;
  responses: DeletableTopicResult[];
}
