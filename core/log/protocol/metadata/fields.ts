/**
 * Metadata sub-structures shared by several versions. Each helper is named after the first
 * version that introduced its layout; version files compose them in the order their spec lists.
 */
import type { KafkaReader } from '../primitives/reader.js';
import type { KafkaWriter } from '../primitives/writer.js';
import type { MetadataBroker, MetadataPartition, MetadataTopic } from './types.js';

type Write<T> = (writer: KafkaWriter, value: T) => void;
type Read<T> = (reader: KafkaReader) => T;

const writeInt32 = (writer: KafkaWriter, value: number): void => void writer.writeInt32(value);
const readInt32 = (reader: KafkaReader): number => reader.readInt32();

export const writeBrokerV0: Write<MetadataBroker> = (writer, broker) => {
  writer.writeInt32(broker.nodeId).writeString(broker.host).writeInt32(broker.port);
};
export const readBrokerV0: Read<MetadataBroker> = (reader) => ({
  nodeId: reader.readInt32(),
  host: reader.readString(),
  port: reader.readInt32(),
  rack: null,
});

export const writeBrokerV1: Write<MetadataBroker> = (writer, broker) => {
  writeBrokerV0(writer, broker);
  writer.writeNullableString(broker.rack);
};
export const readBrokerV1: Read<MetadataBroker> = (reader) => ({ ...readBrokerV0(reader), rack: reader.readNullableString() });

export const writePartitionV0: Write<MetadataPartition> = (writer, partition) => {
  writer
    .writeInt16(partition.errorCode)
    .writeInt32(partition.partitionIndex)
    .writeInt32(partition.leaderId)
    .writeArray(partition.replicaNodes, writeInt32)
    .writeArray(partition.isrNodes, writeInt32);
};
export const readPartitionV0: Read<MetadataPartition> = (reader) => ({
  errorCode: reader.readInt16(),
  partitionIndex: reader.readInt32(),
  leaderId: reader.readInt32(),
  replicaNodes: reader.readArray(readInt32),
  isrNodes: reader.readArray(readInt32),
  offlineReplicas: [],
});

export const writePartitionV5: Write<MetadataPartition> = (writer, partition) => {
  writePartitionV0(writer, partition);
  writer.writeArray(partition.offlineReplicas, writeInt32);
};
export const readPartitionV5: Read<MetadataPartition> = (reader) => ({
  ...readPartitionV0(reader),
  offlineReplicas: reader.readArray(readInt32),
});

export function writeTopicV0(writePartition: Write<MetadataPartition>): Write<MetadataTopic> {
  return (writer, topic) => {
    writer.writeInt16(topic.errorCode).writeString(topic.name).writeArray(topic.partitions, writePartition);
  };
}
export function readTopicV0(readPartition: Read<MetadataPartition>): Read<MetadataTopic> {
  return (reader) => ({
    errorCode: reader.readInt16(),
    name: reader.readString(),
    isInternal: false,
    partitions: reader.readArray(readPartition),
  });
}

/** v1 inserts is_internal between the name and the partitions. */
export function writeTopicV1(writePartition: Write<MetadataPartition>): Write<MetadataTopic> {
  return (writer, topic) => {
    writer
      .writeInt16(topic.errorCode)
      .writeString(topic.name)
      .writeBoolean(topic.isInternal)
      .writeArray(topic.partitions, writePartition);
  };
}
export function readTopicV1(readPartition: Read<MetadataPartition>): Read<MetadataTopic> {
  return (reader) => ({
    errorCode: reader.readInt16(),
    name: reader.readString(),
    isInternal: reader.readBoolean(),
    partitions: reader.readArray(readPartition),
  });
}

export const writeTopicName: Write<string> = (writer, name) => void writer.writeString(name);
export const readTopicName: Read<string> = (reader) => reader.readString();
