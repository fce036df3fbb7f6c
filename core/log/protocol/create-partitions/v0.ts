/**
 * CreatePartitions v0. Request: [topics: name count [assignments: [broker_ids]] (nullable)]
 * timeout_ms validate_only. Response: throttle_time_ms [results: name error_code error_message].
 */
import { ApiKey } from '../api-keys.js';
import type { VersionCodec } from '../codec.js';
import type { KafkaReader } from '../primitives/reader.js';
import type { KafkaWriter } from '../primitives/writer.js';
import type { CreatePartitionsRequest, CreatePartitionsResponse, CreatePartitionsTopic, CreatePartitionsTopicResult } from './types.js';

function writeTopic(writer: KafkaWriter, topic: CreatePartitionsTopic): void {
  writer.writeString(topic.name).writeInt32(topic.count);
  writer.writeNullableArray(topic.assignments, (inner, brokerIds) => void inner.writeArray(brokerIds, (ids, id) => void ids.writeInt32(id)));
}

function readTopic(reader: KafkaReader): CreatePartitionsTopic {
  const name = reader.readString();
  const count = reader.readInt32();
  const assignments = reader.readNullableArray((inner) => inner.readArray((ids) => ids.readInt32()));
  return { name, count, assignments };
}

function writeResult(writer: KafkaWriter, result: CreatePartitionsTopicResult): void {
  writer.writeString(result.name).writeInt16(result.errorCode).writeNullableString(result.errorMessage);
}

function readResult(reader: KafkaReader): CreatePartitionsTopicResult {
  return { name: reader.readString(), errorCode: reader.readInt16(), errorMessage: reader.readNullableString() };
}

export const createPartitionsV0: VersionCodec<CreatePartitionsRequest, CreatePartitionsResponse> = {
  apiKey: ApiKey.CreatePartitions,
  apiVersion: 0,
  decodeRequest(reader) {
    const topics = reader.readArray(readTopic);
    const timeoutMs = reader.readInt32();
    return { topics, timeoutMs, validateOnly: reader.readBoolean() };
  },
  encodeRequest(writer, request) {
    writer.writeArray(request.topics, writeTopic).writeInt32(request.timeoutMs).writeBoolean(request.validateOnly);
  },
  encodeResponse(writer, response) {
    writer.writeInt32(response.throttleTimeMs).writeArray(response.results, writeResult);
  },
  decodeResponse(reader) {
    const throttleTimeMs = reader.readInt32();
    return { throttleTimeMs, results: reader.readArray(readResult) };
  },
};
