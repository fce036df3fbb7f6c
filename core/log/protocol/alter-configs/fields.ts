/** Layouts shared by AlterConfigs v0–v1 and IncrementalAlterConfigs v0 (all non-flexible). */
import type { KafkaReader } from '../primitives/reader.js';
import type { KafkaWriter } from '../primitives/writer.js';
import type { AlterableConfig, AlterConfigsRequest, AlterConfigsResource, AlterConfigsResourceResult, AlterConfigsResponse } from './types.js';

type Write<T> = (writer: KafkaWriter, value: T) => void;
type Read<T> = (reader: KafkaReader) => T;

/** A request is [resources: resource_type resource_name [configs]] validate_only; only the config layout differs. */
export function requestCodecOf(writeConfig: Write<AlterableConfig>, readConfig: Read<AlterableConfig>) {
  const writeResource: Write<AlterConfigsResource> = (writer, resource) => {
    writer.writeInt8(resource.resourceType).writeString(resource.resourceName).writeArray(resource.configs, writeConfig);
  };
  const readResource: Read<AlterConfigsResource> = (reader) => ({ resourceType: reader.readInt8(), resourceName: reader.readString(), configs: reader.readArray(readConfig) });
  return {
    encodeRequest(writer: KafkaWriter, request: AlterConfigsRequest): void {
      writer.writeArray(request.resources, writeResource).writeBoolean(request.validateOnly);
    },
    decodeRequest(reader: KafkaReader): AlterConfigsRequest {
      const resources = reader.readArray(readResource);
      return { resources, validateOnly: reader.readBoolean() };
    },
  };
}

const writeResult: Write<AlterConfigsResourceResult> = (writer, result) => {
  writer.writeInt16(result.errorCode).writeNullableString(result.errorMessage).writeInt8(result.resourceType).writeString(result.resourceName);
};
const readResult: Read<AlterConfigsResourceResult> = (reader) => ({
  errorCode: reader.readInt16(),
  errorMessage: reader.readNullableString(),
  resourceType: reader.readInt8(),
  resourceName: reader.readString(),
});

/** Response: throttle_time_ms [responses: error_code error_message resource_type resource_name]. */
export function encodeResponseV0(writer: KafkaWriter, response: AlterConfigsResponse): void {
  writer.writeInt32(response.throttleTimeMs).writeArray(response.responses, writeResult);
}
export function decodeResponseV0(reader: KafkaReader): AlterConfigsResponse {
  const throttleTimeMs = reader.readInt32();
  return { throttleTimeMs, responses: reader.readArray(readResult) };
}
