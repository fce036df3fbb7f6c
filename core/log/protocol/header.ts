/**
 * Request header v0/v1/v2 and response header v0/v1 (RequestHeader.json, ResponseHeader.json).
 *
 * v1 adds the client id; v2 (flexible APIs) adds a tagged-field section — but the client id
 * stays a classic int16-length string so that any broker can read the header of any
 * ApiVersions request. Responses to ApiVersions always use header v0, even when flexible,
 * because the client reads that header before it knows what the broker supports.
 */
import { ApiKey, isFlexibleVersion } from './api-keys.js';
import type { KafkaReader, TaggedFields } from './primitives/reader.js';
import type { KafkaWriter } from './primitives/writer.js';

export interface RequestHeader {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  /** Absent (null) in header v0 and when the client sends a null string. */
  clientId: string | null;
  taggedFields: TaggedFields;
}

export type RequestHeaderVersion = 0 | 1 | 2;
export type ResponseHeaderVersion = 0 | 1;

/** Header v0 is used only by ControlledShutdown v0, which this broker does not serve. */
const CONTROLLED_SHUTDOWN_API_KEY = 7;

export function requestHeaderVersion(apiKey: number, apiVersion: number): RequestHeaderVersion {
  if (apiKey === CONTROLLED_SHUTDOWN_API_KEY && apiVersion === 0) return 0;
  return isFlexibleVersion(apiKey, apiVersion) ? 2 : 1;
}

export function responseHeaderVersion(apiKey: number, apiVersion: number): ResponseHeaderVersion {
  if (apiKey === ApiKey.ApiVersions) return 0;
  return isFlexibleVersion(apiKey, apiVersion) ? 1 : 0;
}

/** Reads the header whose version follows from the api key and version it starts with. */
export function decodeRequestHeader(reader: KafkaReader): RequestHeader {
  const apiKey = reader.readInt16();
  const apiVersion = reader.readInt16();
  const correlationId = reader.readInt32();
  const headerVersion = requestHeaderVersion(apiKey, apiVersion);
  const clientId = headerVersion >= 1 ? reader.readNullableString() : null;
  const taggedFields = headerVersion >= 2 ? reader.readTaggedFields() : new Map<number, Buffer>();
  return { apiKey, apiVersion, correlationId, clientId, taggedFields };
}

export function encodeRequestHeader(writer: KafkaWriter, header: Omit<RequestHeader, 'taggedFields'>): void {
  const headerVersion = requestHeaderVersion(header.apiKey, header.apiVersion);
  writer.writeInt16(header.apiKey).writeInt16(header.apiVersion).writeInt32(header.correlationId);
  if (headerVersion >= 1) writer.writeNullableString(header.clientId);
  if (headerVersion >= 2) writer.writeTaggedFields();
}

export function encodeResponseHeader(writer: KafkaWriter, correlationId: number, version: ResponseHeaderVersion): void {
  writer.writeInt32(correlationId);
  if (version >= 1) writer.writeTaggedFields();
}

export function decodeResponseHeader(reader: KafkaReader, version: ResponseHeaderVersion): { correlationId: number } {
  const correlationId = reader.readInt32();
  if (version >= 1) reader.readTaggedFields();
  return { correlationId };
}
