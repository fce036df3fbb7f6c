/**
 * Test helper: encodes and decodes uncompressed record batches v2 the way a producer does, so
 * tests (and the crash test's child process, through dist/) can feed the log real batches.
 * Not used by the log itself, which never decodes records.
 */
import { crc32c } from './crc32c.js';
import { BATCH_FIELD, BATCH_HEADER_BYTES, LOG_OVERHEAD_BYTES, iterateBatches } from './record-batch.js';
import type { PartitionLog } from './partition-log.js';
import { decodeBatchRecords } from '../records/record-decoder.js';

export interface TestRecord {
  key?: Buffer | null;
  value: Buffer | null;
}

export interface TestBatchOptions {
  baseOffset?: number;
  baseTimestamp?: number;
  partitionLeaderEpoch?: number;
  producerId?: number;
}

function zigzagVarint(value: number): number[] {
  let zigzag = (BigInt(value) << 1n) ^ (BigInt(value) >> 63n);
  zigzag &= (1n << 64n) - 1n;
  const bytes: number[] = [];
  while (zigzag >= 0x80n) {
    bytes.push(Number((zigzag & 0x7fn) | 0x80n));
    zigzag >>= 7n;
  }
  bytes.push(Number(zigzag));
  return bytes;
}

function readVarint(buffer: Buffer, at: number): { value: number; next: number } {
  let result = 0n;
  let shift = 0n;
  let next = at;
  for (;;) {
    const byte = buffer[next++]!;
    result |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) break;
    shift += 7n;
  }
  return { value: Number((result >> 1n) ^ -(result & 1n)), next };
}

function bytesField(bytes: Buffer | null | undefined): Buffer {
  if (bytes === null || bytes === undefined) return Buffer.from(zigzagVarint(-1));
  return Buffer.concat([Buffer.from(zigzagVarint(bytes.length)), bytes]);
}

function encodeRecord(record: TestRecord, offsetDelta: number): Buffer {
  const body = Buffer.concat([
    Buffer.from([0]), // attributes
    Buffer.from(zigzagVarint(offsetDelta)), // timestampDelta: one ms per record
    Buffer.from(zigzagVarint(offsetDelta)),
    bytesField(record.key),
    bytesField(record.value),
    Buffer.from(zigzagVarint(0)), // headers
  ]);
  return Buffer.concat([Buffer.from(zigzagVarint(body.length)), body]);
}

/** A valid, uncompressed v2 batch holding `records` (at least one). */
export function encodeBatch(records: TestRecord[], options: TestBatchOptions = {}): Buffer {
  const baseTimestamp = options.baseTimestamp ?? 1_700_000_000_000;
  const body = Buffer.concat(records.map((record, i) => encodeRecord(record, i)));
  const batch = Buffer.alloc(BATCH_HEADER_BYTES + body.length);
  batch.writeBigInt64BE(BigInt(options.baseOffset ?? 0), BATCH_FIELD.baseOffset);
  batch.writeInt32BE(batch.length - LOG_OVERHEAD_BYTES, BATCH_FIELD.batchLength);
  batch.writeInt32BE(options.partitionLeaderEpoch ?? -1, BATCH_FIELD.partitionLeaderEpoch);
  batch.writeInt8(2, BATCH_FIELD.magic);
  batch.writeInt16BE(0, BATCH_FIELD.attributes);
  batch.writeInt32BE(records.length - 1, BATCH_FIELD.lastOffsetDelta);
  batch.writeBigInt64BE(BigInt(baseTimestamp), BATCH_FIELD.baseTimestamp);
  batch.writeBigInt64BE(BigInt(baseTimestamp + records.length - 1), BATCH_FIELD.maxTimestamp);
  batch.writeBigInt64BE(BigInt(options.producerId ?? -1), BATCH_FIELD.producerId);
  batch.writeInt16BE(-1, BATCH_FIELD.producerEpoch);
  batch.writeInt32BE(-1, BATCH_FIELD.baseSequence);
  batch.writeInt32BE(records.length, BATCH_FIELD.recordsCount);
  body.copy(batch, BATCH_HEADER_BYTES);
  batch.writeUInt32BE(crc32c(batch, BATCH_FIELD.attributes), BATCH_FIELD.crc);
  return batch;
}

/** A batch of string values. */
export function batchOf(values: string[], options: TestBatchOptions = {}): Buffer {
  return encodeBatch(
    values.map((value) => ({ value: Buffer.from(value) })),
    options,
  );
}

/** The values of an uncompressed batch's records, as strings (null values as null). */
export function decodeValues(batch: Buffer, position = 0): (string | null)[] {
  const count = batch.readInt32BE(position + BATCH_FIELD.recordsCount);
  const values: (string | null)[] = [];
  let at = position + BATCH_HEADER_BYTES;
  for (let i = 0; i < count; i++) {
    const length = readVarint(batch, at);
    const end = length.next + length.value;
    at = length.next + 1; // attributes
    at = readVarint(batch, at).next; // timestampDelta
    at = readVarint(batch, at).next; // offsetDelta
    const keyLength = readVarint(batch, at);
    at = keyLength.next + Math.max(0, keyLength.value);
    const valueLength = readVarint(batch, at);
    values.push(valueLength.value < 0 ? null : batch.toString('utf8', valueLength.next, valueLength.next + valueLength.value));
    at = end;
  }
  return values;
}

/** Every record of `log` from its start to its end, keys and values as UTF-8 (tests read logs back with it). */
export async function readAllRecords(log: PartitionLog): Promise<Array<{ offset: number; key: string | null; value: string | null }>> {
  const records: Array<{ offset: number; key: string | null; value: string | null }> = [];
  let offset = log.logStartOffset;
  while (offset < log.logEndOffset) {
    const buffers = await log.readBuffers(offset, 1 << 20);
    if (buffers.length === 0) break;
    for (const buffer of buffers) {
      for (const { position, header } of iterateBatches(buffer)) {
        for (const record of decodeBatchRecords(buffer.subarray(position, position + header.sizeBytes))) {
          records.push({ offset: record.offset, key: record.key?.toString() ?? null, value: record.value?.toString() ?? null });
        }
        offset = header.lastOffset + 1;
      }
    }
  }
  return records;
}
