/**
 * One record of a data file, the unit of everything Bitcask stores: a put (key and value) or a
 * tombstone (key only). Layout, big-endian:
 *
 *   0  crc            u32  CRC-32 (IEEE, zlib's) of bytes [4, end): header rest, key and value
 *   4  version        u8   RECORD_FORMAT_VERSION
 *   5  flags          u8   bit 0: tombstone; other bits must be 0
 *   6  keySizeBytes   u32
 *  10  valueSizeBytes u32  0 for a tombstone
 *  14  seq            u64  the store-wide write sequence number: the newest record of a key wins
 *  22  writtenAtMs    u64
 *  30  expiresAtMs    u64  absolute; 0 = never expires
 *  38  key, then value
 *
 * CRC-32 rather than CRC-32C: node:zlib computes it natively and can continue a checksum over
 * several buffers, so a 512 MiB value is checksummed in place, never copied next to its header.
 * The sequence number, not the file order, decides which record of a key is the newest: merge
 * output files get fresh ids yet hold old records, so file ids alone cannot order records.
 */
import { crc32 } from 'node:zlib';
import { MAX_KEY_BYTES, MAX_VALUE_BYTES } from './limits.js';

export const RECORD_FORMAT_VERSION = 1;
export const RECORD_HEADER_BYTES = 38;
const CRC_BYTES = 4;
export const TOMBSTONE_FLAG = 0x01;
const KNOWN_FLAGS = TOMBSTONE_FLAG;
/** expiresAtMs as stored for a record that never expires. */
const NEVER_EXPIRES = 0;
/** High 32 bits of the largest safe integer: u64 fields beyond 2^53 - 1 are corrupt. */
const MAX_SAFE_HIGH_WORD = 0x1f_ffff;
const TWO_TO_32 = 2 ** 32;

export interface RecordFields {
  tombstone: boolean;
  keySizeBytes: number;
  valueSizeBytes: number;
  seq: number;
  writtenAtMs: number;
  /** Absolute expiry in ms since the epoch; undefined: never expires. */
  expiresAtMs: number | undefined;
}

export interface RecordHeader extends RecordFields {
  crc: number;
  /** Header + key + value. */
  recordSizeBytes: number;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };

export function recordSizeBytes(keySizeBytes: number, valueSizeBytes: number): number {
  return RECORD_HEADER_BYTES + keySizeBytes + valueSizeBytes;
}

/** The header of a new record, CRC included; the record on disk is header ++ key ++ value. */
export function encodeRecordHeader(fields: RecordFields, key: Buffer, value: Buffer): Buffer {
  const header = Buffer.alloc(RECORD_HEADER_BYTES);
  header.writeUInt8(RECORD_FORMAT_VERSION, 4);
  header.writeUInt8(fields.tombstone ? TOMBSTONE_FLAG : 0, 5);
  header.writeUInt32BE(key.length, 6);
  header.writeUInt32BE(value.length, 10);
  writeUint53(header, fields.seq, 14);
  writeUint53(header, fields.writtenAtMs, 22);
  writeUint53(header, fields.expiresAtMs ?? NEVER_EXPIRES, 30);
  const crc = crc32(value, crc32(key, crc32(header.subarray(CRC_BYTES))));
  header.writeUInt32BE(crc, 0);
  return header;
}

/** Parses and sanity-checks the header at `offset` (bytes must hold RECORD_HEADER_BYTES there).
 * Sizes beyond the format's absolute limits can only be garbage (a torn or overwritten header). */
export function decodeRecordHeader(bytes: Buffer, offset: number): Checked<RecordHeader> {
  const version = bytes.readUInt8(offset + 4);
  if (version !== RECORD_FORMAT_VERSION) return { ok: false, reason: `unknown record version ${version}` };
  const flags = bytes.readUInt8(offset + 5);
  if ((flags & ~KNOWN_FLAGS) !== 0) return { ok: false, reason: `unknown flags ${flags}` };
  const keySizeBytes = bytes.readUInt32BE(offset + 6);
  const valueSizeBytes = bytes.readUInt32BE(offset + 10);
  if (keySizeBytes > MAX_KEY_BYTES) return { ok: false, reason: `key size ${keySizeBytes} exceeds ${MAX_KEY_BYTES}` };
  if (valueSizeBytes > MAX_VALUE_BYTES) return { ok: false, reason: `value size ${valueSizeBytes} exceeds ${MAX_VALUE_BYTES}` };
  const tombstone = (flags & TOMBSTONE_FLAG) !== 0;
  if (tombstone && valueSizeBytes !== 0) return { ok: false, reason: 'tombstone with a value' };
  const seq = readUint53(bytes, offset + 14);
  const writtenAtMs = readUint53(bytes, offset + 22);
  const expiresAtMs = readUint53(bytes, offset + 30);
  if (seq === undefined || writtenAtMs === undefined || expiresAtMs === undefined) return { ok: false, reason: '64-bit field beyond 2^53' };
  return {
    ok: true,
    value: {
      crc: bytes.readUInt32BE(offset),
      tombstone,
      keySizeBytes,
      valueSizeBytes,
      seq,
      writtenAtMs,
      expiresAtMs: expiresAtMs === NEVER_EXPIRES ? undefined : expiresAtMs,
      recordSizeBytes: recordSizeBytes(keySizeBytes, valueSizeBytes),
    },
  };
}

/** Checks a whole record (header, key and value in `bytes`) against its CRC. */
export function verifyRecord(bytes: Buffer): Checked<RecordHeader> {
  if (bytes.length < RECORD_HEADER_BYTES) return { ok: false, reason: `${bytes.length} bytes cannot hold a record header` };
  const decoded = decodeRecordHeader(bytes, 0);
  if (!decoded.ok) return decoded;
  if (decoded.value.recordSizeBytes !== bytes.length) return { ok: false, reason: `header declares ${decoded.value.recordSizeBytes} bytes, found ${bytes.length}` };
  const crc = crc32(bytes.subarray(CRC_BYTES));
  if (crc !== decoded.value.crc) return { ok: false, reason: `CRC ${crc} does not match the stored ${decoded.value.crc}` };
  return decoded;
}

export function keyOf(record: Buffer, header: RecordFields): Buffer {
  return record.subarray(RECORD_HEADER_BYTES, RECORD_HEADER_BYTES + header.keySizeBytes);
}

export function valueOf(record: Buffer, header: RecordFields): Buffer {
  return record.subarray(RECORD_HEADER_BYTES + header.keySizeBytes);
}

/** Writes a non-negative safe integer as a u64. */
export function writeUint53(bytes: Buffer, value: number, offset: number): void {
  bytes.writeUInt32BE(Math.floor(value / TWO_TO_32), offset);
  bytes.writeUInt32BE(value >>> 0, offset + 4);
}

/** Reads a u64; undefined if it is not a safe integer. */
export function readUint53(bytes: Buffer, offset: number): number | undefined {
  const high = bytes.readUInt32BE(offset);
  if (high > MAX_SAFE_HIGH_WORD) return undefined;
  return high * TWO_TO_32 + bytes.readUInt32BE(offset + 4);
}
