/** OffsetForLeaderEpoch sub-structures, each named after the first version that uses its layout. */
import type { KafkaReader } from '../primitives/reader.js';
import type { KafkaWriter } from '../primitives/writer.js';
import type { OffsetForLeaderEpochPartition, OffsetForLeaderEpochPartitionResponse } from './types.js';

type Write<T> = (writer: KafkaWriter, value: T) => void;
type Read<T> = (reader: KafkaReader) => T;

/** A topic is always topic + [partitions]; only the partition layout changes across versions. */
export function writeTopicOf<P>(writePartition: Write<P>): Write<{ topic: string; partitions: P[] }> {
  return (writer, topic) => void writer.writeString(topic.topic).writeArray(topic.partitions, writePartition);
}
export function readTopicOf<P>(readPartition: Read<P>): Read<{ topic: string; partitions: P[] }> {
  return (reader) => ({ topic: reader.readString(), partitions: reader.readArray(readPartition) });
}

/** v0: partition leader_epoch */
export const writePartitionV0: Write<OffsetForLeaderEpochPartition> = (writer, partition) => {
  writer.writeInt32(partition.partition).writeInt32(partition.leaderEpoch);
};
export const readPartitionV0: Read<OffsetForLeaderEpochPartition> = (reader) => ({
  partition: reader.readInt32(),
  currentLeaderEpoch: -1,
  leaderEpoch: reader.readInt32(),
});

/** v2: partition current_leader_epoch leader_epoch */
export const writePartitionV2: Write<OffsetForLeaderEpochPartition> = (writer, partition) => {
  writer.writeInt32(partition.partition).writeInt32(partition.currentLeaderEpoch).writeInt32(partition.leaderEpoch);
};
export const readPartitionV2: Read<OffsetForLeaderEpochPartition> = (reader) => ({
  partition: reader.readInt32(),
  currentLeaderEpoch: reader.readInt32(),
  leaderEpoch: reader.readInt32(),
});

/** v0: error_code partition end_offset */
export const writePartitionResponseV0: Write<OffsetForLeaderEpochPartitionResponse> = (writer, partition) => {
  writer.writeInt16(partition.errorCode).writeInt32(partition.partition).writeInt64(partition.endOffset);
};
export const readPartitionResponseV0: Read<OffsetForLeaderEpochPartitionResponse> = (reader) => ({
  errorCode: reader.readInt16(),
  partition: reader.readInt32(),
  leaderEpoch: -1,
  endOffset: reader.readInt64(),
});

/** v1: error_code partition leader_epoch end_offset */
export const writePartitionResponseV1: Write<OffsetForLeaderEpochPartitionResponse> = (writer, partition) => {
  writer.writeInt16(partition.errorCode).writeInt32(partition.partition).writeInt32(partition.leaderEpoch).writeInt64(partition.endOffset);
};
export const readPartitionResponseV1: Read<OffsetForLeaderEpochPartitionResponse> = (reader) => ({
  errorCode: reader.readInt16(),
  partition: reader.readInt32(),
  leaderEpoch: reader.readInt32(),
  endOffset: reader.readInt64(),
});
