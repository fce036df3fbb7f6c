/**
 * Record batch v2 (magic 2) headers, read straight from the bytes a producer sent, so batches are
 * stored as received. Layout (big-endian), from Kafka's DefaultRecordBatch:
 *
 *   0 baseOffset int64 · 8 batchLength int32 · 12 partitionLeaderEpoch int32 · 16 magic int8
 *   17 crc uint32 · 21 attributes int16 · 23 lastOffsetDelta int32 · 27 baseTimestamp int64
 *   35 maxTimestamp int64 · 43 producerId int64 · 51 producerEpoch int16 · 53 baseSequence int32
 *   57 recordsCount int32 · 61 records
 *
 * batchLength counts the bytes after itself; the CRC-32C covers attributes to the end. Because
 * baseOffset and partitionLeaderEpoch lie outside the CRC, the broker assigns offsets by
 * rewriting them in place — no re-encoding, no re-checksumming.
 */
import { crc32c } from './crc32c.js';
import { CorruptRecordBatchError } from './errors.js';
import { MAX_BATCH_BYTES } from './limits.js';

export const BATCH_FIELD = {
  baseOffset: 0,
  batchLength: 8,
  partitionLeaderEpoch: 12,
  magic: 16,
  crc: 17,
  attributes: 21,
  lastOffsetDelta: 23,
  baseTimestamp: 27,
  maxTimestamp: 35,
  producerId: 43,
  producerEpoch: 51,
  baseSequence: 53,
  recordsCount: 57,
} as const;

/** baseOffset + batchLength: the bytes not counted by batchLength. */
export const LOG_OVERHEAD_BYTES = 12;
export const BATCH_HEADER_BYTES = 61;
export const CURRENT_MAGIC = 2;
/** Attribute bit 3: timestamps are the broker's append time, not the producer's create time. */
export const TIMESTAMP_TYPE_LOG_APPEND_TIME = 0x08;

export interface RecordBatchHeader {
  baseOffset: number;
  /** Whole batch on disk: LOG_OVERHEAD_BYTES + batchLength. */
  sizeBytes: number;
  partitionLeaderEpoch: number;
  magic: number;
  crc: number;
  attributes: number;
  lastOffsetDelta: number;
  baseTimestamp: number;
  maxTimestamp: number;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  recordsCount: number;
  /** baseOffset + lastOffsetDelta. */
  lastOffset: number;
}

/**
 * The header of the batch at `position`, checking what can be checked without the body: enough
 * bytes for the header, magic 2, a length within [header, maxBatchBytes]. Does not check that the
 * whole body is present nor the CRC (see validateBatch).
 */
export function readBatchHeader(buffer: Buffer, position: number, maxBatchBytes = MAX_BATCH_BYTES): RecordBatchHeader {
  const available = buffer.length - position;
  if (available < BATCH_HEADER_BYTES) throw new CorruptRecordBatchError('BATCH_TRUNCATED', position, `${available} bytes left, a header needs ${BATCH_HEADER_BYTES}`);
  const magic = buffer.readInt8(position + BATCH_FIELD.magic);
  if (magic !== CURRENT_MAGIC) throw new CorruptRecordBatchError('BATCH_BAD_MAGIC', position, `magic ${magic}, only ${CURRENT_MAGIC} is supported`);
  const sizeBytes = LOG_OVERHEAD_BYTES + buffer.readInt32BE(position + BATCH_FIELD.batchLength);
  if (sizeBytes < BATCH_HEADER_BYTES || sizeBytes > maxBatchBytes) {
    throw new CorruptRecordBatchError('BATCH_BAD_LENGTH', position, `batch size ${sizeBytes} outside [${BATCH_HEADER_BYTES}, ${maxBatchBytes}]`);
  }
  const baseOffset = Number(buffer.readBigInt64BE(position + BATCH_FIELD.baseOffset));
  const lastOffsetDelta = buffer.readInt32BE(position + BATCH_FIELD.lastOffsetDelta);
  return {
    baseOffset,
    sizeBytes,
    partitionLeaderEpoch: buffer.readInt32BE(position + BATCH_FIELD.partitionLeaderEpoch),
    magic,
    crc: buffer.readUInt32BE(position + BATCH_FIELD.crc),
    attributes: buffer.readInt16BE(position + BATCH_FIELD.attributes),
    lastOffsetDelta,
    baseTimestamp: Number(buffer.readBigInt64BE(position + BATCH_FIELD.baseTimestamp)),
    maxTimestamp: Number(buffer.readBigInt64BE(position + BATCH_FIELD.maxTimestamp)),
    producerId: Number(buffer.readBigInt64BE(position + BATCH_FIELD.producerId)),
    producerEpoch: buffer.readInt16BE(position + BATCH_FIELD.producerEpoch),
    baseSequence: buffer.readInt32BE(position + BATCH_FIELD.baseSequence),
    recordsCount: buffer.readInt32BE(position + BATCH_FIELD.recordsCount),
    lastOffset: baseOffset + lastOffsetDelta,
  };
}

