/**
 * Metadata v1. Request: nullable [topic_name] — null means all topics, empty means none.
 * Response: [brokers: +rack] controller_id [topics: error_code name is_internal [partitions]].
 */
import { ApiKey } from '../api-keys.js';
import type { VersionCodec } from '../codec.js';
import { readBrokerV1, readPartitionV0, readTopicName, readTopicV1, writeBrokerV1, writePartitionV0, writeTopicName, writeTopicV1 } from './fields.js';
import type { MetadataRequest, MetadataResponse } from './types.js';

const writeTopic = writeTopicV1(writePartitionV0);
const readTopic = readTopicV1(readPartitionV0);

export const metadataV1: VersionCodec<MetadataRequest, MetadataResponse> = {
  apiKey: ApiKey.Metadata,
  apiVersion: 1,
  decodeRequest: (reader) => ({ topics: reader.readNullableArray(readTopicName), allowAutoTopicCreation: true }),
  encodeRequest(writer, request) {
    writer.writeNullableArray(request.topics, writeTopicName);
  },
  encodeResponse(writer, response) {
    writer
      .writeArray(response.brokers, writeBrokerV1)
      .writeInt32(response.controllerId)
      .writeArray(response.topics, writeTopic);
  },
  decodeResponse(reader) {
    const brokers = reader.readArray(readBrokerV1);
    const controllerId = reader.readInt32();
    const topics = reader.readArray(readTopic);
    return { throttleTimeMs: 0, brokers, clusterId: null, controllerId, topics };
  },
};
