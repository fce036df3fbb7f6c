/**
 * ListGroups v0–v2 (v3 is the first flexible version; v4 adds a state filter). The request is
 * empty; v1 adds throttle_time_ms to the response; v2 is wire-identical to v1.
 */
import { ApiKey } from '../api-keys.js';
import type { VersionCodec } from '../codec.js';
import type { ListGroupsRequest, ListGroupsResponse } from './types.js';

export function listGroupsCodec(apiVersion: number): VersionCodec<ListGroupsRequest, ListGroupsResponse> {
  const hasThrottle = apiVersion >= 1;
  return {
    apiKey: ApiKey.ListGroups,
    apiVersion,
    decodeRequest: () => ({}),
    encodeRequest: () => undefined,
    encodeResponse(writer, response) {
      if (hasThrottle) writer.writeInt32(response.throttleTimeMs);
      writer.writeInt16(response.errorCode).writeArray(response.groups, (inner, group) => void inner.writeString(group.groupId).writeString(group.protocolType));
    },
    decodeResponse(reader) {
      const throttleTimeMs = hasThrottle ? reader.readInt32() : 0;
      const errorCode = reader.readInt16();
      return { throttleTimeMs, errorCode, groups: reader.readArray((inner) => ({ groupId: inner.readString(), protocolType: inner.readString() })) };
    },
  };
}
