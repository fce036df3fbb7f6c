/**
 * ListOffsets v1: one offset per partition. Request partitions drop max_num_offsets; response
 * partitions carry timestamp offset instead of [old_style_offsets].
 */
import { ApiKey } from '../api-keys.js';
import type { VersionCodec } from '../codec.js';
import { readPartitionResponseV1, readPartitionV1, readTopicOf, writePartitionResponseV1, writePartitionV1, writeTopicOf } from './fields.js';
import type { ListOffsetsRequest, ListOffsetsResponse } from './types.js';

const writeTopic = writeTopicOf(writePartitionV1);
const readTopic = readTopicOf(readPartitionV1);
const writeResponseTopic = writeTopicOf(writePartitionResponseV1);
const readResponseTopic = readTopicOf(readPartitionResponseV1);

export const listOffsetsV1: VersionCodec<ListOffsetsRequest, ListOffsetsResponse> = {
  apiKey: ApiKey.ListOffsets,
  apiVersion: 1,
  decodeRequest(reader) {
    const replicaId = reader.readInt32();
    return { replicaId, isolationLevel: 0, topics: reader.readArray(readTopic) };
  },
  encodeRequest(writer, request) {
    writer.writeInt32(request.replicaId).writeArray(request.topics, writeTopic);
  },
  encodeResponse(writer, response) {
    writer.writeArray(response.topics, writeResponseTopic);
  },
  decodeResponse: (reader) => ({ throttleTimeMs: 0, topics: reader.readArray(readResponseTopic) }),
};
