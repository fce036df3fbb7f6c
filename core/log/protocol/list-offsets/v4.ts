/** ListOffsets v4: request partitions gain current_leader_epoch; response partitions gain leader_epoch. */
import { ApiKey } from '../api-keys.js';
import type { VersionCodec } from '../codec.js';
import { readPartitionResponseV4, readPartitionV4, readTopicOf, writePartitionResponseV4, writePartitionV4, writeTopicOf } from './fields.js';
import type { ListOffsetsRequest, ListOffsetsResponse } from './types.js';

const writeTopic = writeTopicOf(writePartitionV4);
const readTopic = readTopicOf(readPartitionV4);
const writeResponseTopic = writeTopicOf(writePartitionResponseV4);
const readResponseTopic = readTopicOf(readPartitionResponseV4);

export const listOffsetsV4: VersionCodec<ListOffsetsRequest, ListOffsetsResponse> = {
  apiKey: ApiKey.ListOffsets,
  apiVersion: 4,
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
