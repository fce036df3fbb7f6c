/** InitProducerId v3: flexible; the request adds the producer's current producer_id and producer_epoch (KIP-360). */
import { ApiKey } from '../api-keys.js';
import type { VersionCodec } from '../codec.js';
import { readRequestFlexible, readResponse, writeRequestFlexible, writeResponse } from './fields.js';
import type { InitProducerIdRequest, InitProducerIdResponse } from './types.js';

export const initProducerIdV3: VersionCodec<InitProducerIdRequest, InitProducerIdResponse> = {
  apiKey: ApiKey.InitProducerId,
  apiVersion: 3,
  decodeRequest: (reader) => readRequestFlexible(reader, true),
  encodeRequest: (writer, request) => writeRequestFlexible(writer, request, true),
  encodeResponse: (writer, response) => writeResponse(writer, response, true),
  decodeResponse: (reader) => readResponse(reader, true),
};
