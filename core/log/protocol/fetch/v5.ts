/** Fetch v5: request partitions gain log_start_offset; response partitions gain log_start_offset. */
import { ApiKey } from '../api-keys.js';
import type { VersionCodec } from '../codec.js';
import { readPartitionResponse, readPartitionV5, readTopic, readTopicResponse, writePartitionResponse, writePartitionV5, writeTopic, writeTopicResponse } from './fields.js';
import type { FetchRequest, FetchResponse } from './types.js';

const layout = { logStartOffset: true, preferredReadReplica: false };
const writeRequestTopic = writeTopic(writePartitionV5);
const readRequestTopic = readTopic(readPartitionV5);
const writeResponseTopic = writeTopicResponse(writePartitionResponse(layout));
const readResponseTopic = readTopicResponse(readPartitionResponse(layout));

export const fetchV5: VersionCodec<FetchRequest, FetchResponse> = {
  apiKey: ApiKey.Fetch,
  apiVersion: 5,
  decodeRequest(reader) {
    const replicaId = reader.readInt32();
    const maxWaitMs = reader.readInt32();
    const minBytes = reader.readInt32();
    const maxBytes = reader.readInt32();
    const isolationLevel = reader.readInt8();
    const topics = reader.readArray(readRequestTopic);
    return { replicaId, maxWaitMs, minBytes, maxBytes, isolationLevel, sessionId: 0, sessionEpoch: -1, topics, forgottenTopics: [], rackId: '' };
  },
  encodeRequest(writer, request) {
    writer.writeInt32(request.replicaId).writeInt32(request.maxWaitMs).writeInt32(request.minBytes);
    writer.writeInt32(request.maxBytes).writeInt8(request.isolationLevel).writeArray(request.topics, writeRequestTopic);
  },
  encodeResponse(writer, response) {
    writer.writeInt32(response.throttleTimeMs).writeArray(response.topics, writeResponseTopic);
  },
  decodeResponse(reader) {
    const throttleTimeMs = reader.readInt32();
    return { throttleTimeMs, errorCode: 0, sessionId: 0, topics: reader.readArray(readResponseTopic) };
  },
};
