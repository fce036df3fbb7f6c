/** Metadata v4: the request gains allow_auto_topic_creation after the topics; response as v3. */
import { ApiKey } from '../api-keys.js';
import type { VersionCodec } from '../codec.js';
import { readTopicName, writeTopicName } from './fields.js';
import type { MetadataRequest, MetadataResponse } from './types.js';
import { metadataV3 } from './v3.js';

export const metadataV4: VersionCodec<MetadataRequest, MetadataResponse> = {
  apiKey: ApiKey.Metadata,
  apiVersion: 4,
  decodeRequest(reader) {
    const topics = reader.readNullableArray(readTopicName);
    return { topics, allowAutoTopicCreation: reader.readBoolean() };
  },
  encodeRequest(writer, request) {
    writer.writeNullableArray(request.topics, writeTopicName).writeBoolean(request.allowAutoTopicCreation);
  },
  encodeResponse: metadataV3.encodeResponse,
  decodeResponse: metadataV3.decodeResponse,
};
