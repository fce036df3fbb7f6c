/**
 * Record serialisation: records are [key, value] pairs of structured-clone-able values, serialised
 * with node:v8 a chunk at a time (one `serialize` of an array of records per frame), so the per-record
 * cost of the length prefix, checksum and serialiser call is amortised over the chunk.
 *
 * Frame = header (FRAME_HEADER_BYTES: payload length, CRC-32 of the payload, record count; big-endian
 * uint32 each) + payload (v8.serialize of an array of [key, value] arrays). The checksum and count
 * make a truncated or damaged file fail loudly instead of yielding wrong records.
 *
 * Guarantees: a value that cannot be cloned fails with RecordNotSerializableError naming its type and
 * where it sits in the record; a record whose payload exceeds maxRecordBytes fails with
 * RecordTooLargeError; chunks over that size holding several records are split, so no frame written
 * exceeds maxRecordBytes unless it holds a single record within the limit. Class instances arrive as
 * plain objects (structured clone drops prototypes).
 */
import { deserialize, serialize } from 'node:v8';
import { crc32 } from 'node:zlib';
import { CorruptFrameError, RecordNotSerializableError, RecordTooLargeError } from './errors.js';
import { FRAME_HEADER_BYTES, MAX_FRAME_PAYLOAD_BYTES } from './limits.js';

export type ShuffleRecord<K = unknown, V = unknown> = [K, V];

export interface FrameHeader {
  readonly payloadBytes: number;
  readonly checksum: number;
  readonly recordCount: number;
}

/** Encodes records as one frame, or several if their payload exceeds maxRecordBytes. */
export function encodeFrames(records: readonly ShuffleRecord[], maxRecordBytes: number): Buffer[] {
  const payload = serializeRecords(records);
  if (payload.length <= maxRecordBytes) return [frameOf(payload, records.length)];
  if (records.length === 1) {
    const [key] = records[0] as ShuffleRecord;
    throw new RecordTooLargeError(payload.length, maxRecordBytes, typeName(key));
  }
  const middle = Math.ceil(records.length / 2);
  return [...encodeFrames(records.slice(0, middle), maxRecordBytes), ...encodeFrames(records.slice(middle), maxRecordBytes)];
}

function frameOf(payload: Buffer, recordCount: number): Buffer {
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + payload.length);
  frame.writeUInt32BE(payload.length, 0);
  frame.writeUInt32BE(crc32(payload), 4);
  frame.writeUInt32BE(recordCount, 8);
  payload.copy(frame, FRAME_HEADER_BYTES);
  return frame;
}

function serializeRecords(records: readonly ShuffleRecord[]): Buffer {
  try {
    return serialize(records);
  } catch (error) {
    throw unserializableError(records, error);
  }
}

/** Reads a frame header; `path` and `offset` only name the place in errors. */
export function parseFrameHeader(header: Buffer, path: string, offset: number): FrameHeader {
  const payloadBytes = header.readUInt32BE(0);
  if (payloadBytes > MAX_FRAME_PAYLOAD_BYTES) {
    throw new CorruptFrameError(path, offset, `declared payload of ${payloadBytes} bytes exceeds ${MAX_FRAME_PAYLOAD_BYTES}`);
  }
  return { payloadBytes, checksum: header.readUInt32BE(4), recordCount: header.readUInt32BE(8) };
}

/** Checks and decodes a frame payload into its records. */
export function decodeFramePayload(payload: Buffer, header: FrameHeader, path: string, offset: number): ShuffleRecord[] {
  if (crc32(payload) !== header.checksum) throw new CorruptFrameError(path, offset, 'checksum mismatch');
  let records: unknown;
  try {
    records = deserialize(payload);
  } catch (error) {
    throw new CorruptFrameError(path, offset, `payload does not deserialise (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!Array.isArray(records) || records.length !== header.recordCount) {
    throw new CorruptFrameError(path, offset, `payload is not an array of ${header.recordCount} records`);
  }
  return records as ShuffleRecord[];
}

/** Finds the first record that does not serialise and, inside it, the innermost culprit. */
function unserializableError(records: readonly ShuffleRecord[], cause: unknown): Error {
  for (const record of records) {
    if (canSerialize(record)) continue;
    const [key, value] = record;
    const culprit = canSerialize(key) ? findCulprit(value, 'record.value') : findCulprit(key, 'record.key');
    return new RecordNotSerializableError(culprit.type, culprit.path, cause);
  }
  return cause instanceof Error ? cause : new RecordNotSerializableError(typeof cause, 'record', cause);
}

function findCulprit(value: unknown, path: string): { type: string; path: string } {
  for (const [childPath, child] of childrenOf(value, path)) {
    if (!canSerialize(child)) return findCulprit(child, childPath);
  }
  return { type: typeName(value), path };
}

function* childrenOf(value: unknown, path: string): Generator<[string, unknown]> {
  if (typeof value !== 'object' || value === null) return;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index += 1) yield [`${path}[${index}]`, value[index]];
  } else if (value instanceof Map) {
    for (const [key, entryValue] of value) {
      yield [`${path}.<map key>`, key];
      yield [`${path}.get(${typeName(key)})`, entryValue];
    }
  } else if (value instanceof Set) {
    for (const element of value) yield [`${path}.<set element>`, element];
  } else {
    for (const [property, child] of Object.entries(value)) yield [`${path}.${property}`, child];
  }
}

function canSerialize(value: unknown): boolean {
  try {
    serialize(value);
    return true;
  } catch {
    return false;
  }
}

export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  return value.constructor?.name ?? 'Object';
}
