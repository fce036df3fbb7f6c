/**
 * Produce to a compacted topic: a record without a key could never be compacted away (nor
 * found by key), so Kafka refuses the request with INVALID_RECORD ("Compacted topic cannot accept
 * message without key") and so does this broker. Compressed batches are decompressed to look.
 */
import { decodeBatchRecords } from '../records/record-decoder.js';
import { readBatchHeader } from '../storage/index.js';
import { isControlBatch } from './batch-rewrite.js';

/** True if some record of the batches in `records` has a null key. Unreadable batches answer
 * false: the log's own validation rejects them with the right error. */
export function hasKeylessRecord(records: Buffer): boolean {
  try {
    for (let position = 0; position < records.length; ) {
      const header = readBatchHeader(records, position);
      const batch = records.subarray(position, position + header.sizeBytes);
      if (!isControlBatch(header) && decodeBatchRecords(batch).some((record) => record.key === null)) return true;
      position += header.sizeBytes;
    }
  } catch {
    return false;
  }
  return false;
}
