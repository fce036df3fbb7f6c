/**
 * Reads a data file record by record from byte 0, verifying every CRC, in chunks (a large file is
 * never held whole in memory). Stops at the end of the file or at the first record that is short
 * (a torn write) or fails its checks: everything before that point is intact, nothing from it on
 * can be trusted, so recovery cuts the file there.
 */
import type { DataFile } from './data-file.js';
import type { LocatedRecord } from './hint-file.js';
import { SCAN_CHUNK_BYTES } from './limits.js';
import { decodeRecordHeader, keyOf, RECORD_HEADER_BYTES, verifyRecord } from './record.js';

export interface ScanResult {
  /** End of the last intact record: where a torn or corrupt tail starts. */
  validEndPosition: number;
  /** Why the scan stopped before the end of the file, if it did. */
  corruption: string | undefined;
}

/** A window onto the file: bytes [start, start + bytes.length). */
class ChunkedReader {
  private start = 0;
  private bytes: Buffer = Buffer.alloc(0);

  constructor(private readonly file: DataFile) {}

  /** Bytes [position, position + length), or undefined if the file ends first. */
  async read(position: number, length: number): Promise<Buffer | undefined> {
    const end = this.file.sizeBytes;
    if (position + length > end) return undefined;
    if (position < this.start || position + length > this.start + this.bytes.length) {
      this.start = position;
      this.bytes = await this.file.read(position, Math.min(Math.max(length, SCAN_CHUNK_BYTES), end - position));
      if (this.bytes.length < length) return undefined;
    }
    return this.bytes.subarray(position - this.start, position - this.start + length);
  }
}

export async function scanDataFile(file: DataFile, visit: (record: LocatedRecord) => void): Promise<ScanResult> {
  const reader = new ChunkedReader(file);
  let position = 0;
  while (position < file.sizeBytes) {
    const headerBytes = await reader.read(position, RECORD_HEADER_BYTES);
    if (headerBytes === undefined) return { validEndPosition: position, corruption: 'partial record header at the end of the file' };
    const header = decodeRecordHeader(headerBytes, 0);
    if (!header.ok) return { validEndPosition: position, corruption: header.reason };
    const record = await reader.read(position, header.value.recordSizeBytes);
    if (record === undefined) return { validEndPosition: position, corruption: `record of ${header.value.recordSizeBytes} bytes runs past the end of the file` };
    const checked = verifyRecord(record);
    if (!checked.ok) return { validEndPosition: position, corruption: checked.reason };
    // Copy the key out of the window, which the next chunk replaces.
    visit({ ...checked.value, key: Buffer.from(keyOf(record, checked.value)), position });
    position += checked.value.recordSizeBytes;
  }
  return { validEndPosition: position, corruption: undefined };
}
