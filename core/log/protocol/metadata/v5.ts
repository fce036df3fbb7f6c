/** Metadata v5: each partition in the response gains [offline_replicas]; request as v4. */
import { ApiKey } from '../api-keys.js';
import type { VersionCodec } from '../codec.js';
import { readBrokerV1, readPartitionV5, readTopicV1, writeBrokerV1, writePartitionV5, writeTopicV1 } from './fields.js';
import type { MetadataRequest, MetadataResponse } from './types.js';
import { metadataV4 } from './v4.js';

const writeTopic = writeTopicV1(writePartitionV5);
const readTopic = readTopicV1(readPartitionV5);

export const metadataV5: VersionCodec<MetadataRequest, MetadataResponse> = {
  apiKey: ApiKey.Metadata,
  apiVersion: 5,
  decodeRequest: metadataV4.decodeRequest,
  encodeRequest: metadataV4.encodeRequest,
  encodeResponse(writer, response) {
    writer
      .writeInt32(response.throttleTimeMs)
      .writeArray(response.brokers, writeBrokerV1)
      .writeNullableString(response.clusterId)
      .writeInt32(response.controllerId)
      .writeArray(response.topics, writeTopic);
  },
  decodeResponse(reader) {
    const throttleTimeMs = reader.readInt32();
    const brokers = reader.readArray(readBrokerV1);
    const clusterId = reader.readNullableString();
    const controllerId = reader.readInt32();
    const topics = reader.readArray(readTopic);
    return { throttleTimeMs, brokers, clusterId, controllerId, topics };
  },
};
