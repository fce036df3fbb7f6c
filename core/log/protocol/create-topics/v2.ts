/** CreateTopics v2: request as v1; response starts with throttle_time_ms. */
import { ApiKey } from '../api-keys.js';
import type { VersionCodec } from '../codec.js';
import { readTopicResultV1, writeTopicResultV1 } from './fields.js';
import type { CreateTopicsRequest, CreateTopicsResponse } from './types.js';
import { createTopicsV1 } from './v1.js';

export const createTopicsV2: VersionCodec<CreateTopicsRequest, CreateTopicsResponse> = {
  apiKey: ApiKey.CreateTopics,
  apiVersion: 2,
  decodeRequest: createTopicsV1.decodeRequest,
  encodeRequest: createTopicsV1.encodeRequest,
  encodeResponse(writer, response) {
    writer.writeInt32(response.throttleTimeMs).writeArray(response.topics, writeTopicResultV1);
  },
  decodeResponse(reader) {
    const throttleTimeMs = reader.readInt32();
    return { throttleTimeMs, topics: reader.readArray(readTopicResultV1) };
  },
};
