/**
 * The shape of one API version's codec. Broker side: decodeRequest + encodeResponse. Client
 * side (replica fetchers, tests, tools): encodeRequest + decodeResponse. Each reads or writes the
 * body only — the header is header.ts's job, framing (int32 size prefix) the connection's.
 */
import type { KafkaReader } from './primitives/reader.js';
import type { KafkaWriter } from './primitives/writer.js';

export interface VersionCodec<Request, Response> {
  readonly apiKey: number;
  readonly apiVersion: number;
  decodeRequest(reader: KafkaReader): Request;
  encodeRequest(writer: KafkaWriter, request: Request): void;
  encodeResponse(writer: KafkaWriter, response: Response): void;
  decodeResponse(reader: KafkaReader): Response;
}
