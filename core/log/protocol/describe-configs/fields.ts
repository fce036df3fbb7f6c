/** DescribeConfigs sub-structures, each named after the first version that uses its layout. */
import type { KafkaReader } from '../primitives/reader.js';
import type { KafkaWriter } from '../primitives/writer.js';
import {
  CONFIG_SOURCE_NOT_SENT,
  ConfigSource,
  type DescribeConfigsResource,
  type DescribeConfigsResourceResult,
  type DescribeConfigsResponse,
  type DescribeConfigsResult,
  type DescribeConfigsSynonym,
} from './types.js';

type Write<T> = (writer: KafkaWriter, value: T) => void;
type Read<T> = (reader: KafkaReader) => T;

/** v0 (unchanged up to v3): resource_type resource_name [configuration_keys] (nullable) */
export const writeResourceV0: Write<DescribeConfigsResource> = (writer, resource) => {
  writer.writeInt8(resource.resourceType).writeString(resource.resourceName);
  writer.writeNullableArray(resource.configurationKeys, (inner, key) => void inner.writeString(key));
};
export const readResourceV0: Read<DescribeConfigsResource> = (reader) => ({
  resourceType: reader.readInt8(),
  resourceName: reader.readString(),
  configurationKeys: reader.readNullableArray((inner) => inner.readString()),
});

/** v0: name value read_only is_default is_sensitive */
const writeConfigV0: Write<DescribeConfigsResourceResult> = (writer, config) => {
  writer.writeString(config.name).writeNullableString(config.value).writeBoolean(config.readOnly);
  writer.writeBoolean(config.isDefault).writeBoolean(config.isSensitive);
};
const readConfigV0: Read<DescribeConfigsResourceResult> = (reader) => ({
  name: reader.readString(),
  value: reader.readNullableString(),
  readOnly: reader.readBoolean(),
  isDefault: reader.readBoolean(),
  configSource: CONFIG_SOURCE_NOT_SENT,
  isSensitive: reader.readBoolean(),
  synonyms: [],
});

const writeSynonym: Write<DescribeConfigsSynonym> = (writer, synonym) => {
  writer.writeString(synonym.name).writeNullableString(synonym.value).writeInt8(synonym.source);
};
const readSynonym: Read<DescribeConfigsSynonym> = (reader) => ({
  name: reader.readString(),
  value: reader.readNullableString(),
  source: reader.readInt8(),
});

/** v1: name value read_only config_source is_sensitive [synonyms] */
const writeConfigV1: Write<DescribeConfigsResourceResult> = (writer, config) => {
  writer.writeString(config.name).writeNullableString(config.value).writeBoolean(config.readOnly);
  writer.writeInt8(config.configSource).writeBoolean(config.isSensitive).writeArray(config.synonyms, writeSynonym);
};
const readConfigV1: Read<DescribeConfigsResourceResult> = (reader) => {
  const name = reader.readString();
  const value = reader.readNullableString();
  const readOnly = reader.readBoolean();
  const configSource = reader.readInt8();
  const isSensitive = reader.readBoolean();
  const synonyms = reader.readArray(readSynonym);
  return { name, value, readOnly, isDefault: configSource === ConfigSource.DEFAULT_CONFIG, configSource, isSensitive, synonyms };
};

/** A result is error_code error_message resource_type resource_name [configs] in every version. */
function writeResultOf(writeConfig: Write<DescribeConfigsResourceResult>): Write<DescribeConfigsResult> {
  return (writer, result) => {
    writer.writeInt16(result.errorCode).writeNullableString(result.errorMessage);
    writer.writeInt8(result.resourceType).writeString(result.resourceName).writeArray(result.configs, writeConfig);
  };
}
function readResultOf(readConfig: Read<DescribeConfigsResourceResult>): Read<DescribeConfigsResult> {
  return (reader) => ({
    errorCode: reader.readInt16(),
    errorMessage: reader.readNullableString(),
    resourceType: reader.readInt8(),
    resourceName: reader.readString(),
    configs: reader.readArray(readConfig),
  });
}

/** The response is throttle_time_ms [results] in every version; only the config layout changes. */
function writeResponseOf(writeConfig: Write<DescribeConfigsResourceResult>): Write<DescribeConfigsResponse> {
  const writeResult = writeResultOf(writeConfig);
  return (writer, response) => void writer.writeInt32(response.throttleTimeMs).writeArray(response.results, writeResult);
}
function readResponseOf(readConfig: Read<DescribeConfigsResourceResult>): Read<DescribeConfigsResponse> {
  const readResult = readResultOf(readConfig);
  return (reader) => {
    const throttleTimeMs = reader.readInt32();
    return { throttleTimeMs, results: reader.readArray(readResult) };
  };
}

export const writeResponseV0 = writeResponseOf(writeConfigV0);
export const readResponseV0 = readResponseOf(readConfigV0);
export const writeResponseV1 = writeResponseOf(writeConfigV1);
export const readResponseV1 = readResponseOf(readConfigV1);
