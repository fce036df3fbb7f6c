/** Metadata v3: the response starts with throttle_time_ms; the rest is v2. */
import { ApiKey } from '../api-keys.js';
import type { VersionCodec } from '../codec.js';
import type { MetadataRequest, MetadataResponse } from './types.js';
import { metadataV2 } from './v2.js';

export const metadataV3: VersionCodec<MetadataRequest, MetadataResponse> = {
  apiKey: ApiKey.Metadata,
  apiVersion: 3,
  decodeRequest: metadataV2.decodeRequest,
  encodeRequest: metadataV2.encodeRequest,
  encodeResponse(writer, response) {
    writer.writeInt32(response.throttleTimeMs);
    metadataV2.encodeResponse(writer, response);
  },
  decodeResponse(reader) {
    const throttleTimeMs = reader.readInt32();
    return { ...metadataV2.decodeResponse(reader), throttleTimeMs };
  },
};
