/**
 * DescribeCluster v0, flexible from its first version (compact strings and arrays, tagged
 * fields). Request: include_cluster_authorized_operations. Response: throttle_time_ms
 * error_code error_message cluster_id controller_id [brokers: broker_id host port rack]
 * cluster_authorized_operations. The broker sends no tagged fields; a decoder skips any.
 */
import { ApiKey } from '../api-keys.js';
import type { VersionCodec } from '../codec.js';
import type { KafkaReader } from '../primitives/reader.js';
import type { KafkaWriter } from '../primitives/writer.js';
import type { DescribeClusterBroker, DescribeClusterRequest, DescribeClusterResponse } from './types.js';

function writeBroker(writer: KafkaWriter, broker: DescribeClusterBroker): void {
  writer.writeInt32(broker.brokerId).writeCompactString(broker.host).writeInt32(broker.port).writeCompactNullableString(broker.rack).writeTaggedFields();
}

function readBroker(reader: KafkaReader): DescribeClusterBroker {
  const broker = { brokerId: reader.readInt32(), host: reader.readCompactString(), port: reader.readInt32(), rack: reader.readCompactNullableString() };
  reader.readTaggedFields();
  return broker;
}

export const describeClusterV0: VersionCodec<DescribeClusterRequest, DescribeClusterResponse> = {
  apiKey: ApiKey.DescribeCluster,
  apiVersion: 0,
  decodeRequest(reader) {
    const includeClusterAuthorizedOperations = reader.readBoolean();
    reader.readTaggedFields();
    return { includeClusterAuthorizedOperations };
  },
  encodeRequest(writer, request) {
    writer.writeBoolean(request.includeClusterAuthorizedOperations).writeTaggedFields();
  },
  encodeResponse(writer, response) {
    writer.writeInt32(response.throttleTimeMs).writeInt16(response.errorCode).writeCompactNullableString(response.errorMessage);
    writer.writeCompactString(response.clusterId).writeInt32(response.controllerId).writeCompactArray(response.brokers, writeBroker);
    writer.writeInt32(response.clusterAuthorizedOperations).writeTaggedFields();
  },
  decodeResponse(reader) {
    const throttleTimeMs = reader.readInt32();
    const errorCode = reader.readInt16();
    const errorMessage = reader.readCompactNullableString();
    const clusterId = reader.readCompactString();
    const controllerId = reader.readInt32();
    const brokers = reader.readCompactArray(readBroker);
    const clusterAuthorizedOperations = reader.readInt32();
    reader.readTaggedFields();
    return { throttleTimeMs, errorCode, errorMessage, clusterId, controllerId, brokers, clusterAuthorizedOperations };
  },
};
