/** DeleteGroups v0. Request: [groups_names]. Response: throttle_time_ms [results: group_id error_code]. */
import { ApiKey } from '../api-keys.js';
import type { VersionCodec } from '../codec.js';
import type { DeleteGroupsRequest, DeleteGroupsResponse } from './types.js';

export const deleteGroupsV0: VersionCodec<DeleteGroupsRequest, DeleteGroupsResponse> = {
  apiKey: ApiKey.DeleteGroups,
  apiVersion: 0,
  decodeRequest: (reader) => ({ groupsNames: reader.readArray((inner) => inner.readString()) }),
  encodeRequest(writer, request) {
    writer.writeArray(request.groupsNames, (inner, name) => void inner.writeString(name));
  },
  encodeResponse(writer, response) {
    writer.writeInt32(response.throttleTimeMs).writeArray(response.results, (inner, result) => void inner.writeString(result.groupId).writeInt16(result.errorCode));
  },
  decodeResponse(reader) {
    const throttleTimeMs = reader.readInt32();
    return { throttleTimeMs, results: reader.readArray((inner) => ({ groupId: inner.readString(), errorCode: inner.readInt16() })) };
  },
};
