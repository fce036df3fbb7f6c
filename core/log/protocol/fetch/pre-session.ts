/**
 * The Fetch body of v4–v6, before fetch sessions (v7): replica_id max_wait_ms min_bytes max_bytes
 * isolation_level [topics]; the response is throttle_time_ms [topics]. Versions differ only in
 * their partition records.
 */
import { ApiKey } from '../api-keys.js';
import type { VersionCodec } from '../codec.js';
import type { KafkaReader } from '../primitives/reader.js';
import type { KafkaWriter } from '../primitives/writer.js';
import { readPartitionResponse, readTopic, readTopicResponse, writePartitionResponse, writeTopic, writeTopicResponse } from './fields.js';
import type { FetchPartition, FetchRequest, FetchResponse } from './types.js';

export function preSessionFetchCodec(
  apiVersion: number,
  writePartition: (writer: KafkaWriter, partition: FetchPartition) => void,
  readPartition: (reader: KafkaReader) => FetchPartition,
  layout: { logStartOffset: boolean; preferredReadReplica: boolean },
): VersionCodec<FetchRequest, FetchResponse> {
  const writeRequestTopic = writeTopic(writePartition);
  const readRequestTopic = readTopic(readPartition);
  const writeResponseTopic = writeTopicResponse(writePartitionResponse(layout));
  const readResponseTopic = readTopicResponse(readPartitionResponse(layout));
  return {
    apiKey: ApiKey.Fetch,
    apiVersion,
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
}
