/**
 * CreateTopics v0. Request: [topics: name num_partitions replication_factor [assignments]
 * [configs]] timeout_ms. Response: [topics: name error_code].
 */
import { ApiKey } from '../api-keys.js';
import type { VersionCodec } from '../codec.js';
import { readTopicResultV0, readTopicV0, writeTopicResultV0, writeTopicV0 } from './fields.js';
import type { CreateTopicsRequest, CreateTopicsResponse } from './types.js';

export const createTopicsV0: VersionCodec<CreateTopicsRequest, CreateTopicsResponse> = {
  apiKey: ApiKey.CreateTopics,
  apiVersion: 0,
  decodeRequest(reader) {
    const topics = reader.readArray(readTopicV0);
    return { topics, timeoutMs: reader.readInt32(), validateOnly: false };
  },
  encodeRequest(writer, request) {
    writer.writeArray(request.topics, writeTopicV0).writeInt32(request.timeoutMs);
  },
  encodeResponse(writer, response) {
    writer.writeArray(response.topics, writeTopicResultV0);
  },
  decodeResponse: (reader) => ({ throttleTimeMs: 0, topics: reader.readArray(readTopicResultV0) }),
};
