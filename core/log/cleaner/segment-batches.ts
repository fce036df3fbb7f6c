/**
 * Reads the batches of a closed segment file one by one through a read-ahead window, so a large
 * segment is never held in memory at once. Batches are validated (CRC) as they are read: a
 * cleaning must never copy a damaged batch into a cleaned segment.
 */
import { open } from 'node:fs/promises';
import { LOG_OVERHEAD_BYTES, validateBatch, type RecordBatchHeader } from '../storage/index.js';

const READ_AHEAD_BYTES = 1024 * 1024;

export interface SegmentBatch {
  bytes: Buffer;
  header: RecordBatchHeader;
}

/** Every batch in [0, sizeBytes) of the file at `path`, in order. */
export async function* segmentBatches(path: string, sizeBytes: number): AsyncGenerator<SegmentBatch> {
  const handle = await open(path, 'r');
  try {
    let window = Buffer.alloc(0);
    let windowStart = 0;
    const ensure = async (position: number, length: number): Promise<void> => {
      if (position >= windowStart && position + length <= windowStart + window.length) return;
      const size = Math.min(Math.max(length, READ_AHEAD_BYTES), sizeBytes - position);
      const bytes = Buffer.alloc(size);
      const { bytesRead } = await handle.read(bytes, 0, size, position);
      window = bytes.subarray(0, bytesRead);
      windowStart = position;
    };
    for (let position = 0; position < sizeBytes; ) {
      await ensure(position, LOG_OVERHEAD_BYTES);
      const length = LOG_OVERHEAD_BYTES + window.readInt32BE(position - windowStart + 8);
      await ensure(position, length);
      const bytes = window.subarray(position - windowStart, position - windowStart + length);
      yield { bytes, header: validateBatch(bytes, 0, Number.MAX_SAFE_INTEGER) };
      position += length;
    }
  } finally {
    await handle.close();
  }
}
