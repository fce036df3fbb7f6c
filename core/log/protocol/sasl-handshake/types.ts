/** SaslHandshake (key 17) bodies (SaslHandshakeRequest/Response.json). */
export interface SaslHandshakeRequest {
  /** The SASL mechanism the client wants, e.g. "PLAIN", "SCRAM-SHA-256". */
  mechanism: string;
}

export interface SaslHandshakeResponse {
  errorCode: number;
  /** The mechanisms this broker enables (the client picks again if its choice is missing). */
  mechanisms: string[];
}
