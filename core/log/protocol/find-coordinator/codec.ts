/**
 * FindCoordinator v0–v2 (v3 is the first flexible version). v1 adds key_type to the request and
 * throttle_time_ms and error_message to the response; v2 is wire-identical to v1.
 */
import { ApiKey } from '../api-keys.js';
import type { VersionCodec } from '../codec.js';
import { CoordinatorKeyType, type FindCoordinatorRequest, type FindCoordinatorResponse } from './types.js';

export function findCoordinatorCodec(apiVersion: number): VersionCodec<FindCoordinatorRequest, FindCoordinatorResponse> {
  const v1 = apiVersion >= 1;
  return {
    apiKey: ApiKey.FindCoordinator,
    apiVersion,
    decodeRequest(reader) {
      const key = reader.readString();
      return { key, keyType: v1 ? reader.readInt8() : CoordinatorKeyType.GROUP };
    },
    encodeRequest(writer, request) {
      writer.writeString(request.key);
      if (v1) writer.writeInt8(request.keyType);
    },
    encodeResponse(writer, response) {
      if (v1) writer.writeInt32(response.throttleTimeMs);
      writer.writeInt16(response.errorCode);
      if (v1) writer.writeNullableString(response.errorMessage);
      writer.writeInt32(response.nodeId).writeString(response.host).writeInt32(response.port);
    },
    decodeResponse(reader) {
      const throttleTimeMs = v1 ? reader.readInt32() : 0;
      const errorCode = reader.readInt16();
      const errorMessage = v1 ? reader.readNullableString() : null;
      return { throttleTimeMs, errorCode, errorMessage, nodeId: reader.readInt32(), host: reader.readString(), port: reader.readInt32() };
    },
  };
}
