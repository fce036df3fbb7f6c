/**
 * Builds an uncompressed record batch v2 from keys and values: what the broker itself writes to
 * its internal topics (`__consumer_offsets`). Producers' batches are never rebuilt; they are
 * stored as received.
 */
import { KafkaWriter } from '../protocol/primitives/writer.js';
import { BATCH_FIELD, BATCH_HEADER_BYTES, CURRENT_MAGIC, LOG_OVERHEAD_BYTES, crc32c } from '../storage/index.js';

export interface RecordToWrite {
  key: Buffer | null;
  value: Buffer | null;
}

function writeNullableVarBytes(writer: KafkaWriter, bytes: Buffer | null): void {
  if (bytes === null) writer.writeVarInt(-1);
  else writer.writeVarInt(bytes.length).writeRaw(bytes);
}

/** One batch holding `records` (at least one), all stamped `timestampMs`; offsets are assigned by the log. */
export function encodeRecordBatch(records: readonly RecordToWrite[], timestampMs: number): Buffer {
  if (records.length === 0) throw new RangeError('a record batch holds at least one record');
  const body = new KafkaWriter();
  records.forEach((record, offsetDelta) => {
    const encoded = new KafkaWriter();
    encoded.writeInt8(0).writeVarLong(0n).writeVarInt(offsetDelta);
    writeNullableVarBytes(encoded, record.key);
    writeNullableVarBytes(encoded, record.value);
    encoded.writeVarInt(0); // no headers
    const bytes = encoded.toBuffer();
    body.writeVarInt(bytes.length).writeRaw(bytes);
  });
  const recordsBytes = body.toBuffer();
  const batch = Buffer.alloc(BATCH_HEADER_BYTES + recordsBytes.length);
  batch.writeBigInt64BE(0n, BATCH_FIELD.baseOffset);
  batch.writeInt32BE(batch.length - LOG_OVERHEAD_BYTES, BATCH_FIELD.batchLength);
  batch.writeInt32BE(-1, BATCH_FIELD.partitionLeaderEpoch);
  batch.writeInt8(CURRENT_MAGIC, BATCH_FIELD.magic);
  batch.writeInt16BE(0, BATCH_FIELD.attributes);
  batch.writeInt32BE(records.length - 1, BATCH_FIELD.lastOffsetDelta);
  batch.writeBigInt64BE(BigInt(timestampMs), BATCH_FIELD.baseTimestamp);
  batch.writeBigInt64BE(BigInt(timestampMs), BATCH_FIELD.maxTimestamp);
  batch.writeBigInt64BE(-1n, BATCH_FIELD.producerId);
  batch.writeInt16BE(-1, BATCH_FIELD.producerEpoch);
  batch.writeInt32BE(-1, BATCH_FIELD.baseSequence);
  batch.writeInt32BE(records.length, BATCH_FIELD.recordsCount);
  recordsBytes.copy(batch, BATCH_HEADER_BYTES);
  batch.writeUInt32BE(crc32c(batch, BATCH_FIELD.attributes), BATCH_FIELD.crc);
  return batch;
}
