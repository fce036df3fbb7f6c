/**
 * Reads the records inside a record batch v2 (what consumers and the log spout need; the broker
 * itself never does this). Uncompressed and gzip batches are decoded; other codecs are reported,
 * not guessed at.
 */
import { gunzipSync } from 'node:zlib';
import { KafkaReader } from '../protocol/index.js';
import { BATCH_HEADER_BYTES, readBatchHeader, type RecordBatchHeader } from '../storage/index.js';

export interface LogRecord {
  offset: number;
  timestampMs: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: Array<{ key: string; value: Buffer | null }>;
}

const COMPRESSION_MASK = 0x07;
const COMPRESSION_NAMES = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];
/** Attribute bit 5: a control batch (transaction markers), which carries no user records. */
const CONTROL_BATCH_BIT = 0x20;

export class UnsupportedCompressionError extends Error {
  readonly code = 'UNSUPPORTED_COMPRESSION';
  constructor(readonly codec: number) {
    super(`record batch compressed with ${COMPRESSION_NAMES[codec] ?? `codec ${codec}`}, which this reader does not decode (none and gzip are supported)`);
    this.name = 'UnsupportedCompressionError';
  }
}

function recordsBytes(batch: Buffer, header: RecordBatchHeader): Buffer {
  const body = batch.subarray(BATCH_HEADER_BYTES, header.sizeBytes);
  const codec = header.attributes & COMPRESSION_MASK;
  if (codec === 0) return body;
  if (codec === 1) return gunzipSync(body);
  throw new UnsupportedCompressionError(codec);
}

function nullableBytes(reader: KafkaReader, field: string): Buffer | null {
  const length = reader.readVarInt();
  return length < 0 ? null : reader.readRaw(field, length);
}

/** The records of one batch starting at `batch[0]` (its header already validated by storage). */
export function decodeBatchRecords(batch: Buffer): LogRecord[] {
  const header = readBatchHeader(batch, 0);
  if ((header.attributes & CONTROL_BATCH_BIT) !== 0) return [];
  const reader = new KafkaReader(recordsBytes(batch, header));
  const records: LogRecord[] = [];
  for (let i = 0; i < header.recordsCount; i += 1) {
    reader.readVarInt(); // record length: the fields below delimit themselves
    reader.readInt8(); // attributes (unused in v2)
    const timestampDelta = reader.readVarLong();
    const offsetDelta = reader.readVarInt();
    const key = nullableBytes(reader, 'record key');
    const value = nullableBytes(reader, 'record value');
    const headers: LogRecord['headers'] = [];
    for (let count = reader.readVarInt(); count > 0; count -= 1) {
      const headerKey = reader.readRaw('header key', reader.readVarInt()).toString('utf8');
      headers.push({ key: headerKey, value: nullableBytes(reader, 'header value') });
    }
    records.push({ offset: header.baseOffset + offsetDelta, timestampMs: header.baseTimestamp + Number(timestampDelta), key, value, headers });
  }
  return records;
}
