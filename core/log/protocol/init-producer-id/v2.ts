/** InitProducerId v2: the first flexible version (compact nullable string, tagged fields). */
import { ApiKey } from '../api-keys.js';
import type { VersionCodec } from '../codec.js';
import { readRequestFlexible, readResponse, writeRequestFlexible, writeResponse } from './fields.js';
import type { InitProducerIdRequest, InitProducerIdResponse } from './types.js';

export const initProducerIdV2: VersionCodec<InitProducerIdRequest, InitProducerIdResponse> = {
  apiKey: ApiKey.InitProducerId,
  apiVersion: 2,
  decodeRequest: (reader) => readRequestFlexible(reader, false),
  encodeRequest: (writer, request) => writeRequestFlexible(writer, request, false),
  encodeResponse: (writer, response) => writeResponse(writer, response, true),
  decodeResponse: (reader) => readResponse(reader, true),
};
