/**
 * The ListOffsets body shared by every version: replica_id, (v2+) isolation_level, topics; the
 * response (v2+) starts with throttle_time_ms. Versions differ only in their partition records.
 */
import { ApiKey } from '../api-keys.js';
import type { VersionCodec } from '../codec.js';
import type { KafkaReader } from '../primitives/reader.js';
import type { KafkaWriter } from '../primitives/writer.js';
import { readTopicOf, writeTopicOf } from './fields.js';
import type { ListOffsetsPartition, ListOffsetsPartitionResponse, ListOffsetsRequest, ListOffsetsResponse } from './types.js';

export interface ListOffsetsPartitionCodecs {
  writePartition: (writer: KafkaWriter, partition: ListOffsetsPartition) => void;
  readPartition: (reader: KafkaReader) => ListOffsetsPartition;
  writePartitionResponse: (writer: KafkaWriter, partition: ListOffsetsPartitionResponse) => void;
  readPartitionResponse: (reader: KafkaReader) => ListOffsetsPartitionResponse;
}

export function listOffsetsCodec(apiVersion: number, partitions: ListOffsetsPartitionCodecs): VersionCodec<ListOffsetsRequest, ListOffsetsResponse> {
  const hasIsolationAndThrottle = apiVersion >= 2;
  const writeTopic = writeTopicOf(partitions.writePartition);
  const readTopic = readTopicOf(partitions.readPartition);
  const writeResponseTopic = writeTopicOf(partitions.writePartitionResponse);
  const readResponseTopic = readTopicOf(partitions.readPartitionResponse);
  return {
    apiKey: ApiKey.ListOffsets,
    apiVersion,
    decodeRequest(reader) {
      const replicaId = reader.readInt32();
      const isolationLevel = hasIsolationAndThrottle ? reader.readInt8() : 0;
      return { replicaId, isolationLevel, topics: reader.readArray(readTopic) };
    },
    encodeRequest(writer, request) {
      writer.writeInt32(request.replicaId);
      if (hasIsolationAndThrottle) writer.writeInt8(request.isolationLevel);
      writer.writeArray(request.topics, writeTopic);
    },
    encodeResponse(writer, response) {
      if (hasIsolationAndThrottle) writer.writeInt32(response.throttleTimeMs);
      writer.writeArray(response.topics, writeResponseTopic);
    },
    decodeResponse(reader) {
      const throttleTimeMs = hasIsolationAndThrottle ? reader.readInt32() : 0;
      return { throttleTimeMs, topics: reader.readArray(readResponseTopic) };
    },
  };
}
