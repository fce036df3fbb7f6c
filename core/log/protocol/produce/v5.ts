/** Produce v5: each partition in the response gains log_start_offset; the request is v3's. */
import { ApiKey } from '../api-keys.js';
import type { VersionCodec } from '../codec.js';
import type { KafkaReader } from '../primitives/reader.js';
import type { KafkaWriter } from '../primitives/writer.js';
import type { ProducePartitionResponse, ProduceRequest, ProduceResponse } from './types.js';
import { decodeProduceRequestV3, encodeProduceRequestV3, readResponseTopic, writeResponseTopic } from './v3.js';

const writePartitionResponse = (writer: KafkaWriter, partition: ProducePartitionResponse): void => {
  writer
    .writeInt32(partition.partitionIndex)
    .writeInt16(partition.errorCode)
    .writeInt64(partition.baseOffset)
    .writeInt64(partition.logAppendTimeMs)
    .writeInt64(partition.logStartOffset);
};
const readPartitionResponse = (reader: KafkaReader): ProducePartitionResponse => ({
  partitionIndex: reader.readInt32(),
  errorCode: reader.readInt16(),
  baseOffset: reader.readInt64(),
  logAppendTimeMs: reader.readInt64(),
  logStartOffset: reader.readInt64(),
});
const writeTopic = writeResponseTopic(writePartitionResponse);
const readTopic = readResponseTopic(readPartitionResponse);

export const produceV5: VersionCodec<ProduceRequest, ProduceResponse> = {
  apiKey: ApiKey.Produce,
  apiVersion: 5,
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
