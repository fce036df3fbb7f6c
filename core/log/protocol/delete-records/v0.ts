/**
 * DeleteRecords v0. Request: [topics: name [partitions: partition_index offset]] timeout_ms.
 * Response: throttle_time_ms [topics: name [partitions: partition_index low_watermark error_code]].
 */
import { ApiKey } from '../api-keys.js';
import type { VersionCodec } from '../codec.js';
import type { KafkaReader } from '../primitives/reader.js';
import type { KafkaWriter } from '../primitives/writer.js';
import type { DeleteRecordsRequest, DeleteRecordsResponse, DeleteRecordsTopic, DeleteRecordsTopicResult } from './types.js';

function writeTopic(writer: KafkaWriter, topic: DeleteRecordsTopic): void {
  writer.writeString(topic.name).writeArray(topic.partitions, (inner, partition) => void inner.writeInt32(partition.partitionIndex).writeInt64(partition.offset));
}

function readTopic(reader: KafkaReader): DeleteRecordsTopic {
  const name = reader.readString();
  return { name, partitions: reader.readArray((inner) => ({ partitionIndex: inner.readInt32(), offset: inner.readInt64() })) };
}

function writeResult(writer: KafkaWriter, topic: DeleteRecordsTopicResult): void {
  writer.writeString(topic.name).writeArray(topic.partitions, (inner, partition) => void inner.writeInt32(partition.partitionIndex).writeInt64(partition.lowWatermark).writeInt16(partition.errorCode));
}

function readResult(reader: KafkaReader): DeleteRecordsTopicResult {
  const name = reader.readString();
  return { name, partitions: reader.readArray((inner) => ({ partitionIndex: inner.readInt32(), lowWatermark: inner.readInt64(), errorCode: inner.readInt16() })) };
}

export const deleteRecordsV0: VersionCodec<DeleteRecordsRequest, DeleteRecordsResponse> = {
  apiKey: ApiKey.DeleteRecords,
  apiVersion: 0,
  decodeRequest(reader) {
    const topics = reader.readArray(readTopic);
    return { topics, timeoutMs: reader.readInt32() };
  },
  encodeRequest(writer, request) {
    writer.writeArray(request.topics, writeTopic).writeInt32(request.timeoutMs);
  },
  encodeResponse(writer, response) {
    writer.writeInt32(response.throttleTimeMs).writeArray(response.topics, writeResult);
  },
  decodeResponse(reader) {
    const throttleTimeMs = reader.readInt32();
    return { throttleTimeMs, topics: reader.readArray(readResult) };
  },
};
