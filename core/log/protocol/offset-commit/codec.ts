/**
 * OffsetCommit v0–v7 (v8 is the first flexible version). v0 commits outside any generation
 * (offsets kept in ZooKeeper by old brokers; here the same store); v1 adds generation_id,
 * member_id and a per-partition commit_timestamp; v2–v4 drop the timestamp for a request-wide
 * retention_time_ms; v3 adds throttle_time_ms to the response; v5 drops the retention; v6 adds
 * committed_leader_epoch; v7 adds group_instance_id.
 */
import { ApiKey } from '../api-keys.js';
import type { VersionCodec } from '../codec.js';
import type { KafkaReader } from '../primitives/reader.js';
import type { KafkaWriter } from '../primitives/writer.js';
import type { OffsetCommitPartition, OffsetCommitPartitionResponse, OffsetCommitRequest, OffsetCommitResponse, OffsetCommitTopic } from './types.js';

const writeTopicOf = <P>(writePartition: (writer: KafkaWriter, partition: P) => void) =>
  (writer: KafkaWriter, topic: { name: string; partitions: P[] }) => void writer.writeString(topic.name).writeArray(topic.partitions, writePartition);
const readTopicOf = <P>(readPartition: (reader: KafkaReader) => P) =>
  (reader: KafkaReader) => ({ name: reader.readString(), partitions: reader.readArray(readPartition) });

const writePartitionResponse = (writer: KafkaWriter, partition: OffsetCommitPartitionResponse) => void writer.writeInt32(partition.partitionIndex).writeInt16(partition.errorCode);
const readPartitionResponse = (reader: KafkaReader): OffsetCommitPartitionResponse => ({ partitionIndex: reader.readInt32(), errorCode: reader.readInt16() });

export function offsetCommitCodec(apiVersion: number): VersionCodec<OffsetCommitRequest, OffsetCommitResponse> {
  const hasGeneration = apiVersion >= 1;
  const hasTimestamp = apiVersion === 1;
  const hasRetention = apiVersion >= 2 && apiVersion <= 4;
  const hasThrottle = apiVersion >= 3;
  const hasLeaderEpoch = apiVersion >= 6;
  const hasInstanceId = apiVersion >= 7;
  const writePartition = (writer: KafkaWriter, partition: OffsetCommitPartition) => {
    writer.writeInt32(partition.partitionIndex).writeInt64(partition.committedOffset);
    if (hasLeaderEpoch) writer.writeInt32(partition.committedLeaderEpoch);
    if (hasTimestamp) writer.writeInt64(partition.commitTimestampMs);
    writer.writeNullableString(partition.committedMetadata);
  };
  const readPartition = (reader: KafkaReader): OffsetCommitPartition => {
    const partitionIndex = reader.readInt32();
    const committedOffset = reader.readInt64();
    const committedLeaderEpoch = hasLeaderEpoch ? reader.readInt32() : -1;
    const commitTimestampMs = hasTimestamp ? reader.readInt64() : -1n;
    return { partitionIndex, committedOffset, committedLeaderEpoch, commitTimestampMs, committedMetadata: reader.readNullableString() };
  };
  const writeTopic = writeTopicOf(writePartition);
  const readTopic: (reader: KafkaReader) => OffsetCommitTopic = readTopicOf(readPartition);
  return {
    apiKey: ApiKey.OffsetCommit,
    apiVersion,
    decodeRequest(reader) {
      const groupId = reader.readString();
      const generationId = hasGeneration ? reader.readInt32() : -1;
      const memberId = hasGeneration ? reader.readString() : '';
      const groupInstanceId = hasInstanceId ? reader.readNullableString() : null;
      const retentionTimeMs = hasRetention ? reader.readInt64() : -1n;
      return { groupId, generationId, memberId, groupInstanceId, retentionTimeMs, topics: reader.readArray(readTopic) };
    },
    encodeRequest(writer, request) {
      writer.writeString(request.groupId);
      if (hasGeneration) writer.writeInt32(request.generationId).writeString(request.memberId);
      if (hasInstanceId) writer.writeNullableString(request.groupInstanceId);
      if (hasRetention) writer.writeInt64(request.retentionTimeMs);
      writer.writeArray(request.topics, writeTopic);
    },
    encodeResponse(writer, response) {
      if (hasThrottle) writer.writeInt32(response.throttleTimeMs);
      writer.writeArray(response.topics, writeTopicOf(writePartitionResponse));
    },
    decodeResponse(reader) {
      const throttleTimeMs = hasThrottle ? reader.readInt32() : 0;
      return { throttleTimeMs, topics: reader.readArray(readTopicOf(readPartitionResponse)) };
    },
  };
}
