/**
 * What the leader checks inside a producer's batch before storing it, as Kafka's LogValidator
 * does: the records (decompressed first if the batch is compressed — the only reason the broker
 * ever decompresses on append) are exactly recordsCount well-formed records whose offset deltas
 * run 0, 1, ..., recordsCount - 1, with no bytes left over. The batch itself is stored as
 * received; only the copy made for this walk is decompressed.
 */
import { CompressionError, codecOf, decompress } from '../compression/codecs.js';
import { CorruptRecordBatchError } from './errors.js';
import { BATCH_HEADER_BYTES, type RecordBatchHeader } from './record-batch.js';

/** Throws CorruptRecordBatchError unless the records of the batch at `position` match its header. */
export function validateBatchRecords(buffer: Buffer, position: number, header: RecordBatchHeader): void {
  const body = buffer.subarray(position + BATCH_HEADER_BYTES, position + header.sizeBytes);
  let records: Buffer;
  try {
    records = decompress(codecOf(header.attributes), body);
  } catch (error) {
    if (error instanceof CompressionError) throw new CorruptRecordBatchError('BATCH_BAD_COMPRESSION', position, error.message);
    throw error;
  }
  const walker = new VarintWalker(records, position);
  for (let index = 0; index < header.recordsCount; index++) {
    const length = walker.varint();
    const end = walker.at + length;
    if (length < 0 || end > records.length) walker.fail(`record ${index} of ${length} bytes overruns the records`);
    walker.skip(1); // attributes
    walker.varint(); // timestampDelta (a varlong; values beyond 2^53 only lose precision here)
    const offsetDelta = walker.varint();
    if (offsetDelta !== index) walker.fail(`record ${index} has offset delta ${offsetDelta}`);
    walker.at = end;
  }
  if (walker.at !== records.length) walker.fail(`${records.length - walker.at} bytes after the last of ${header.recordsCount} records`);
}

/** Zigzag varints over a byte range, failing as a corrupt batch at `batchPosition`. */
class VarintWalker {
  at = 0;
  constructor(
    private readonly bytes: Buffer,
    private readonly batchPosition: number,
  ) {}

  varint(): number {
    let unsigned = 0;
    for (let shift = 0; shift <= 63; shift += 7) {
      if (this.at >= this.bytes.length) this.fail('varint cut short');
      const byte = this.bytes[this.at++]!;
      unsigned += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return unsigned % 2 === 0 ? unsigned / 2 : -(unsigned + 1) / 2;
    }
    return this.fail('varint longer than 10 bytes');
  }

  skip(count: number): void {
    if (this.at + count > this.bytes.length) this.fail('record cut short');
    this.at += count;
  }

  fail(reason: string): never {
    throw new CorruptRecordBatchError('BATCH_BAD_RECORDS', this.batchPosition, reason);
  }
}
