/**
 * ApiVersions v3, the first flexible version: the request carries the client's software name and
 * version as compact strings; every struct ends with a tagged-field section. The broker sends no
 * tagged fields (no SupportedFeatures / FinalizedFeatures); a decoder skips any it receives.
 */
import { ApiKey } from '../api-keys.js';
import type { VersionCodec } from '../codec.js';
import type { KafkaReader } from '../primitives/reader.js';
import type { KafkaWriter } from '../primitives/writer.js';
import type { ApiVersionRange, ApiVersionsRequest, ApiVersionsResponse } from './types.js';

function writeRange(writer: KafkaWriter, range: ApiVersionRange): void {
  writer.writeInt16(range.apiKey).writeInt16(range.minVersion).writeInt16(range.maxVersion).writeTaggedFields();
}

function readRange(reader: KafkaReader): ApiVersionRange {
  const range = { apiKey: reader.readInt16(), minVersion: reader.readInt16(), maxVersion: reader.readInt16() };
  reader.readTaggedFields();
  return range;
}

export const apiVersionsV3: VersionCodec<ApiVersionsRequest, ApiVersionsResponse> = {
  apiKey: ApiKey.ApiVersions,
  apiVersion: 3,
  decodeRequest(reader) {
    const clientSoftwareName = reader.readCompactString();
    const clientSoftwareVersion = reader.readCompactString();
    reader.readTaggedFields();
    return { clientSoftwareName, clientSoftwareVersion };
  },
  encodeRequest(writer, request) {
    writer
      .writeCompactString(request.clientSoftwareName ?? '')
      .writeCompactString(request.clientSoftwareVersion ?? '')
      .writeTaggedFields();
  },
  encodeResponse(writer, response) {
    writer
      .writeInt16(response.errorCode)
      .writeCompactArray(response.apiKeys, writeRange)
      .writeInt32(response.throttleTimeMs)
      .writeTaggedFields();
  },
  decodeResponse(reader) {
    const errorCode = reader.readInt16();
    const apiKeys = reader.readCompactArray(readRange);
    const throttleTimeMs = reader.readInt32();
    reader.readTaggedFields();
    return { errorCode, apiKeys, throttleTimeMs };
  },
};
