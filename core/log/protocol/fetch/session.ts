/**
 * The request/response skeleton of Fetch v7+ (incremental fetch sessions, KIP-227), parameterised
 * by the partition layouts and trailing fields that v9 and v11 change.
 */
import { ApiKey } from '../api-keys.js';
import type { VersionCodec } from '../codec.js';
import type { KafkaReader } from '../primitives/reader.js';
import type { KafkaWriter } from '../primitives/writer.js';
import { readForgottenTopic, readPartitionResponse, readTopic, readTopicResponse, writeForgottenTopic, writePartitionResponse, writeTopic, writeTopicResponse } from './fields.js';
import type { FetchPartition, FetchRequest, FetchResponse } from './types.js';

export interface SessionFetchLayout {
  apiVersion: number;
  writePartition: (writer: KafkaWriter, partition: FetchPartition) => void;
  readPartition: (reader: KafkaReader) => FetchPartition;
  /** v11+: rack_id after forgotten topics, preferred_read_replica in partition responses. */
  hasRack: boolean;
}

export function sessionFetchCodec(layout: SessionFetchLayout): VersionCodec<FetchRequest, FetchResponse> {
  const responseLayout = { logStartOffset: true, preferredReadReplica: layout.hasRack };
  const writeRequestTopic = writeTopic(layout.writePartition);
  const readRequestTopic = readTopic(layout.readPartition);
  const writeResponseTopic = writeTopicResponse(writePartitionResponse(responseLayout));
  const readResponseTopic = readTopicResponse(readPartitionResponse(responseLayout));
  return {
    apiKey: ApiKey.Fetch,
    apiVersion: layout.apiVersion,
    decodeRequest(reader) {
      const replicaId = reader.readInt32();
      const maxWaitMs = reader.readInt32();
      const minBytes = reader.readInt32();
      const maxBytes = reader.readInt32();
      const isolationLevel = reader.readInt8();
      const sessionId = reader.readInt32();
      const sessionEpoch = reader.readInt32();
      const topics = reader.readArray(readRequestTopic);
      const forgottenTopics = reader.readArray(readForgottenTopic);
      const rackId = layout.hasRack ? reader.readString() : '';
      return { replicaId, maxWaitMs, minBytes, maxBytes, isolationLevel, sessionId, sessionEpoch, topics, forgottenTopics, rackId };
    },
    encodeRequest(writer, request) {
      writer.writeInt32(request.replicaId).writeInt32(request.maxWaitMs).writeInt32(request.minBytes);
      writer.writeInt32(request.maxBytes).writeInt8(request.isolationLevel);
      writer.writeInt32(request.sessionId).writeInt32(request.sessionEpoch);
      writer.writeArray(request.topics, writeRequestTopic).writeArray(request.forgottenTopics, writeForgottenTopic);
      if (layout.hasRack) writer.writeString(request.rackId);
    },
    encodeResponse(writer, response) {
      writer.writeInt32(response.throttleTimeMs).writeInt16(response.errorCode).writeInt32(response.sessionId);
      writer.writeArray(response.topics, writeResponseTopic);
    },
    decodeResponse(reader) {
      const throttleTimeMs = reader.readInt32();
      const errorCode = reader.readInt16();
      const sessionId = reader.readInt32();
      return { throttleTimeMs, errorCode, sessionId, topics: reader.readArray(readResponseTopic) };
    },
  };
}
