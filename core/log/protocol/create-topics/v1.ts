/** CreateTopics v1: request gains validate_only after timeout_ms; response topics gain error_message. */
import { ApiKey } from '../api-keys.js';
import type { VersionCodec } from '../codec.js';
import { readTopicResultV1, readTopicV0, writeTopicResultV1, writeTopicV0 } from './fields.js';
import type { CreateTopicsRequest, CreateTopicsResponse } from './types.js';

export const createTopicsV1: VersionCodec<CreateTopicsRequest, CreateTopicsResponse> = {
  apiKey: ApiKey.CreateTopics,
  apiVersion: 1,
  decodeRequest(reader) {
    const topics = reader.readArray(readTopicV0);
    const timeoutMs = reader.readInt32();
    return { topics, timeoutMs, validateOnly: reader.readBoolean() };
  },
  encodeRequest(writer, request) {
    writer.writeArray(request.topics, writeTopicV0).writeInt32(request.timeoutMs).writeBoolean(request.validateOnly);
  },
  encodeResponse(writer, response) {
    writer.writeArray(response.topics, writeTopicResultV1);
  },
  decodeResponse: (reader) => ({ throttleTimeMs: 0, topics: reader.readArray(readTopicResultV1) }),
};
