/**
 * Hint files, `<id>.hint`: for each record of a closed data file (tombstones too) its key,
 * position, size, sequence number and expiry — everything the key directory needs, without the
 * values, so opening the store reads kilobytes of hints instead of gigabytes of data.
 *
 * Layout: magic "BKH1", entries, then a trailer: entryCount u32, dataSizeBytes u64, CRC-32 u32 of
 * everything before the CRC. Entry (big-endian): flags u8, keySizeBytes u32, recordSizeBytes u32,
 * position u64, seq u64, writtenAtMs u64, expiresAtMs u64 (0 = never), key.
 *
 * A hint is trusted only if its CRC matches, its entries tile the data file exactly from byte 0,
 * and the data file has exactly the size it records. Anything else (a torn hint, a stale one left
 * by a file that grew since) makes the caller scan the data file instead: hints only ever save
 * time, they never decide what is stored.
 */
import { open, readFile } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { writeFully } from '../../core/files/durable.js';
import { MAX_KEY_BYTES, MAX_VALUE_BYTES } from './limits.js';
import { readUint53, RECORD_HEADER_BYTES, TOMBSTONE_FLAG, writeUint53, type Checked, type RecordFields } from './record.js';

const MAGIC = Buffer.from('BKH1', 'latin1');
const ENTRY_FIXED_BYTES = 41;
const TRAILER_BYTES = 16;
const NEVER_EXPIRES = 0;

/** A record as the key directory sees it: where it is and what it says, without its value. */
export interface LocatedRecord extends RecordFields {
  key: Buffer;
  position: number;
  recordSizeBytes: number;
}

export function encodeHintEntry(record: LocatedRecord): Buffer {
  const entry = Buffer.alloc(ENTRY_FIXED_BYTES + record.key.length);
  entry.writeUInt8(record.tombstone ? TOMBSTONE_FLAG : 0, 0);
  entry.writeUInt32BE(record.key.length, 1);
  entry.writeUInt32BE(record.recordSizeBytes, 5);
  writeUint53(entry, record.position, 9);
  writeUint53(entry, record.seq, 17);
  writeUint53(entry, record.writtenAtMs, 25);
  writeUint53(entry, record.expiresAtMs ?? NEVER_EXPIRES, 33);
  record.key.copy(entry, ENTRY_FIXED_BYTES);
  return entry;
}

/** Writes a complete hint file at `path` (created or replaced) and fsyncs it. */
export async function writeHintFile(path: string, entries: Buffer[], dataSizeBytes: number): Promise<void> {
  const trailer = Buffer.alloc(TRAILER_BYTES);
  trailer.writeUInt32BE(entries.length, 0);
  writeUint53(trailer, dataSizeBytes, 4);
  let crc = crc32(MAGIC);
  for (const entry of entries) crc = crc32(entry, crc);
  trailer.writeUInt32BE(crc32(trailer.subarray(0, TRAILER_BYTES - 4), crc), TRAILER_BYTES - 4);
  const handle = await open(path, 'w');
  try {
    await writeFully(handle, Buffer.concat([MAGIC, ...entries, trailer]), 0);
    await handle.datasync();
  } finally {
    await handle.close();
  }
}

/** The records a hint file describes, or why it cannot be trusted; undefined if there is none. */
export async function readHintFile(path: string, dataSizeBytes: number): Promise<Checked<LocatedRecord[]> | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return decodeHintFile(bytes, dataSizeBytes);
}

export function decodeHintFile(bytes: Buffer, dataSizeBytes: number): Checked<LocatedRecord[]> {
  if (bytes.length < MAGIC.length + TRAILER_BYTES || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) return { ok: false, reason: 'no hint header' };
  const trailerStart = bytes.length - TRAILER_BYTES;
  const crc = bytes.readUInt32BE(bytes.length - 4);
  if (crc32(bytes.subarray(0, bytes.length - 4)) !== crc) return { ok: false, reason: 'hint CRC mismatch' };
  const entryCount = bytes.readUInt32BE(trailerStart);
  const describedSizeBytes = readUint53(bytes, trailerStart + 4);
  if (describedSizeBytes !== dataSizeBytes) return { ok: false, reason: `hint describes ${describedSizeBytes} data bytes, the file has ${dataSizeBytes}` };
  const records: LocatedRecord[] = [];
  let offset = MAGIC.length;
  let expectedPosition = 0;
  while (offset < trailerStart) {
    const decoded = decodeHintEntry(bytes, offset, trailerStart);
    if (!decoded.ok) return decoded;
    const record = decoded.value;
    if (record.position !== expectedPosition) return { ok: false, reason: `entry at ${record.position}, expected ${expectedPosition}` };
    records.push(record);
    expectedPosition += record.recordSizeBytes;
    offset += ENTRY_FIXED_BYTES + record.keySizeBytes;
  }
  if (records.length !== entryCount) return { ok: false, reason: `${records.length} entries, trailer says ${entryCount}` };
  if (expectedPosition !== dataSizeBytes) return { ok: false, reason: `entries cover ${expectedPosition} of ${dataSizeBytes} bytes` };
  return { ok: true, value: records };
}

function decodeHintEntry(bytes: Buffer, offset: number, end: number): Checked<LocatedRecord> {
  if (offset + ENTRY_FIXED_BYTES > end) return { ok: false, reason: 'torn hint entry' };
  const flags = bytes.readUInt8(offset);
  const keySizeBytes = bytes.readUInt32BE(offset + 1);
  const recordSizeBytes = bytes.readUInt32BE(offset + 5);
  const position = readUint53(bytes, offset + 9);
  const seq = readUint53(bytes, offset + 17);
  const writtenAtMs = readUint53(bytes, offset + 25);
  const expiresAtMs = readUint53(bytes, offset + 33);
  const valueSizeBytes = recordSizeBytes - RECORD_HEADER_BYTES - keySizeBytes;
  const tombstone = flags === TOMBSTONE_FLAG;
  if ((flags !== 0 && !tombstone) || keySizeBytes > MAX_KEY_BYTES || valueSizeBytes < 0 || valueSizeBytes > MAX_VALUE_BYTES || (tombstone && valueSizeBytes !== 0)) {
    return { ok: false, reason: 'bad hint entry sizes or flags' };
  }
  if (position === undefined || seq === undefined || writtenAtMs === undefined || expiresAtMs === undefined) return { ok: false, reason: 'hint entry field beyond 2^53' };
  if (offset + ENTRY_FIXED_BYTES + keySizeBytes > end) return { ok: false, reason: 'torn hint key' };
  const key = Buffer.from(bytes.subarray(offset + ENTRY_FIXED_BYTES, offset + ENTRY_FIXED_BYTES + keySizeBytes));
  return {
    ok: true,
    value: { key, position, recordSizeBytes, tombstone, keySizeBytes, valueSizeBytes, seq, writtenAtMs, expiresAtMs: expiresAtMs === NEVER_EXPIRES ? undefined : expiresAtMs },
  };
}
