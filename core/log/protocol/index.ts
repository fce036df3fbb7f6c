/**
 * Kafka wire protocol codecs for the core/log broker: headers, request/response bodies of the
 * supported APIs, and the registry the connection layer dispatches through.
 *
 * Broker flow for one frame (int32 size prefix already stripped by the connection):
 *   const reader = new KafkaReader(frame);
 *   const header = decodeRequestHeader(reader);
 *   if (!isSupportedVersion(header.apiKey, header.apiVersion)) → for ApiVersions answer
 *     encodeUnsupportedApiVersionsFrame(header.correlationId); otherwise close the connection.
 *   const request = decodeRequest(header.apiKey, header.apiVersion, reader);
 *   ... handle ... → socket.write(encodeResponseFrame(header, responseBody));
 */
import { ApiKey } from './api-keys.js';
import { apiVersionsV0 } from './api-versions/v0.js';
import type { ApiVersionRange, ApiVersionsResponse } from './api-versions/types.js';
import { ErrorCode } from './errors.js';
import { encodeResponseHeader, responseHeaderVersion } from './header.js';
import type { KafkaReader } from './primitives/reader.js';
import { KafkaWriter } from './primitives/writer.js';
import type { ApiBodies, SupportedApiKey } from './registry.js';
import { codecFor, SUPPORTED_API_VERSIONS } from './registry.js';

export { ApiKey, FIRST_FLEXIBLE_VERSION, isFlexibleVersion } from './api-keys.js';
export type { ApiKeyName, ApiKeyValue } from './api-keys.js';
export type { VersionCodec } from './codec.js';
export * from './errors.js';
export * from './header.js';
export { KafkaDecodeError } from './primitives/decode-error.js';
export { KafkaReader } from './primitives/reader.js';
export type { TaggedFields } from './primitives/reader.js';
export { KafkaWriter } from './primitives/writer.js';
export { codecFor, isSupportedApiKey, isSupportedVersion, SUPPORTED_API_VERSIONS } from './registry.js';
export type { ApiBodies, CodecOf, SupportedApiKey, VersionRange } from './registry.js';
export type * from './api-versions/types.js';
export type * from './create-topics/types.js';
export type * from './delete-topics/types.js';
export type * from './describe-configs/types.js';
export type * from './fetch/types.js';
export type * from './list-offsets/types.js';
export type * from './metadata/types.js';
export type * from './offset-for-leader-epoch/types.js';
export type * from './init-producer-id/types.js';
export type * from './produce/types.js';
export type * from './find-coordinator/types.js';
export type * from './join-group/types.js';
export type * from './sync-group/types.js';
export type * from './heartbeat/types.js';
export type * from './leave-group/types.js';
export type * from './offset-commit/types.js';
export type * from './offset-fetch/types.js';
export type * from './list-groups/types.js';
export type * from './describe-groups/types.js';
export type * from './sasl-handshake/types.js';
export type * from './sasl-authenticate/types.js';
export type * from './create-partitions/types.js';
export type * from './alter-configs/types.js';
export type * from './describe-cluster/types.js';
export type * from './delete-records/types.js';
export type * from './delete-groups/types.js';
export { AlterConfigOperation } from './alter-configs/types.js';
export { CLUSTER_AUTHORIZED_OPERATIONS_NOT_REQUESTED } from './describe-cluster/types.js';
export { DELETE_UP_TO_HIGH_WATERMARK } from './delete-records/types.js';
export { CoordinatorKeyType } from './find-coordinator/types.js';
export { AUTHORIZED_OPERATIONS_NOT_REQUESTED } from './describe-groups/types.js';
export { EARLIEST_TIMESTAMP, LATEST_TIMESTAMP } from './list-offsets/types.js';
export { BROKER_DEFAULT } from './create-topics/types.js';
export { CONFIG_SOURCE_NOT_SENT, ConfigResourceType, ConfigSource } from './describe-configs/types.js';
export { DEBUGGING_REPLICA_ID } from './offset-for-leader-epoch/types.js';

/** A decoded request body tagged with its key, so handlers can switch on `apiKey`. */
export type DecodedRequest = {
  [K in SupportedApiKey]: { apiKey: K; apiVersion: number; body: ApiBodies[K]['request'] };
}[SupportedApiKey];

/**
 * Decodes the body that follows the request header. Throws UnsupportedVersionError for a
 * key/version outside SUPPORTED_API_VERSIONS and KafkaDecodeError for malformed bytes,
 * including bytes left over after the body.
 */
export function decodeRequest(apiKey: number, apiVersion: number, reader: KafkaReader): DecodedRequest {
  const codec = codecFor(apiKey, apiVersion);
  const body = codec.decodeRequest(reader);
  reader.expectEnd(`api key ${apiKey} v${apiVersion} request`);
  return { apiKey, apiVersion, body } as DecodedRequest;
}

/** Encodes a response body (no header, no size prefix). */
export function encodeResponse<K extends SupportedApiKey>(apiKey: K, apiVersion: number, body: ApiBodies[K]['response']): Buffer {
  const writer = new KafkaWriter();
  codecFor(apiKey, apiVersion).encodeResponse(writer, body);
  return writer.toBuffer();
}

/** A complete response frame: int32 size, response header (v0 or v1 as the API requires), body. */
export function encodeResponseFrame<K extends SupportedApiKey>(
  request: { apiKey: K; apiVersion: number; correlationId: number },
  body: ApiBodies[K]['response'],
): Buffer {
  const writer = new KafkaWriter();
  writer.writeInt32(0);
  encodeResponseHeader(writer, request.correlationId, responseHeaderVersion(request.apiKey, request.apiVersion));
  codecFor(request.apiKey, request.apiVersion).encodeResponse(writer, body);
  const frame = writer.toBuffer();
  frame.writeInt32BE(frame.length - 4, 0);
  return frame;
}

/**
 * Produce's advertised minimum is 0 although v0–v2 are refused (the connection is closed), as
 * Kafka 4.0 does (KAFKA-18659): librdkafka before 2.10 checks that Produce v0 is in range before
 * it compresses with gzip, snappy or lz4, and otherwise silently sends those batches uncompressed.
 */
const ADVERTISED_PRODUCE_MIN_VERSION = 0;

/** The ranges to advertise in an ApiVersions response. */
export function supportedApiVersionRanges(): ApiVersionRange[] {
  return [...SUPPORTED_API_VERSIONS].map(([apiKey, range]) => ({
    apiKey,
    minVersion: apiKey === ApiKey.Produce ? ADVERTISED_PRODUCE_MIN_VERSION : range.min,
    maxVersion: range.max,
  }));
}

/**
 * The answer to an ApiVersions request of a version we do not support: a v0 body (every client
 * can read it) with UNSUPPORTED_VERSION and, as Kafka does since KIP-511, the ApiVersions range
 * so the client can retry with a version we speak.
 */
export function encodeUnsupportedApiVersionsFrame(correlationId: number): Buffer {
  const range = SUPPORTED_API_VERSIONS.get(ApiKey.ApiVersions) as { min: number; max: number };
  const body: ApiVersionsResponse = {
    errorCode: ErrorCode.UNSUPPORTED_VERSION,
    apiKeys: [{ apiKey: ApiKey.ApiVersions, minVersion: range.min, maxVersion: range.max }],
    throttleTimeMs: 0,
  };
  const writer = new KafkaWriter();
  writer.writeInt32(0);
  encodeResponseHeader(writer, correlationId, 0);
  apiVersionsV0.encodeResponse(writer, body);
  const frame = writer.toBuffer();
  frame.writeInt32BE(frame.length - 4, 0);
  return frame;
}
