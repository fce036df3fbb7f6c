/**
 * SyncGroup v0–v3 (v4 is the first flexible version). v1 adds throttle_time_ms to the response;
 * v2 is wire-identical to v1; v3 adds group_instance_id to the request.
 */
import { ApiKey } from '../api-keys.js';
import type { VersionCodec } from '../codec.js';
import type { KafkaReader } from '../primitives/reader.js';
import type { KafkaWriter } from '../primitives/writer.js';
import type { SyncGroupAssignment, SyncGroupRequest, SyncGroupResponse } from './types.js';

const writeAssignment = (writer: KafkaWriter, entry: SyncGroupAssignment) => void writer.writeString(entry.memberId).writeBytes(entry.assignment);
const readAssignment = (reader: KafkaReader): SyncGroupAssignment => ({ memberId: reader.readString(), assignment: reader.readBytes() });

export function syncGroupCodec(apiVersion: number): VersionCodec<SyncGroupRequest, SyncGroupResponse> {
  const hasThrottle = apiVersion >= 1;
  const hasInstanceId = apiVersion >= 3;
  return {
    apiKey: ApiKey.SyncGroup,
    apiVersion,
    decodeRequest(reader) {
      const groupId = reader.readString();
      const generationId = reader.readInt32();
      const memberId = reader.readString();
      const groupInstanceId = hasInstanceId ? reader.readNullableString() : null;
      return { groupId, generationId, memberId, groupInstanceId, assignments: reader.readArray(readAssignment) };
    },
    encodeRequest(writer, request) {
      writer.writeString(request.groupId).writeInt32(request.generationId).writeString(request.memberId);
      if (hasInstanceId) writer.writeNullableString(request.groupInstanceId);
      writer.writeArray(request.assignments, writeAssignment);
    },
    encodeResponse(writer, response) {
      if (hasThrottle) writer.writeInt32(response.throttleTimeMs);
      writer.writeInt16(response.errorCode).writeBytes(response.assignment);
    },
    decodeResponse(reader) {
      const throttleTimeMs = hasThrottle ? reader.readInt32() : 0;
      return { throttleTimeMs, errorCode: reader.readInt16(), assignment: reader.readBytes() };
    },
  };
}
