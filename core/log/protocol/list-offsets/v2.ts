/** ListOffsets v2: request gains isolation_level after replica_id; response starts with throttle_time_ms. */
import { ApiKey } from '../api-keys.js';
import type { VersionCodec } from '../codec.js';
import { readPartitionResponseV1, readPartitionV1, readTopicOf, writePartitionResponseV1, writePartitionV1, writeTopicOf } from './fields.js';
import type { ListOffsetsRequest, ListOffsetsResponse } from './types.js';

const writeTopic = writeTopicOf(writePartitionV1);
const readTopic = readTopicOf(readPartitionV1);
const writeResponseTopic = writeTopicOf(writePartitionResponseV1);
const readResponseTopic = readTopicOf(readPartitionResponseV1);

export const listOffsetsV2: VersionCodec<ListOffsetsRequest, ListOffsetsResponse> = {
  apiKey: ApiKey.ListOffsets,
  apiVersion: 2,
  decodeRequest(reader) {
    const replicaId = reader.readInt32();
    const isolationLevel = reader.readInt8();
    return { replicaId, isolationLevel, topics: reader.readArray(readTopic) };
  },
  encodeRequest(writer, request) {
    writer.writeInt32(request.replicaId).writeInt8(request.isolationLevel).writeArray(request.topics, writeTopic);
  },
  encodeResponse(writer, response) {
    writer.writeInt32(response.throttleTimeMs).writeArray(response.topics, writeResponseTopic);
  },
  decodeResponse(reader) {
    const throttleTimeMs = reader.readInt32();
    return { throttleTimeMs, topics: reader.readArray(readResponseTopic) };
  },
};
