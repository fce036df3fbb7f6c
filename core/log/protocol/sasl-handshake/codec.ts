/**
 * SaslHandshake v0–v1 share one wire shape. The version only says what comes next: after v0 the
 * client sends raw SASL tokens outside the Kafka framing, after v1 it wraps them in
 * SaslAuthenticate. This broker speaks only the v1 flow (see the registry and v0.ts).
 */
import { ApiKey } from '../api-keys.js';
import type { VersionCodec } from '../codec.js';
import type { SaslHandshakeRequest, SaslHandshakeResponse } from './types.js';

export function saslHandshakeCodec(apiVersion: number): VersionCodec<SaslHandshakeRequest, SaslHandshakeResponse> {
  return {
    apiKey: ApiKey.SaslHandshake,
    apiVersion,
    decodeRequest(reader) {
      return { mechanism: reader.readString() };
    },
    encodeRequest(writer, request) {
      writer.writeString(request.mechanism);
    },
    encodeResponse(writer, response) {
      writer.writeInt16(response.errorCode).writeArray(response.mechanisms, (w, mechanism) => w.writeString(mechanism));
    },
    decodeResponse(reader) {
      const errorCode = reader.readInt16();
      return { errorCode, mechanisms: reader.readArray((r) => r.readString()) };
    },
  };
}
