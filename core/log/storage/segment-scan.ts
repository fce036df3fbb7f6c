/**
 * Walks the batches of a segment file in chunks (never the whole file in memory): recovery
 * verifies every CRC, offset lookups read only headers. Stops at the end of the file, at the
 * first invalid batch (reporting why), or when the visitor says so.
 */
import type { FileHandle } from 'node:fs/promises';
import { CorruptRecordBatchError } from './errors.js';
import { BATCH_HEADER_BYTES, readBatchHeader, verifyBatchBody, type PositionedBatch } from './record-batch.js';

export interface ScanOptions {
  fromPosition: number;
  /** Scan up to here (the file size, or the size the log knows to be complete). */
  endPosition: number;
  verifyCrc: boolean;
  maxBatchBytes: number;
  chunkBytes: number;
}

export interface ScanResult {
  /** End of the last batch visited whole: where a torn tail starts. */
  validEndPosition: number;
  /** Why the scan stopped early, if it met a bad batch. */
  corruption: CorruptRecordBatchError | undefined;
}

/** A window of the file: bytes [start, start + bytes.length). */
class FileWindow {
  start = 0;
  bytes = Buffer.alloc(0);

  constructor(
    private readonly handle: FileHandle,
    private readonly endPosition: number,
  ) {}

  /** Makes [position, position + length) available (as much of it as the file holds). */
  async ensure(position: number, length: number, chunkBytes: number): Promise<void> {
    if (position >= this.start && position + length <= this.start + this.bytes.length) return;
    const size = Math.min(Math.max(length, chunkBytes), this.endPosition - position);
    const bytes = Buffer.allocUnsafe(size);
    let read = 0;
    while (read < size) {
      const { bytesRead } = await this.handle.read(bytes, read, size - read, position + read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    this.start = position;
    this.bytes = bytes.subarray(0, read);
  }
}

/** Visits batches in order; `visit` returns false to stop before the next one. */
export async function scanBatches(handle: FileHandle, options: ScanOptions, visit: (batch: PositionedBatch) => boolean | void): Promise<ScanResult> {
  const window = new FileWindow(handle, options.endPosition);
  let position = options.fromPosition;
  while (position < options.endPosition) {
    let batch: PositionedBatch;
    try {
      batch = await readBatchAt(window, position, options);
    } catch (error) {
      if (error instanceof CorruptRecordBatchError) return { validEndPosition: position, corruption: error };
      throw error;
    }
    position += batch.header.sizeBytes;
    if (visit(batch) === false) break;
  }
  return { validEndPosition: position, corruption: undefined };
}

async function readBatchAt(window: FileWindow, position: number, options: ScanOptions): Promise<PositionedBatch> {
  await window.ensure(position, BATCH_HEADER_BYTES, options.chunkBytes);
  const header = withFilePosition(position, () => readBatchHeader(window.bytes, position - window.start, options.maxBatchBytes));
  if (position + header.sizeBytes > options.endPosition) {
    throw new CorruptRecordBatchError('BATCH_TRUNCATED', position, `batch of ${header.sizeBytes} bytes runs past the end of the file`);
  }
  if (options.verifyCrc) {
    await window.ensure(position, header.sizeBytes, options.chunkBytes);
    withFilePosition(position, () => verifyBatchBody(window.bytes, position - window.start, header));
  }
  return { position, header };
}

/** Re-reports a parse error at its file position rather than its position in the window. */
function withFilePosition<T>(position: number, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof CorruptRecordBatchError) throw new CorruptRecordBatchError(error.code, position, error.reason);
    throw error;
  }
}
