/** Metadata v2: the response gains cluster_id (nullable) between the brokers and controller_id. */
import { ApiKey } from '../api-keys.js';
import type { VersionCodec } from '../codec.js';
import { readBrokerV1, readPartitionV0, readTopicV1, writeBrokerV1, writePartitionV0, writeTopicV1 } from './fields.js';
import type { MetadataRequest, MetadataResponse } from './types.js';
import { metadataV1 } from './v1.js';

const writeTopic = writeTopicV1(writePartitionV0);
const readTopic = readTopicV1(readPartitionV0);

export const metadataV2: VersionCodec<MetadataRequest, MetadataResponse> = {
  apiKey: ApiKey.Metadata,
  apiVersion: 2,
  decodeRequest: metadataV1.decodeRequest,
  encodeRequest: metadataV1.encodeRequest,
  encodeResponse(writer, response) {
    writer
      .writeArray(response.brokers, writeBrokerV1)
      .writeNullableString(response.clusterId)
      .writeInt32(response.controllerId)
      .writeArray(response.topics, writeTopic);
  },
  decodeResponse(reader) {
    const brokers = reader.readArray(readBrokerV1);
    const clusterId = reader.readNullableString();
    const controllerId = reader.readInt32();
    const topics = reader.readArray(readTopic);
    return { throttleTimeMs: 0, brokers, clusterId, controllerId, topics };
  },
};
