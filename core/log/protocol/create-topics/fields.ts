/** CreateTopics sub-structures, each named after the first version that uses its layout. */
import type { KafkaReader } from '../primitives/reader.js';
import type { KafkaWriter } from '../primitives/writer.js';
import type { CreatableReplicaAssignment, CreatableTopic, CreatableTopicConfig, CreatableTopicResult } from './types.js';

type Write<T> = (writer: KafkaWriter, value: T) => void;
type Read<T> = (reader: KafkaReader) => T;

const writeInt32: Write<number> = (writer, value) => void writer.writeInt32(value);
const readInt32: Read<number> = (reader) => reader.readInt32();

const writeAssignment: Write<CreatableReplicaAssignment> = (writer, assignment) => {
  writer.writeInt32(assignment.partitionIndex).writeArray(assignment.brokerIds, writeInt32);
};
const readAssignment: Read<CreatableReplicaAssignment> = (reader) => ({
  partitionIndex: reader.readInt32(),
  brokerIds: reader.readArray(readInt32),
});

const writeConfig: Write<CreatableTopicConfig> = (writer, config) => {
  writer.writeString(config.name).writeNullableString(config.value);
};
const readConfig: Read<CreatableTopicConfig> = (reader) => ({ name: reader.readString(), value: reader.readNullableString() });

/** v0 (unchanged up to v4): name num_partitions replication_factor [assignments] [configs] */
export const writeTopicV0: Write<CreatableTopic> = (writer, topic) => {
  writer.writeString(topic.name).writeInt32(topic.numPartitions).writeInt16(topic.replicationFactor);
  writer.writeArray(topic.assignments, writeAssignment).writeArray(topic.configs, writeConfig);
};
export const readTopicV0: Read<CreatableTopic> = (reader) => ({
  name: reader.readString(),
  numPartitions: reader.readInt32(),
  replicationFactor: reader.readInt16(),
  assignments: reader.readArray(readAssignment),
  configs: reader.readArray(readConfig),
});

/** v0: name error_code */
export const writeTopicResultV0: Write<CreatableTopicResult> = (writer, result) => {
  writer.writeString(result.name).writeInt16(result.errorCode);
};
export const readTopicResultV0: Read<CreatableTopicResult> = (reader) => ({
  name: reader.readString(),
  errorCode: reader.readInt16(),
  errorMessage: null,
});

/** v1: name error_code error_message */
export const writeTopicResultV1: Write<CreatableTopicResult> = (writer, result) => {
  writeTopicResultV0(writer, result);
  writer.writeNullableString(result.errorMessage);
};
export const readTopicResultV1: Read<CreatableTopicResult> = (reader) => ({
  name: reader.readString(),
  errorCode: reader.readInt16(),
  errorMessage: reader.readNullableString(),
});
