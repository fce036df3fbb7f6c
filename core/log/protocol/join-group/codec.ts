/**
 * JoinGroup v0–v5 (v6 is the first flexible version). v1 adds rebalance_timeout_ms; v2 adds
 * throttle_time_ms to the response; v3 and v4 are wire-identical to v2 (v4 clients understand
 * MEMBER_ID_REQUIRED); v5 adds group_instance_id to the request and to each member.
 */
import { ApiKey } from '../api-keys.js';
import type { VersionCodec } from '../codec.js';
import type { KafkaReader } from '../primitives/reader.js';
import type { KafkaWriter } from '../primitives/writer.js';
import type { JoinGroupMember, JoinGroupProtocol, JoinGroupRequest, JoinGroupResponse } from './types.js';

const writeProtocol = (writer: KafkaWriter, protocol: JoinGroupProtocol) => void writer.writeString(protocol.name).writeBytes(protocol.metadata);
const readProtocol = (reader: KafkaReader): JoinGroupProtocol => ({ name: reader.readString(), metadata: reader.readBytes() });

export function joinGroupCodec(apiVersion: number): VersionCodec<JoinGroupRequest, JoinGroupResponse> {
  const hasRebalanceTimeout = apiVersion >= 1;
  const hasThrottle = apiVersion >= 2;
  const hasInstanceId = apiVersion >= 5;
  const writeMember = (writer: KafkaWriter, member: JoinGroupMember) => {
    writer.writeString(member.memberId);
    if (hasInstanceId) writer.writeNullableString(member.groupInstanceId);
    writer.writeBytes(member.metadata);
  };
  const readMember = (reader: KafkaReader): JoinGroupMember => {
    const memberId = reader.readString();
    const groupInstanceId = hasInstanceId ? reader.readNullableString() : null;
    return { memberId, groupInstanceId, metadata: reader.readBytes() };
  };
  return {
    apiKey: ApiKey.JoinGroup,
    apiVersion,
    decodeRequest(reader) {
      const groupId = reader.readString();
      const sessionTimeoutMs = reader.readInt32();
      const rebalanceTimeoutMs = hasRebalanceTimeout ? reader.readInt32() : sessionTimeoutMs;
      const memberId = reader.readString();
      const groupInstanceId = hasInstanceId ? reader.readNullableString() : null;
      const protocolType = reader.readString();
      return { groupId, sessionTimeoutMs, rebalanceTimeoutMs, memberId, groupInstanceId, protocolType, protocols: reader.readArray(readProtocol) };
    },
    encodeRequest(writer, request) {
      writer.writeString(request.groupId).writeInt32(request.sessionTimeoutMs);
      if (hasRebalanceTimeout) writer.writeInt32(request.rebalanceTimeoutMs);
      writer.writeString(request.memberId);
      if (hasInstanceId) writer.writeNullableString(request.groupInstanceId);
      writer.writeString(request.protocolType).writeArray(request.protocols, writeProtocol);
    },
    encodeResponse(writer, response) {
      if (hasThrottle) writer.writeInt32(response.throttleTimeMs);
      writer
        .writeInt16(response.errorCode)
        .writeInt32(response.generationId)
        .writeString(response.protocolName)
        .writeString(response.leader)
        .writeString(response.memberId)
        .writeArray(response.members, writeMember);
    },
    decodeResponse(reader) {
      const throttleTimeMs = hasThrottle ? reader.readInt32() : 0;
      return {
        throttleTimeMs,
        errorCode: reader.readInt16(),
        generationId: reader.readInt32(),
        protocolName: reader.readString(),
        leader: reader.readString(),
        memberId: reader.readString(),
        members: reader.readArray(readMember),
      };
    },
  };
}
