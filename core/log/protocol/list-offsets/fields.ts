/** ListOffsets sub-structures, each named after the first version that uses its layout. */
import type { KafkaReader } from '../primitives/reader.js';
import type { KafkaWriter } from '../primitives/writer.js';
import type { ListOffsetsPartition, ListOffsetsPartitionResponse } from './types.js';

type Write<T> = (writer: KafkaWriter, value: T) => void;
type Read<T> = (reader: KafkaReader) => T;

/** A topic is always name + [partitions]; only the partition layout changes across versions. */
export function writeTopicOf<P>(writePartition: Write<P>): Write<{ name: string; partitions: P[] }> {
  return (writer, topic) => void writer.writeString(topic.name).writeArray(topic.partitions, writePartition);
}
export function readTopicOf<P>(readPartition: Read<P>): Read<{ name: string; partitions: P[] }> {
  return (reader) => ({ name: reader.readString(), partitions: reader.readArray(readPartition) });
}

/** v0: index timestamp max_num_offsets */
export const writePartitionV0: Write<ListOffsetsPartition> = (writer, partition) => {
  writer.writeInt32(partition.partitionIndex).writeInt64(partition.timestamp).writeInt32(partition.maxNumOffsets);
};
export const readPartitionV0: Read<ListOffsetsPartition> = (reader) => ({
  partitionIndex: reader.readInt32(),
  currentLeaderEpoch: -1,
  timestamp: reader.readInt64(),
  maxNumOffsets: reader.readInt32(),
});

/** v1: index timestamp */
export const writePartitionV1: Write<ListOffsetsPartition> = (writer, partition) => {
  writer.writeInt32(partition.partitionIndex).writeInt64(partition.timestamp);
};
export const readPartitionV1: Read<ListOffsetsPartition> = (reader) => ({
  partitionIndex: reader.readInt32(),
  currentLeaderEpoch: -1,
  timestamp: reader.readInt64(),
  maxNumOffsets: 1,
});

/** v4: index current_leader_epoch timestamp */
export const writePartitionV4: Write<ListOffsetsPartition> = (writer, partition) => {
  writer.writeInt32(partition.partitionIndex).writeInt32(partition.currentLeaderEpoch).writeInt64(partition.timestamp);
};
export const readPartitionV4: Read<ListOffsetsPartition> = (reader) => ({
  partitionIndex: reader.readInt32(),
  currentLeaderEpoch: reader.readInt32(),
  timestamp: reader.readInt64(),
  maxNumOffsets: 1,
});

const writeInt64 = (writer: KafkaWriter, value: bigint): void => void writer.writeInt64(value);

/** v0: index error_code [old_style_offsets] */
export const writePartitionResponseV0: Write<ListOffsetsPartitionResponse> = (writer, partition) => {
  writer.writeInt32(partition.partitionIndex).writeInt16(partition.errorCode).writeArray(partition.oldStyleOffsets, writeInt64);
};
export const readPartitionResponseV0: Read<ListOffsetsPartitionResponse> = (reader) => ({
  partitionIndex: reader.readInt32(),
  errorCode: reader.readInt16(),
  oldStyleOffsets: reader.readArray((inner) => inner.readInt64()),
  timestamp: -1n,
  offset: -1n,
  leaderEpoch: -1,
});

/** v1: index error_code timestamp offset */
export const writePartitionResponseV1: Write<ListOffsetsPartitionResponse> = (writer, partition) => {
  writer.writeInt32(partition.partitionIndex).writeInt16(partition.errorCode);
  writer.writeInt64(partition.timestamp).writeInt64(partition.offset);
};
export const readPartitionResponseV1: Read<ListOffsetsPartitionResponse> = (reader) => ({
  partitionIndex: reader.readInt32(),
  errorCode: reader.readInt16(),
  oldStyleOffsets: [],
  timestamp: reader.readInt64(),
  offset: reader.readInt64(),
  leaderEpoch: -1,
});

/** v4: v1 + leader_epoch */
export const writePartitionResponseV4: Write<ListOffsetsPartitionResponse> = (writer, partition) => {
  writePartitionResponseV1(writer, partition);
  writer.writeInt32(partition.leaderEpoch);
};
export const readPartitionResponseV4: Read<ListOffsetsPartitionResponse> = (reader) => ({
  ...readPartitionResponseV1(reader),
  leaderEpoch: reader.readInt32(),
});
