/**
 * Fetch v4: the first version that adds isolation_level and returns record batch v2.
 * Request: replica_id max_wait_ms min_bytes max_bytes isolation_level
 *          [topics: name [partitions: index fetch_offset partition_max_bytes]].
 * Response: throttle_time_ms [topics: name [partitions: index error_code high_watermark
 *           last_stable_offset [aborted_transactions] records]].
 */
import { ApiKey } from '../api-keys.js';
import type { VersionCodec } from '../codec.js';
import { readPartitionResponse, readPartitionV4, readTopic, readTopicResponse, writePartitionResponse, writePartitionV4, writeTopic, writeTopicResponse } from './fields.js';
import type { FetchRequest, FetchResponse } from './types.js';

const layout = { logStartOffset: false, preferredReadReplica: false };
const writeRequestTopic = writeTopic(writePartitionV4);
const readRequestTopic = readTopic(readPartitionV4);
const writeResponseTopic = writeTopicResponse(writePartitionResponse(layout));
const readResponseTopic = readTopicResponse(readPartitionResponse(layout));

export const fetchV4: VersionCodec<FetchRequest, FetchResponse> = {
  apiKey: ApiKey.Fetch,
  apiVersion: 4,
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
