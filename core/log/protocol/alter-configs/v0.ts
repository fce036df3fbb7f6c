/**
 * AlterConfigs v0. Request: [resources: resource_type resource_name [configs: name value]]
 * validate_only. Response: throttle_time_ms [responses: error_code error_message resource_type
 * resource_name]. The configs given replace the resource's whole set of overrides.
 */
import { ApiKey } from '../api-keys.js';
import type { VersionCodec } from '../codec.js';
import { decodeResponseV0, encodeResponseV0, requestCodecOf } from './fields.js';
import { AlterConfigOperation, type AlterConfigsRequest, type AlterConfigsResponse } from './types.js';

const request = requestCodecOf(
  (writer, config) => void writer.writeString(config.name).writeNullableString(config.value),
  (reader) => ({ name: reader.readString(), value: reader.readNullableString(), operation: AlterConfigOperation.SET }),
);

export const alterConfigsV0: VersionCodec<AlterConfigsRequest, AlterConfigsResponse> = {
  apiKey: ApiKey.AlterConfigs,
  apiVersion: 0,
  ...request,
  encodeResponse: encodeResponseV0,
  decodeResponse: decodeResponseV0,
};
