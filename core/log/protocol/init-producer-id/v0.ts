/** InitProducerId v0: classic fields. */
import { ApiKey } from '../api-keys.js';
import type { VersionCodec } from '../codec.js';
import { readRequestClassic, readResponse, writeRequestClassic, writeResponse } from './fields.js';
import type { InitProducerIdRequest, InitProducerIdResponse } from './types.js';

export const initProducerIdV0: VersionCodec<InitProducerIdRequest, InitProducerIdResponse> = {
  apiKey: ApiKey.InitProducerId,
  apiVersion: 0,
  decodeRequest: readRequestClassic,
  encodeRequest: writeRequestClassic,
  encodeResponse: (writer, response) => writeResponse(writer, response, false),
  decodeResponse: (reader) => readResponse(reader, false),
};
