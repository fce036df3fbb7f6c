/**
 * DescribeConfigs v1: request gains include_synonyms; response configs replace is_default with
 * config_source and gain [synonyms: name value source].
 */
import { ApiKey } from '../api-keys.js';
import type { VersionCodec } from '../codec.js';
import { readResourceV0, readResponseV1, writeResourceV0, writeResponseV1 } from './fields.js';
import type { DescribeConfigsRequest, DescribeConfigsResponse } from './types.js';

export const describeConfigsV1: VersionCodec<DescribeConfigsRequest, DescribeConfigsResponse> = {
  apiKey: ApiKey.DescribeConfigs,
  apiVersion: 1,
  decodeRequest(reader) {
    const resources = reader.readArray(readResourceV0);
    return { resources, includeSynonyms: reader.readBoolean() };
  },
  encodeRequest(writer, request) {
    writer.writeArray(request.resources, writeResourceV0).writeBoolean(request.includeSynonyms);
  },
  encodeResponse: writeResponseV1,
  decodeResponse: readResponseV1,
};
