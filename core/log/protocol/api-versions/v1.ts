/** ApiVersions v1: the response gains throttle_time_ms after the ranges. */
import { ApiKey } from '../api-keys.js';
import type { VersionCodec } from '../codec.js';
import type { ApiVersionsRequest, ApiVersionsResponse } from './types.js';
import { readRange, writeRange } from './v0.js';

export const apiVersionsV1: VersionCodec<ApiVersionsRequest, ApiVersionsResponse> = {
  apiKey: ApiKey.ApiVersions,
  apiVersion: 1,
  decodeRequest: () => ({ clientSoftwareName: null, clientSoftwareVersion: null }),
  encodeRequest: () => undefined,
  encodeResponse(writer, response) {
    writer.writeInt16(response.errorCode).writeArray(response.apiKeys, writeRange).writeInt32(response.throttleTimeMs);
  },
  decodeResponse(reader) {
    const errorCode = reader.readInt16();
    const apiKeys = reader.readArray(readRange);
    return { errorCode, apiKeys, throttleTimeMs: reader.readInt32() };
  },
};
