/**
 * Produce v3: the first version with transactional_id and with record batch v2 payloads.
 * Request: transactional_id acks timeout_ms [topics: name [partitions: index records]].
 * Response: [topics: name [partitions: index error_code base_offset log_append_time_ms]] throttle_time_ms.
 */
import { ApiKey } from '../api-keys.js';
import type { VersionCodec } from '../codec.js';
import type { KafkaReader } from '../primitives/reader.js';
import type { KafkaWriter } from '../primitives/writer.js';
import type { ProducePartitionData, ProduceRequest, ProduceResponse, ProduceTopicData } from './types.js';
import type { ProducePartitionResponse, ProduceTopicResponse } from './types.js';

const writePartitionData = (writer: KafkaWriter, partition: ProducePartitionData): void => {
  writer.writeInt32(partition.partitionIndex).writeNullableBytes(partition.records);
};
const readPartitionData = (reader: KafkaReader): ProducePartitionData => ({
  partitionIndex: reader.readInt32(),
  records: reader.readNullableBytes(),
});
const writeTopicData = (writer: KafkaWriter, topic: ProduceTopicData): void => {
  writer.writeString(topic.name).writeArray(topic.partitions, writePartitionData);
};
const readTopicData = (reader: KafkaReader): ProduceTopicData => ({
  name: reader.readString(),
  partitions: reader.readArray(readPartitionData),
});

export function decodeProduceRequestV3(reader: KafkaReader): ProduceRequest {
  const transactionalId = reader.readNullableString();
  const acks = reader.readInt16();
  const timeoutMs = reader.readInt32();
  return { transactionalId, acks, timeoutMs, topics: reader.readArray(readTopicData) };
}

export function encodeProduceRequestV3(writer: KafkaWriter, request: ProduceRequest): void {
  writer
    .writeNullableString(request.transactionalId)
    .writeInt16(request.acks)
    .writeInt32(request.timeoutMs)
    .writeArray(request.topics, writeTopicData);
}

/**
 * The Produce codec of v3 onwards: v3's request, and response partitions that gain
 * log_start_offset from v5. Versions that change nothing else on the wire reuse it.
 */
export function produceCodec(apiVersion: number): VersionCodec<ProduceRequest, ProduceResponse> {
  const withLogStartOffset = apiVersion >= 5;
  const writePartitionResponse = (writer: KafkaWriter, partition: ProducePartitionResponse): void => {
    writer.writeInt32(partition.partitionIndex).writeInt16(partition.errorCode).writeInt64(partition.baseOffset).writeInt64(partition.logAppendTimeMs);
    if (withLogStartOffset) writer.writeInt64(partition.logStartOffset);
  };
  const readPartitionResponse = (reader: KafkaReader): ProducePartitionResponse => ({
    partitionIndex: reader.readInt32(),
    errorCode: reader.readInt16(),
    baseOffset: reader.readInt64(),
    logAppendTimeMs: reader.readInt64(),
    logStartOffset: withLogStartOffset ? reader.readInt64() : -1n,
  });
  const writeTopic = (writer: KafkaWriter, topic: ProduceTopicResponse): void => {
    writer.writeString(topic.name).writeArray(topic.partitions, writePartitionResponse);
  };
  const readTopic = (reader: KafkaReader): ProduceTopicResponse => ({ name: reader.readString(), partitions: reader.readArray(readPartitionResponse) });
  return {
    apiKey: ApiKey.Produce,
    apiVersion,
    decodeRequest: decodeProduceRequestV3,
    encodeRequest: encodeProduceRequestV3,
    encodeResponse(writer, response) {
      writer.writeArray(response.topics, writeTopic).writeInt32(response.throttleTimeMs);
    },
    decodeResponse(reader) {
      const topics = reader.readArray(readTopic);
      return { topics, throttleTimeMs: reader.readInt32() };
    },
  };
}

export const produceV3 = produceCodec(3);
