/**
 * DescribeConfigs v0. Request: [resources: type name [configuration_keys]]. Response:
 * throttle_time_ms [results: error_code error_message type name [configs: name value read_only
 * is_default is_sensitive]].
 */
import { ApiKey } from '../api-keys.js';
import type { VersionCodec } from '../codec.js';
import { readResourceV0, readResponseV0, writeResourceV0, writeResponseV0 } from './fields.js';
import type { DescribeConfigsRequest, DescribeConfigsResponse } from './types.js';

export const describeConfigsV0: VersionCodec<DescribeConfigsRequest, DescribeConfigsResponse> = {
  apiKey: ApiKey.DescribeConfigs,
  apiVersion: 0,
  decodeRequest: (reader) => ({ resources: reader.readArray(readResourceV0), includeSynonyms: false }),
  encodeRequest(writer, request) {
    writer.writeArray(request.resources, writeResourceV0);
  },
  encodeResponse: writeResponseV0,
  decodeResponse: readResponseV0,
};