/** Throws unless the whole batch of `header` at `position` is present and its CRC-32C matches. */
export function verifyBatchBody(buffer: Buffer, position: number, header: RecordBatchHeader): void {
  const end = position + header.sizeBytes;
  if (end > buffer.length) throw new CorruptRecordBatchError('BATCH_TRUNCATED', position, `batch of ${header.sizeBytes} bytes but only ${buffer.length - position} present`);
  const actual = crc32c(buffer, position + BATCH_FIELD.attributes, end);
  if (actual !== header.crc) throw new CorruptRecordBatchError('BATCH_BAD_CRC', position, `CRC-32C ${hex(actual)} but the header says ${hex(header.crc)}`);
  if (header.lastOffsetDelta < 0 || header.recordsCount < 0) {
    throw new CorruptRecordBatchError('BATCH_BAD_RECORD_COUNT', position, `lastOffsetDelta ${header.lastOffsetDelta}, recordsCount ${header.recordsCount}`);
  }
}

/** readBatchHeader + verifyBatchBody: the full check applied to every batch on append and recovery. */
export function validateBatch(buffer: Buffer, position: number, maxBatchBytes = MAX_BATCH_BYTES): RecordBatchHeader {
  const header = readBatchHeader(buffer, position, maxBatchBytes);
  verifyBatchBody(buffer, position, header);
  return header;
}

export interface PositionedBatch {
  position: number;
  header: RecordBatchHeader;
}

/** Every batch of `buffer`, validated, in order; throws on the first bad one (a torn tail included). */
export function* iterateBatches(buffer: Buffer, maxBatchBytes = MAX_BATCH_BYTES): Generator<PositionedBatch> {
  for (let position = 0; position < buffer.length; ) {
    const header = validateBatch(buffer, position, maxBatchBytes);
    yield { position, header };
    position += header.sizeBytes;
  }
}

/** Assigns the batch its log offsets and leader epoch by rewriting the two fields outside the CRC. */
export function assignOffsets(buffer: Buffer, position: number, baseOffset: number, partitionLeaderEpoch: number): void {
  buffer.writeBigInt64BE(BigInt(baseOffset), position + BATCH_FIELD.baseOffset);
  buffer.writeInt32BE(partitionLeaderEpoch, position + BATCH_FIELD.partitionLeaderEpoch);
}

/**
 * Marks the batch as LogAppendTime with `timestampMs` as its max timestamp (what Kafka does for
 * topics with message.timestamp.type=LogAppendTime). These fields are inside the CRC, so unlike
 * assignOffsets this recomputes it — still no re-encoding of records.
 */
export function stampLogAppendTime(buffer: Buffer, position: number, header: RecordBatchHeader, timestampMs: number): void {
  buffer.writeInt16BE(header.attributes | TIMESTAMP_TYPE_LOG_APPEND_TIME, position + BATCH_FIELD.attributes);
  buffer.writeBigInt64BE(BigInt(timestampMs), position + BATCH_FIELD.maxTimestamp);
  buffer.writeUInt32BE(crc32c(buffer, position + BATCH_FIELD.attributes, position + header.sizeBytes), position + BATCH_FIELD.crc);
}

function hex(value: number): string {
  return `0x${value.toString(16).padStart(8, '0')}`;
}
