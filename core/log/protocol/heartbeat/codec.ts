/**
 * Heartbeat v0–v3 (v4 is the first flexible version). v1 adds throttle_time_ms to the response;
 * v2 is wire-identical to v1; v3 adds group_instance_id to the request.
 */
import { ApiKey } from '../api-keys.js';
import type { VersionCodec } from '../codec.js';
import type { HeartbeatRequest, HeartbeatResponse } from './types.js';

export function heartbeatCodec(apiVersion: number): VersionCodec<HeartbeatRequest, HeartbeatResponse> {
  const hasThrottle = apiVersion >= 1;
  const hasInstanceId = apiVersion >= 3;
  return {
    apiKey: ApiKey.Heartbeat,
    apiVersion,
    decodeRequest(reader) {
      const groupId = reader.readString();
      const generationId = reader.readInt32();
      const memberId = reader.readString();
      return { groupId, generationId, memberId, groupInstanceId: hasInstanceId ? reader.readNullableString() : null };
    },
    encodeRequest(writer, request) {
      writer.writeString(request.groupId).writeInt32(request.generationId).writeString(request.memberId);
      if (hasInstanceId) writer.writeNullableString(request.groupInstanceId);
    },
    encodeResponse(writer, response) {
      if (hasThrottle) writer.writeInt32(response.throttleTimeMs);
      writer.writeInt16(response.errorCode);
    },
    decodeResponse(reader) {
      const throttleTimeMs = hasThrottle ? reader.readInt32() : 0;
      return { throttleTimeMs, errorCode: reader.readInt16() };
    },
  };
}
