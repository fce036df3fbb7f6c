/**
 * Rewrites one stored record batch keeping only some of its records, as Kafka's cleaner does
 * (MemoryRecords.filterTo):
 * - a batch whose records all survive is kept byte for byte (compressed ones stay compressed);
 * - otherwise the survivors are written into a new, uncompressed batch that keeps the header's
 *   baseOffset, lastOffsetDelta (so the batch still spans its original offsets and a consumer
 *   moves past it), partition leader epoch, producer id, epoch and base sequence (so the
 *   idempotent-producer table rebuilt from headers is unchanged) and every record's offset and
 *   timestamp. Kafka recompresses with the original codec; writing uncompressed only costs disk;
 * - a batch left empty is dropped, unless `retainEmpty` (the producer's last batch: Kafka keeps
 *   its header so the producer's sequence survives the cleaning);
 * - control batches (transaction markers) are kept as they are.
 */
import { KafkaWriter } from '../protocol/primitives/writer.js';
import { decodeBatchRecords, type LogRecord } from '../records/record-decoder.js';
import { BATCH_FIELD, BATCH_HEADER_BYTES, LOG_OVERHEAD_BYTES, TIMESTAMP_TYPE_LOG_APPEND_TIME, crc32c, type RecordBatchHeader } from '../storage/index.js';
import type { PlannedRecord } from './plan.js';

const CONTROL_BATCH_BIT = 0x20;
const COMPRESSION_BITS = 0x07;

/** The planner's view of a record: key as a latin1 string (one char per byte, so distinct keys stay distinct). */
export function plannedRecordOf(record: LogRecord, header: RecordBatchHeader): PlannedRecord {
  const logAppendTime = (header.attributes & TIMESTAMP_TYPE_LOG_APPEND_TIME) !== 0;
  return { offset: record.offset, key: record.key === null ? null : record.key.toString('latin1'), tombstone: record.value === null, timestampMs: logAppendTime ? header.maxTimestamp : record.timestampMs };
}

export function isControlBatch(header: RecordBatchHeader): boolean {
  return (header.attributes & CONTROL_BATCH_BIT) !== 0;
}

function writeNullableBytes(writer: KafkaWriter, bytes: Buffer | null): void {
  if (bytes === null) writer.writeVarInt(-1);
  else writer.writeVarInt(bytes.length).writeRaw(bytes);
}

function encodeRecord(record: LogRecord, header: RecordBatchHeader): Buffer {
  const body = new KafkaWriter();
  body.writeInt8(0).writeVarLong(BigInt(record.timestampMs - header.baseTimestamp)).writeVarInt(record.offset - header.baseOffset);
  writeNullableBytes(body, record.key);
  writeNullableBytes(body, record.value);
  body.writeVarInt(record.headers.length);
  for (const recordHeader of record.headers) {
    const key = Buffer.from(recordHeader.key, 'utf8');
    body.writeVarInt(key.length).writeRaw(key);
    writeNullableBytes(body, recordHeader.value);
  }
  const bytes = body.toBuffer();
  return new KafkaWriter().writeVarInt(bytes.length).writeRaw(bytes).toBuffer();
}

/** A new uncompressed batch with `header`'s identity holding `records` (possibly none). */
export function encodeFilteredBatch(header: RecordBatchHeader, records: readonly LogRecord[]): Buffer {
  const body = Buffer.concat(records.map((record) => encodeRecord(record, header)));
  const batch = Buffer.alloc(BATCH_HEADER_BYTES + body.length);
  const logAppendTime = (header.attributes & TIMESTAMP_TYPE_LOG_APPEND_TIME) !== 0;
  const maxTimestamp = logAppendTime || records.length === 0 ? header.maxTimestamp : Math.max(...records.map((record) => record.timestampMs));
  batch.writeBigInt64BE(BigInt(header.baseOffset), BATCH_FIELD.baseOffset);
  batch.writeInt32BE(batch.length - LOG_OVERHEAD_BYTES, BATCH_FIELD.batchLength);
  batch.writeInt32BE(header.partitionLeaderEpoch, BATCH_FIELD.partitionLeaderEpoch);
  batch.writeInt8(header.magic, BATCH_FIELD.magic);
  batch.writeInt16BE(header.attributes & ~COMPRESSION_BITS, BATCH_FIELD.attributes);
  batch.writeInt32BE(header.lastOffsetDelta, BATCH_FIELD.lastOffsetDelta);
  batch.writeBigInt64BE(BigInt(header.baseTimestamp), BATCH_FIELD.baseTimestamp);
  batch.writeBigInt64BE(BigInt(maxTimestamp), BATCH_FIELD.maxTimestamp);
  batch.writeBigInt64BE(BigInt(header.producerId), BATCH_FIELD.producerId);
  batch.writeInt16BE(header.producerEpoch, BATCH_FIELD.producerEpoch);
  batch.writeInt32BE(header.baseSequence, BATCH_FIELD.baseSequence);
  batch.writeInt32BE(records.length, BATCH_FIELD.recordsCount);
  body.copy(batch, BATCH_HEADER_BYTES);
  batch.writeUInt32BE(crc32c(batch, BATCH_FIELD.attributes), BATCH_FIELD.crc);
  return batch;
}

/** The batch to store instead of `batch` (one whole stored batch), or undefined to drop it. */
export function rewriteBatch(batch: Buffer, header: RecordBatchHeader, keep: (record: PlannedRecord) => boolean, retainEmpty: boolean): Buffer | undefined {
  if (isControlBatch(header)) return batch;
  const records = decodeBatchRecords(batch);
  const kept = records.filter((record) => keep(plannedRecordOf(record, header)));
  if (kept.length === records.length) return batch;
  if (kept.length === 0 && !retainEmpty) return undefined;
  return encodeFilteredBatch(header, kept);
}
