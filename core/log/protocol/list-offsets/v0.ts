/**
 * ListOffsets v0. Request: replica_id [topics: name [partitions: index timestamp max_num_offsets]].
 * Response: [topics: name [partitions: index error_code [old_style_offsets]]].
 */
import { ApiKey } from '../api-keys.js';
import type { VersionCodec } from '../codec.js';
import { readPartitionResponseV0, readPartitionV0, readTopicOf, writePartitionResponseV0, writePartitionV0, writeTopicOf } from './fields.js';
import type { ListOffsetsRequest, ListOffsetsResponse } from './types.js';

const writeTopic = writeTopicOf(writePartitionV0);
const readTopic = readTopicOf(readPartitionV0);
const writeResponseTopic = writeTopicOf(writePartitionResponseV0);
const readResponseTopic = readTopicOf(readPartitionResponseV0);

export const listOffsetsV0: VersionCodec<ListOffsetsRequest, ListOffsetsResponse> = {
  apiKey: ApiKey.ListOffsets,
  apiVersion: 0,
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
