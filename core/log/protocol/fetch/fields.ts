/**
 * Fetch sub-structures shared by several versions, each named after the first version that
 * uses its layout. Version files compose them in the order their spec lists the fields.
 */
import type { KafkaReader } from '../primitives/reader.js';
import type { KafkaWriter } from '../primitives/writer.js';
import type { AbortedTransaction, FetchPartition, FetchPartitionResponse, FetchTopic, FetchTopicResponse, ForgottenTopic } from './types.js';

type Write<T> = (writer: KafkaWriter, value: T) => void;
type Read<T> = (reader: KafkaReader) => T;

/** fetch_offset partition_max_bytes */
export const writePartitionV4: Write<FetchPartition> = (writer, partition) => {
  writer.writeInt32(partition.partitionIndex).writeInt64(partition.fetchOffset).writeInt32(partition.partitionMaxBytes);
};
export const readPartitionV4: Read<FetchPartition> = (reader) => ({
  partitionIndex: reader.readInt32(),
  currentLeaderEpoch: -1,
  fetchOffset: reader.readInt64(),
  logStartOffset: -1n,
  partitionMaxBytes: reader.readInt32(),
});

/** v5 adds log_start_offset after fetch_offset. */
export const writePartitionV5: Write<FetchPartition> = (writer, partition) => {
  writer
    .writeInt32(partition.partitionIndex)
    .writeInt64(partition.fetchOffset)
    .writeInt64(partition.logStartOffset)
    .writeInt32(partition.partitionMaxBytes);
};
export const readPartitionV5: Read<FetchPartition> = (reader) => ({
  partitionIndex: reader.readInt32(),
  currentLeaderEpoch: -1,
  fetchOffset: reader.readInt64(),
  logStartOffset: reader.readInt64(),
  partitionMaxBytes: reader.readInt32(),
});

/** v9 adds current_leader_epoch before fetch_offset. */
export const writePartitionV9: Write<FetchPartition> = (writer, partition) => {
  writer.writeInt32(partition.partitionIndex).writeInt32(partition.currentLeaderEpoch);
  writer.writeInt64(partition.fetchOffset).writeInt64(partition.logStartOffset).writeInt32(partition.partitionMaxBytes);
};
export const readPartitionV9: Read<FetchPartition> = (reader) => ({
  partitionIndex: reader.readInt32(),
  currentLeaderEpoch: reader.readInt32(),
  fetchOffset: reader.readInt64(),
  logStartOffset: reader.readInt64(),
  partitionMaxBytes: reader.readInt32(),
});

export function writeTopic(writePartition: Write<FetchPartition>): Write<FetchTopic> {
  return (writer, topic) => void writer.writeString(topic.name).writeArray(topic.partitions, writePartition);
}
export function readTopic(readPartition: Read<FetchPartition>): Read<FetchTopic> {
  return (reader) => ({ name: reader.readString(), partitions: reader.readArray(readPartition) });
}

const writeInt32 = (writer: KafkaWriter, value: number): void => void writer.writeInt32(value);
export const writeForgottenTopic: Write<ForgottenTopic> = (writer, topic) => {
  writer.writeString(topic.name).writeArray(topic.partitions, writeInt32);
};
export const readForgottenTopic: Read<ForgottenTopic> = (reader) => ({
  name: reader.readString(),
  partitions: reader.readArray((inner) => inner.readInt32()),
});

const writeAborted: Write<AbortedTransaction> = (writer, aborted) => {
  writer.writeInt64(aborted.producerId).writeInt64(aborted.firstOffset);
};
const readAborted: Read<AbortedTransaction> = (reader) => ({ producerId: reader.readInt64(), firstOffset: reader.readInt64() });

/** Records as nullable bytes; a chunk list is written back to back under one int32 size. */
export function writeRecords(writer: KafkaWriter, records: FetchPartitionResponse['records']): void {
  if (records === null || Buffer.isBuffer(records)) {
    writer.writeNullableBytes(records as Buffer | null);
    return;
  }
  const chunks = records as readonly Buffer[];
  writer.writeInt32(chunks.reduce((total, chunk) => total + chunk.length, 0));
  for (const chunk of chunks) writer.writeRaw(chunk);
}

/** Partition response layout: which optional fields the version carries. */
interface ResponseLayout {
  logStartOffset: boolean;
  preferredReadReplica: boolean;
}

export function writePartitionResponse(layout: ResponseLayout): Write<FetchPartitionResponse> {
  return (writer, partition) => {
    writer.writeInt32(partition.partitionIndex).writeInt16(partition.errorCode);
    writer.writeInt64(partition.highWatermark).writeInt64(partition.lastStableOffset);
    if (layout.logStartOffset) writer.writeInt64(partition.logStartOffset);
    writer.writeNullableArray(partition.abortedTransactions, writeAborted);
    if (layout.preferredReadReplica) writer.writeInt32(partition.preferredReadReplica);
    writeRecords(writer, partition.records);
  };
}

export function readPartitionResponse(layout: ResponseLayout): Read<FetchPartitionResponse> {
  return (reader) => {
    const partitionIndex = reader.readInt32();
    const errorCode = reader.readInt16();
    const highWatermark = reader.readInt64();
    const lastStableOffset = reader.readInt64();
    const logStartOffset = layout.logStartOffset ? reader.readInt64() : -1n;
    const abortedTransactions = reader.readNullableArray(readAborted);
    const preferredReadReplica = layout.preferredReadReplica ? reader.readInt32() : -1;
    const records = reader.readNullableBytes();
    return { partitionIndex, errorCode, highWatermark, lastStableOffset, logStartOffset, abortedTransactions, preferredReadReplica, records };
  };
}

export function writeTopicResponse(writePartition: Write<FetchPartitionResponse>): Write<FetchTopicResponse> {
  return (writer, topic) => void writer.writeString(topic.name).writeArray(topic.partitions, writePartition);
}
export function readTopicResponse(readPartition: Read<FetchPartitionResponse>): Read<FetchTopicResponse> {
  return (reader) => ({ name: reader.readString(), partitions: reader.readArray(readPartition) });
}
