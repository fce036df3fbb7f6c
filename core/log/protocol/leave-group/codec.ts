/**
 * LeaveGroup v0–v3 (v4 is the first flexible version). v1 adds throttle_time_ms to the response;
 * v2 is wire-identical to v1; v3 (KIP-345) replaces the single member_id with a batch of members
 * and answers per member.
 */
import { ApiKey } from '../api-keys.js';
import type { VersionCodec } from '../codec.js';
import type { KafkaReader } from '../primitives/reader.js';
import type { KafkaWriter } from '../primitives/writer.js';
import type { LeaveGroupRequest, LeaveGroupResponse, LeavingMember, LeavingMemberResponse } from './types.js';

const writeMember = (writer: KafkaWriter, member: LeavingMember) => void writer.writeString(member.memberId).writeNullableString(member.groupInstanceId);
const readMember = (reader: KafkaReader): LeavingMember => ({ memberId: reader.readString(), groupInstanceId: reader.readNullableString() });
const writeMemberResponse = (writer: KafkaWriter, member: LeavingMemberResponse) => void writer.writeString(member.memberId).writeNullableString(member.groupInstanceId).writeInt16(member.errorCode);
const readMemberResponse = (reader: KafkaReader): LeavingMemberResponse => ({ ...readMember(reader), errorCode: reader.readInt16() });

export function leaveGroupCodec(apiVersion: number): VersionCodec<LeaveGroupRequest, LeaveGroupResponse> {
  const hasThrottle = apiVersion >= 1;
  const batched = apiVersion >= 3;
  return {
    apiKey: ApiKey.LeaveGroup,
    apiVersion,
    decodeRequest(reader) {
      const groupId = reader.readString();
      if (batched) return { groupId, members: reader.readArray(readMember) };
      return { groupId, members: [{ memberId: reader.readString(), groupInstanceId: null }] };
    },
    encodeRequest(writer, request) {
      writer.writeString(request.groupId);
      if (batched) {
        writer.writeArray(request.members, writeMember);
        return;
      }
      // Before v3 a request names one member: the first (a client leaves for itself only).
      writer.writeString(request.members[0]?.memberId ?? '');
    },
    encodeResponse(writer, response) {
      if (hasThrottle) writer.writeInt32(response.throttleTimeMs);
      writer.writeInt16(response.errorCode);
      if (batched) writer.writeArray(response.members, writeMemberResponse);
    },
    decodeResponse(reader) {
      const throttleTimeMs = hasThrottle ? reader.readInt32() : 0;
      const errorCode = reader.readInt16();
      return { throttleTimeMs, errorCode, members: batched ? reader.readArray(readMemberResponse) : [] };
    },
  };
}
