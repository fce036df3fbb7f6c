/** DeleteTopics v0. Request: [topic_names] timeout_ms. Response: [responses: name error_code]. */
import { ApiKey } from '../api-keys.js';
import type { VersionCodec } from '../codec.js';
import { readRequestV0, readResultV0, writeRequestV0, writeResultV0 } from './fields.js';
import type { DeleteTopicsRequest, DeleteTopicsResponse } from './types.js';

export const deleteTopicsV0: VersionCodec<DeleteTopicsRequest, DeleteTopicsResponse> = {
  apiKey: ApiKey.DeleteTopics,
  apiVersion: 0,
  decodeRequest: readRequestV0,
  encodeRequest: writeRequestV0,
  encodeResponse(writer, response) {
    writer.writeArray(response.responses, writeResultV0);
  },
  decodeResponse: (reader) => ({ throttleTimeMs: 0, responses: reader.readArray(readResultV0) }),
};
