/** InitProducerId v1: as v0 (the response may be throttled first). */
import { ApiKey } from '../api-keys.js';
import type { VersionCodec } from '../codec.js';
import { readRequestClassic, readResponse, writeRequestClassic, writeResponse } from './fields.js';
import type { InitProducerIdRequest, InitProducerIdResponse } from './types.js';

export const initProducerIdV1: VersionCodec<InitProducerIdRequest, InitProducerIdResponse> = {
  apiKey: ApiKey.InitProducerId,
  apiVersion: 1,
  decodeRequest: readRequestClassic,
  encodeRequest: writeRequestClassic,
  encodeResponse: (writer, response) => writeResponse(writer, response, false),
  decodeResponse: (reader) => readResponse(reader, false),
};
