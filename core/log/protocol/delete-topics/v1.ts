/** DeleteTopics v1: request as v0; response starts with throttle_time_ms. */
import { ApiKey } from '../api-keys.js';
import type { VersionCodec } from '../codec.js';
import { readRequestV0, readResultV0, writeRequestV0, writeResultV0 } from './fields.js';
import type { DeleteTopicsRequest, DeleteTopicsResponse } from './types.js';

export const deleteTopicsV1: VersionCodec<DeleteTopicsRequest, DeleteTopicsResponse> = {
  apiKey: ApiKey.DeleteTopics,
  apiVersion: 1,
  decodeRequest: readRequestV0,
  encodeRequest: writeRequestV0,
  encodeResponse(writer, response) {
    writer.writeInt32(response.throttleTimeMs).writeArray(response.responses, writeResultV0);
  },
  decodeResponse(reader) {
    const throttleTimeMs = reader.readInt32();
    return { throttleTimeMs, responses: reader.readArray(readResultV0) };
  },
};
