/**
 * SaslAuthenticate v0–v1 (v2 is the first flexible version). v1 adds session_lifetime_ms to the
 * response (KIP-368); this broker always answers 0: sessions never expire.
 */
import { ApiKey } from '../api-keys.js';
import type { VersionCodec } from '../codec.js';
import type { SaslAuthenticateRequest, SaslAuthenticateResponse } from './types.js';

export function saslAuthenticateCodec(apiVersion: number): VersionCodec<SaslAuthenticateRequest, SaslAuthenticateResponse> {
  const hasSessionLifetime = apiVersion >= 1;
  return {
    apiKey: ApiKey.SaslAuthenticate,
    apiVersion,
    decodeRequest(reader) {
      return { authBytes: reader.readBytes() };
    },
    encodeRequest(writer, request) {
      writer.writeBytes(request.authBytes);
    },
    encodeResponse(writer, response) {
      writer.writeInt16(response.errorCode).writeNullableString(response.errorMessage).writeBytes(response.authBytes);
      if (hasSessionLifetime) writer.writeInt64(response.sessionLifetimeMs);
    },
    decodeResponse(reader) {
      const errorCode = reader.readInt16();
      const errorMessage = reader.readNullableString();
      const authBytes = reader.readBytes();
      return { errorCode, errorMessage, authBytes, sessionLifetimeMs: hasSessionLifetime ? reader.readInt64() : 0n };
    },
  };
}
