/**
 * Reads the records inside a record batch v2 (what consumers and the log spout need; the broker
 * itself only walks records to validate them). Every codec Kafka has is decoded: none, gzip,
 * snappy, lz4 and zstd (compression/codecs.ts).
 */
import { codecOf, decompress } from '../compression/codecs.js';
import { KafkaReader } from '../protocol/index.js';
import { BATCH_HEADER_BYTES, readBatchHeader, type RecordBatchHeader } from '../storage/index.js';

export interface LogRecord {
  offset: number;
  timestampMs: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: Array<{ key: string; value: Buffer | null }>;
}

/** Attribute bit 5: a control batch (transaction markers), which carries no user records. */
const CONTROL_BATCH_BIT = 0x20;

function recordsBytes(batch: Buffer, header: RecordBatchHeader): Buffer {
  return decompress(codecOf(header.attributes), batch.subarray(BATCH_HEADER_BYTES, header.sizeBytes));
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
