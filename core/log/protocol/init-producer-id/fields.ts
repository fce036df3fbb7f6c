/** InitProducerId fields: classic encodings (v0-v1) and flexible ones (v2+, compact strings and tagged fields). */
import type { KafkaReader } from '../primitives/reader.js';
import type { KafkaWriter } from '../primitives/writer.js';
import type { InitProducerIdRequest, InitProducerIdResponse } from './types.js';

const NO_PRODUCER = { producerId: -1n, producerEpoch: -1 };

/** Request v0-v1: transactional_id (nullable string) transaction_timeout_ms */
export function writeRequestClassic(writer: KafkaWriter, request: InitProducerIdRequest): void {
  writer.writeNullableString(request.transactionalId).writeInt32(request.transactionTimeoutMs);
}
export function readRequestClassic(reader: KafkaReader): InitProducerIdRequest {
  const transactionalId = reader.readNullableString();
  return { transactionalId, transactionTimeoutMs: reader.readInt32(), ...NO_PRODUCER };
}

/** Request v2 (flexible) and v3+ (adds producer_id, producer_epoch before the tagged fields). */
export function writeRequestFlexible(writer: KafkaWriter, request: InitProducerIdRequest, withProducer: boolean): void {
  writer.writeCompactNullableString(request.transactionalId).writeInt32(request.transactionTimeoutMs);
  if (withProducer) writer.writeInt64(request.producerId).writeInt16(request.producerEpoch);
  writer.writeTaggedFields();
}
export function readRequestFlexible(reader: KafkaReader, withProducer: boolean): InitProducerIdRequest {
  const transactionalId = reader.readCompactNullableString();
  const transactionTimeoutMs = reader.readInt32();
  const producer = withProducer ? { producerId: reader.readInt64(), producerEpoch: reader.readInt16() } : NO_PRODUCER;
  reader.readTaggedFields();
  return { transactionalId, transactionTimeoutMs, ...producer };
}

/** Response (every version): throttle_time_ms error_code producer_id producer_epoch [tagged fields] */
export function writeResponse(writer: KafkaWriter, response: InitProducerIdResponse, flexible: boolean): void {
  writer.writeInt32(response.throttleTimeMs).writeInt16(response.errorCode).writeInt64(response.producerId).writeInt16(response.producerEpoch);
  if (flexible) writer.writeTaggedFields();
}
export function readResponse(reader: KafkaReader, flexible: boolean): InitProducerIdResponse {
  const response = { throttleTimeMs: reader.readInt32(), errorCode: reader.readInt16(), producerId: reader.readInt64(), producerEpoch: reader.readInt16() };
  if (flexible) reader.readTaggedFields();
  return response;
}
