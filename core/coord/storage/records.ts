/**
 * The checksummed record framing shared by log segments and state files:
 * `[u32 payload length][u32 CRC-32 of payload][payload]`, big-endian. CRC-32 comes from
 * node:zlib (Node >= 20.15, which package.json's engines guarantee).
 */
import { crc32 } from 'node:zlib';
import { RECORD_HEADER_BYTES } from './limits.js';

export function frameRecord(payload: Uint8Array): Buffer {
  const record = Buffer.allocUnsafe(RECORD_HEADER_BYTES + payload.byteLength);
  record.writeUInt32BE(payload.byteLength, 0);
  record.writeUInt32BE(crc32(payload), 4);
  record.set(payload, RECORD_HEADER_BYTES);
  return record;
}

/** The payload of the record at `offset`, or undefined if it is short, too long or fails its
 * CRC (a torn write or garbage). */
export function readRecord(buffer: Buffer, offset: number, maxPayloadBytes: number): Buffer | undefined {
  if (buffer.length - offset < RECORD_HEADER_BYTES) return undefined;
  const length = buffer.readUInt32BE(offset);
  if (length > maxPayloadBytes || buffer.length - offset - RECORD_HEADER_BYTES < length) return undefined;
  const payload = buffer.subarray(offset + RECORD_HEADER_BYTES, offset + RECORD_HEADER_BYTES + length);
  return crc32(payload) === buffer.readUInt32BE(offset + 4) ? payload : undefined;
}
