/**
 * IncrementalAlterConfigs v0 (v1 is the first flexible version). Request: [resources:
 * resource_type resource_name [configs: name config_operation value]] validate_only. Response as
 * AlterConfigs v0. Bodies are AlterConfigs' types (alter-configs/types.ts).
 */
import { ApiKey } from '../api-keys.js';
import type { VersionCodec } from '../codec.js';
import { decodeResponseV0, encodeResponseV0, requestCodecOf } from '../alter-configs/fields.js';
import type { AlterConfigsRequest, AlterConfigsResponse } from '../alter-configs/types.js';

const request = requestCodecOf(
  (writer, config) => void writer.writeString(config.name).writeInt8(config.operation).writeNullableString(config.value),
  (reader) => {
    const name = reader.readString();
    const operation = reader.readInt8();
    return { name, operation, value: reader.readNullableString() };
  },
);

export const incrementalAlterConfigsV0: VersionCodec<AlterConfigsRequest, AlterConfigsResponse> = {
  apiKey: ApiKey.IncrementalAlterConfigs,
  apiVersion: 0,
  ...request,
  encodeResponse: encodeResponseV0,
  decodeResponse: decodeResponseV0,
};
