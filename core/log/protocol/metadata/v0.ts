/**
 * Metadata v0. Request: [topic_name] — an empty array means ALL topics.
 * Response: [brokers: node_id host port] [topics: error_code name [partitions]].
 */
import { ApiKey } from '../api-keys.js';
import type { VersionCodec } from '../codec.js';
import { readBrokerV0, readPartitionV0, readTopicName, readTopicV0, writeBrokerV0, writePartitionV0, writeTopicName, writeTopicV0 } from './fields.js';
import type { MetadataRequest, MetadataResponse } from './types.js';

const writeTopic = writeTopicV0(writePartitionV0);
const readTopic = readTopicV0(readPartitionV0);

export const metadataV0: VersionCodec<MetadataRequest, MetadataResponse> = {
  apiKey: ApiKey.Metadata,
  apiVersion: 0,
  decodeRequest(reader) {
    const topics = reader.readArray(readTopicName);
    return { topics: topics.length === 0 ? null : topics, allowAutoTopicCreation: true };
  },
  encodeRequest(writer, request) {
    writer.writeArray(request.topics ?? [], writeTopicName);
  },
  encodeResponse(writer, response) {
    writer.writeArray(response.brokers, writeBrokerV0).writeArray(response.topics, writeTopic);
  },
  decodeResponse(reader) {
    const brokers = reader.readArray(readBrokerV0);
    const topics = reader.readArray(readTopic);
    return { throttleTimeMs: 0, brokers, clusterId: null, controllerId: -1, topics };
  },
};
