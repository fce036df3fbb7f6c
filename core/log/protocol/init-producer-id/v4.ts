/** InitProducerId v4: as v3 (the client may be answered PRODUCER_FENCED instead of INVALID_PRODUCER_EPOCH, KIP-588). */
import { ApiKey } from '../api-keys.js';
import type { VersionCodec } from '../codec.js';
import { readRequestFlexible, readResponse, writeRequestFlexible, writeResponse } from './fields.js';
import type { InitProducerIdRequest, InitProducerIdResponse } from './types.js';

export const initProducerIdV4: VersionCodec<InitProducerIdRequest, InitProducerIdResponse> = {
  apiKey: ApiKey.InitProducerId,
  apiVersion: 4,
  decodeRequest: (reader) => readRequestFlexible(reader, true),
  encodeRequest: (writer, request) => writeRequestFlexible(writer, request, true),
  encodeResponse: (writer, response) => writeResponse(writer, response, true),
  decodeResponse: (reader) => readResponse(reader, true),
};
