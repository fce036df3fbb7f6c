/**
 * OffsetFetch v0–v5 (v6 is the first flexible version). v0 read ZooKeeper-stored offsets on
 * old brokers; here every version reads the same store. v2 allows a null topic list (all
 * partitions) and adds a top-level error_code; v3 adds throttle_time_ms; v4 is wire-identical
 * to v3; v5 adds committed_leader_epoch.
 */
import { ApiKey } from '../api-keys.js';
import type { VersionCodec } from '../codec.js';
import type { KafkaReader } from '../primitives/reader.js';
import type { KafkaWriter } from '../primitives/writer.js';
import type { OffsetFetchPartitionResponse, OffsetFetchRequest, OffsetFetchResponse } from './types.js';

type RequestTopic = NonNullable<OffsetFetchRequest['topics']>[number];
const writeRequestTopic = (writer: KafkaWriter, topic: RequestTopic) => void writer.writeString(topic.name).writeArray(topic.partitionIndexes, (inner, index) => void inner.writeInt32(index));
const readRequestTopic = (reader: KafkaReader): RequestTopic => ({ name: reader.readString(), partitionIndexes: reader.readArray((inner) => inner.readInt32()) });

export function offsetFetchCodec(apiVersion: number): VersionCodec<OffsetFetchRequest, OffsetFetchResponse> {
  const allowsAllTopics = apiVersion >= 2;
  const hasGroupError = apiVersion >= 2;
  const hasThrottle = apiVersion >= 3;
  const hasLeaderEpoch = apiVersion >= 5;
  const writePartition = (writer: KafkaWriter, partition: OffsetFetchPartitionResponse) => {
    writer.writeInt32(partition.partitionIndex).writeInt64(partition.committedOffset);
    if (hasLeaderEpoch) writer.writeInt32(partition.committedLeaderEpoch);
    writer.writeNullableString(partition.metadata).writeInt16(partition.errorCode);
  };
  const readPartition = (reader: KafkaReader): OffsetFetchPartitionResponse => {
    const partitionIndex = reader.readInt32();
    const committedOffset = reader.readInt64();
    const committedLeaderEpoch = hasLeaderEpoch ? reader.readInt32() : -1;
    return { partitionIndex, committedOffset, committedLeaderEpoch, metadata: reader.readNullableString(), errorCode: reader.readInt16() };
  };
  return {
    apiKey: ApiKey.OffsetFetch,
    apiVersion,
    decodeRequest(reader) {
      const groupId = reader.readString();
      return { groupId, topics: allowsAllTopics ? reader.readNullableArray(readRequestTopic) : reader.readArray(readRequestTopic) };
    },
    encodeRequest(writer, request) {
      writer.writeString(request.groupId);
      // v0/v1 cannot say "all topics": an empty list is the closest (and answers nothing).
      if (allowsAllTopics) writer.writeNullableArray(request.topics, writeRequestTopic);
      else writer.writeArray(request.topics ?? [], writeRequestTopic);
    },
    encodeResponse(writer, response) {
      if (hasThrottle) writer.writeInt32(response.throttleTimeMs);
      writer.writeArray(response.topics, (inner, topic) => void inner.writeString(topic.name).writeArray(topic.partitions, writePartition));
      if (hasGroupError) writer.writeInt16(response.errorCode);
    },
    decodeResponse(reader) {
      const throttleTimeMs = hasThrottle ? reader.readInt32() : 0;
      const topics = reader.readArray((inner) => ({ name: inner.readString(), partitions: inner.readArray(readPartition) }));
      return { throttleTimeMs, topics, errorCode: hasGroupError ? reader.readInt16() : 0 };
    },
  };
}
