/** DeleteTopics sub-structures shared by every non-flexible version (v0–v3). */
import type { KafkaReader } from '../primitives/reader.js';
import type { KafkaWriter } from '../primitives/writer.js';
import type { DeletableTopicResult, DeleteTopicsRequest } from './types.js';

/** Request v0 (unchanged up to v3): [topic_names] timeout_ms */
export function writeRequestV0(writer: KafkaWriter, request: DeleteTopicsRequest): void {
  writer.writeArray(request.topicNames, (inner, name) => void inner.writeString(name)).writeInt32(request.timeoutMs);
}
export function readRequestV0(reader: KafkaReader): DeleteTopicsRequest {
  const topicNames = reader.readArray((inner) => inner.readString());
  return { topicNames, timeoutMs: reader.readInt32() };
}

/** Response topic v0: name error_code */
export function writeResultV0(writer: KafkaWriter, result: DeletableTopicResult): void {
  writer.writeString(result.name).writeInt16(result.errorCode);
}
export function readResultV0(reader: KafkaReader): DeletableTopicResult {
  return { name: reader.readString(), errorCode: reader.readInt16() };
}
