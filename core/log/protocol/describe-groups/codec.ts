/**
 * DescribeGroups v0–v4 (v5 is the first flexible version). v1 adds throttle_time_ms; v2 is
 * wire-identical to v1; v3 adds include_authorized_operations and per-group
 * authorized_operations; v4 adds each member's group_instance_id.
 */
import { ApiKey } from '../api-keys.js';
import type { VersionCodec } from '../codec.js';
import type { KafkaReader } from '../primitives/reader.js';
import type { KafkaWriter } from '../primitives/writer.js';
import { AUTHORIZED_OPERATIONS_NOT_REQUESTED, type DescribedGroup, type DescribedGroupMember, type DescribeGroupsRequest, type DescribeGroupsResponse } from './types.js';

export function describeGroupsCodec(apiVersion: number): VersionCodec<DescribeGroupsRequest, DescribeGroupsResponse> {
  const hasThrottle = apiVersion >= 1;
  const hasOperations = apiVersion >= 3;
  const hasInstanceId = apiVersion >= 4;
  const writeMember = (writer: KafkaWriter, member: DescribedGroupMember) => {
    writer.writeString(member.memberId);
    if (hasInstanceId) writer.writeNullableString(member.groupInstanceId);
    writer.writeString(member.clientId).writeString(member.clientHost).writeBytes(member.memberMetadata).writeBytes(member.memberAssignment);
  };
  const readMember = (reader: KafkaReader): DescribedGroupMember => {
    const memberId = reader.readString();
    const groupInstanceId = hasInstanceId ? reader.readNullableString() : null;
    return { memberId, groupInstanceId, clientId: reader.readString(), clientHost: reader.readString(), memberMetadata: reader.readBytes(), memberAssignment: reader.readBytes() };
  };
  const writeGroup = (writer: KafkaWriter, group: DescribedGroup) => {
    writer
      .writeInt16(group.errorCode)
      .writeString(group.groupId)
      .writeString(group.groupState)
      .writeString(group.protocolType)
      .writeString(group.protocolData)
      .writeArray(group.members, writeMember);
    if (hasOperations) writer.writeInt32(group.authorizedOperations);
  };
  const readGroup = (reader: KafkaReader): DescribedGroup => {
    const errorCode = reader.readInt16();
    const groupId = reader.readString();
    const groupState = reader.readString();
    const protocolType = reader.readString();
    const protocolData = reader.readString();
    const members = reader.readArray(readMember);
    return { errorCode, groupId, groupState, protocolType, protocolData, members, authorizedOperations: hasOperations ? reader.readInt32() : AUTHORIZED_OPERATIONS_NOT_REQUESTED };
  };
  return {
    apiKey: ApiKey.DescribeGroups,
    apiVersion,
    decodeRequest(reader) {
      const groups = reader.readArray((inner) => inner.readString());
      return { groups, includeAuthorizedOperations: hasOperations ? reader.readBoolean() : false };
    },
    encodeRequest(writer, request) {
      writer.writeArray(request.groups, (inner, group) => void inner.writeString(group));
      if (hasOperations) writer.writeBoolean(request.includeAuthorizedOperations);
    },
    encodeResponse(writer, response) {
      if (hasThrottle) writer.writeInt32(response.throttleTimeMs);
      writer.writeArray(response.groups, writeGroup);
    },
    decodeResponse(reader) {
      const throttleTimeMs = hasThrottle ? reader.readInt32() : 0;
      return { throttleTimeMs, groups: reader.readArray(readGroup) };
    },
  };
}
