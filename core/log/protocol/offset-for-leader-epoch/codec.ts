/**
 * The OffsetForLeaderEpoch body shared by every version: (v3+) replica_id, topics; the response
 * (v2+) starts with throttle_time_ms. Versions differ otherwise only in their partition records.
 */
import { ApiKey } from '../api-keys.js';
import type { VersionCodec } from '../codec.js';
import type { KafkaReader } from '../primitives/reader.js';
import type { KafkaWriter } from '../primitives/writer.js';
import { readTopicOf, writeTopicOf } from './fields.js';
import {
  DEBUGGING_REPLICA_ID,
  type OffsetForLeaderEpochPartition,
  type OffsetForLeaderEpochPartitionResponse,
  type OffsetForLeaderEpochRequest,
  type OffsetForLeaderEpochResponse,
} from './types.js';

export interface OffsetForLeaderEpochPartitionCodecs {
  writePartition: (writer: KafkaWriter, partition: OffsetForLeaderEpochPartition) => void;
  readPartition: (reader: KafkaReader) => OffsetForLeaderEpochPartition;
  writePartitionResponse: (writer: KafkaWriter, partition: OffsetForLeaderEpochPartitionResponse) => void;
  readPartitionResponse: (reader: KafkaReader) => OffsetForLeaderEpochPartitionResponse;
}

export function offsetForLeaderEpochCodec(
  apiVersion: number,
  partitions: OffsetForLeaderEpochPartitionCodecs,
): VersionCodec<OffsetForLeaderEpochRequest, OffsetForLeaderEpochResponse> {
  const hasReplicaId = apiVersion >= 3;
  const hasThrottle = apiVersion >= 2;
  const writeTopic = writeTopicOf(partitions.writePartition);
  const readTopic = readTopicOf(partitions.readPartition);
  const writeResponseTopic = writeTopicOf(partitions.writePartitionResponse);
  const readResponseTopic = readTopicOf(partitions.readPartitionResponse);
  return {
    apiKey: ApiKey.OffsetForLeaderEpoch,
    apiVersion,
    decodeRequest(reader) {
      const replicaId = hasReplicaId ? reader.readInt32() : DEBUGGING_REPLICA_ID;
      return { replicaId, topics: reader.readArray(readTopic) };
    },
    encodeRequest(writer, request) {
      if (hasReplicaId) writer.writeInt32(request.replicaId);
      writer.writeArray(request.topics, writeTopic);
    },
    encodeResponse(writer, response) {
      if (hasThrottle) writer.writeInt32(response.throttleTimeMs);
      writer.writeArray(response.topics, writeResponseTopic);
    },
    decodeResponse(reader) {
      const throttleTimeMs = hasThrottle ? reader.readInt32() : 0;
      return { throttleTimeMs, topics: reader.readArray(readResponseTopic) };
    },
  };
}
