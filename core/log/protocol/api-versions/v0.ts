/** ApiVersions v0: empty request; response = error_code [api_key min_version max_version]. */
import { ApiKey } from '../api-keys.js';
import type { VersionCodec } from '../codec.js';
import type { KafkaReader } from '../primitives/reader.js';
import type { KafkaWriter } from '../primitives/writer.js';
import type { ApiVersionRange, ApiVersionsRequest, ApiVersionsResponse } from './types.js';

export function writeRange(writer: KafkaWriter, range: ApiVersionRange): void {
  writer.writeInt16(range.apiKey).writeInt16(range.minVersion).writeInt16(range.maxVersion);
}

export function readRange(reader: KafkaReader): ApiVersionRange {
  return { apiKey: reader.readInt16(), minVersion: reader.readInt16(), maxVersion: reader.readInt16() };
}

export const apiVersionsV0: VersionCodec<ApiVersionsRequest, ApiVersionsResponse> = {
  apiKey: ApiKey.ApiVersions,
  apiVersion: 0,
  decodeRequest: () => ({ clientSoftwareName: null, clientSoftwareVersion: null }),
  encodeRequest: () => undefined,
  encodeResponse(writer, response) {
    writer.writeInt16(response.errorCode).writeArray(response.apiKeys, writeRange);
  },
  decodeResponse(reader) {
    return { errorCode: reader.readInt16(), apiKeys: reader.readArray(readRange), throttleTimeMs: 0 };
  },
};
