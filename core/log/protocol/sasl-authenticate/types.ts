/** SaslAuthenticate (key 36) bodies, normalised across versions (SaslAuthenticateRequest/Response.json). */
export interface SaslAuthenticateRequest {
  /** One SASL token from the client (PLAIN's whole message, or one SCRAM message). */
  authBytes: Buffer;
}

export interface SaslAuthenticateResponse {
  errorCode: number;
  errorMessage: string | null;
  /** The server's SASL token (SCRAM's server-first or server-final message; empty for PLAIN). */
  authBytes: Buffer;
  /** v1+: how long the session may live before the client must re-authenticate; 0 = no limit. */
  sessionLifetimeMs: bigint;
}
