/**
 * Compact binary form of a versioned value, for storage records, hints and replica messages.
 *
 * Layout (integers big-endian):
 *   u8 format version (VERSIONED_VALUE_FORMAT_VERSION) · u8 mode (1 lww, 2 dvv)
 *   lww: 12-byte HLC timestamp · string writer · payload
 *   dvv: u16 entry count · per entry: string actor · u64 counter · u32 value count · payloads
 *   payload: u8 kind (1 value, 2 tombstone) · u8 flags (bit 0: has expiry) · [u64 expiresAtMs]
 *            · value only: u32 length · bytes
 *   string: u16 length · UTF-8 bytes
 * The encoding is canonical (one byte string per value), so equal values have equal bytes.
 *
 * Guarantees: `decode` accepts exactly what `encode` produces; anything else (truncation, trailing
 * bytes, bad UTF-8, out-of-range numbers, unsorted actors, limits exceeded) throws
 * MalformedVersionedValueError or UnsupportedValueFormatError, never another error.
 */
import {
  ClockError,
  decodeHlc,
  encodeHlc,
  HLC_ENCODED_BYTES,
  MAX_ACTOR_COUNTER,
  MAX_VERSION_VECTOR_ACTORS,
  assertActor,
  compareActors,
  type DvvEntry,
} from '../../core/clock/index.js';
import { MalformedVersionedValueError, UnsupportedValueFormatError } from './errors.js';
import { MAX_STORED_SIBLINGS, MAX_VALUE_BYTES, VERSIONED_VALUE_FORMAT_VERSION } from './limits.js';
import type { Payload, VersionedValue } from './versioned-value.js';

const MODE_LWW = 1;
const MODE_DVV = 2;
const KIND_VALUE = 1;
const KIND_TOMBSTONE = 2;
const FLAG_HAS_EXPIRY = 1;
const TWO_POW_32 = 0x1_0000_0000;
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

function payloadSize(payload: Payload): number {
  const expiry = payload.expiresAtMs === undefined ? 0 : 8;
  return 2 + expiry + (payload.kind === 'value' ? 4 + payload.value.length : 0);
}

function stringSize(text: string): number {
  return 2 + Buffer.byteLength(text, 'utf8');
}

/** Bytes `encode(value)` produces, without encoding. */
export function encodedSize(value: VersionedValue): number {
  if (value.mode === 'lww') return 2 + HLC_ENCODED_BYTES + stringSize(value.writer) + payloadSize(value.payload);
  let size = 4;
  for (const entry of value.siblings.entries) {
    size += stringSize(entry.actor) + 8 + 4;
    for (const payload of entry.values) size += payloadSize(payload);
  }
  return size;
}

class Writer {
  offset = 0;
  constructor(readonly buffer: Buffer) {}
  u8(value: number): void {
    this.offset = this.buffer.writeUInt8(value, this.offset);
  }
  u16(value: number): void {
    this.offset = this.buffer.writeUInt16BE(value, this.offset);
  }
  u32(value: number): void {
    this.offset = this.buffer.writeUInt32BE(value, this.offset);
  }
  u64(value: number): void {
    this.u32(Math.floor(value / TWO_POW_32));
    this.u32(value % TWO_POW_32);
  }
  string(text: string): void {
    const length = Buffer.byteLength(text, 'utf8');
    this.u16(length);
    this.offset += this.buffer.write(text, this.offset, 'utf8');
  }
  bytes(bytes: Buffer): void {
    this.offset += bytes.copy(this.buffer, this.offset);
  }
  payload(payload: Payload): void {
    this.u8(payload.kind === 'value' ? KIND_VALUE : KIND_TOMBSTONE);
    this.u8(payload.expiresAtMs === undefined ? 0 : FLAG_HAS_EXPIRY);
    if (payload.expiresAtMs !== undefined) this.u64(payload.expiresAtMs);
    if (payload.kind === 'value') {
      this.u32(payload.value.length);
      this.bytes(payload.value);
    }
  }
}

/** The binary form of `value`. */
export function encode(value: VersionedValue): Buffer {
  const writer = new Writer(Buffer.alloc(encodedSize(value)));
  writer.u8(VERSIONED_VALUE_FORMAT_VERSION);
  if (value.mode === 'lww') {
    writer.u8(MODE_LWW);
    encodeHlc(value.timestamp, writer.buffer, writer.offset);
    writer.offset += HLC_ENCODED_BYTES;
    writer.string(value.writer);
    writer.payload(value.payload);
  } else {
    writer.u8(MODE_DVV);
    writer.u16(value.siblings.entries.length);
    for (const entry of value.siblings.entries) {
      writer.string(entry.actor);
      writer.u64(entry.counter);
      writer.u32(entry.values.length);
      for (const payload of entry.values) writer.payload(payload);
    }
  }
  if (writer.offset !== writer.buffer.length) throw new MalformedVersionedValueError(`encoder wrote ${writer.offset} of ${writer.buffer.length} bytes`, writer.offset);
  return writer.buffer;
}

class Reader {
  offset = 0;
  constructor(readonly bytes: Uint8Array) {}
  fail(reason: string): never {
    throw new MalformedVersionedValueError(reason, this.offset);
  }
  need(count: number, what: string): void {
    if (this.offset + count > this.bytes.length) this.fail(`truncated ${what}: need ${count} bytes, have ${this.bytes.length - this.offset}`);
  }
  u8(what: string): number {
    this.need(1, what);
    return this.bytes[this.offset++] ?? 0;
  }
  u16(what: string): number {
    return (this.u8(what) << 8) | this.u8(what);
  }
  u32(what: string): number {
    return this.u16(what) * 0x1_0000 + this.u16(what);
  }
  u64(what: string): number {
    const high = this.u32(what);
    const value = high * TWO_POW_32 + this.u32(what);
    if (!Number.isSafeInteger(value)) this.fail(`${what} exceeds ${Number.MAX_SAFE_INTEGER}`);
    return value;
  }
  slice(count: number, what: string): Uint8Array {
    this.need(count, what);
    const slice = this.bytes.subarray(this.offset, this.offset + count);
    this.offset += count;
    return slice;
  }
  string(what: string): string {
    const bytes = this.slice(this.u16(what), what);
    try {
      return utf8Decoder.decode(bytes);
    } catch {
      return this.fail(`${what} is not valid UTF-8`);
    }
  }
  actor(what: string): string {
    const text = this.string(what);
    return guarded(this, what, () => assertActor(text));
  }
  payload(): Payload {
    const kind = this.u8('payload kind');
    const flags = this.u8('payload flags');
    if (kind !== KIND_VALUE && kind !== KIND_TOMBSTONE) this.fail(`unknown payload kind ${kind}`);
    if ((flags & ~FLAG_HAS_EXPIRY) !== 0) this.fail(`unknown payload flags ${flags}`);
    const expiresAtMs = (flags & FLAG_HAS_EXPIRY) !== 0 ? this.u64('expiry') : undefined;
    if (kind === KIND_TOMBSTONE) {
      if (expiresAtMs === undefined) this.fail('tombstone without expiry');
      return { kind: 'tombstone', expiresAtMs };
    }
    const length = this.u32('value length');
    if (length > MAX_VALUE_BYTES) this.fail(`value of ${length} bytes exceeds ${MAX_VALUE_BYTES}`);
    const value = Buffer.from(this.slice(length, 'value'));
    return expiresAtMs === undefined ? { kind: 'value', value } : { kind: 'value', value, expiresAtMs };
  }
}

/** Runs a core/clock check, turning its error into MalformedVersionedValueError. */
function guarded<T>(reader: Reader, what: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error instanceof ClockError) reader.fail(`${what}: ${error.message}`);
    throw error;
  }
}

/** Reads the form of `encode` from untrusted bytes (storage, a peer). */
export function decode(bytes: Uint8Array): VersionedValue {
  const reader = new Reader(bytes);
  const version = reader.u8('format version');
  if (version !== VERSIONED_VALUE_FORMAT_VERSION) throw new UnsupportedValueFormatError(version, VERSIONED_VALUE_FORMAT_VERSION);
  const mode = reader.u8('mode');
  if (mode !== MODE_LWW && mode !== MODE_DVV) reader.fail(`unknown conflict mode ${mode}`);
  const value = mode === MODE_LWW ? decodeLww(reader) : decodeDvv(reader);
  if (reader.offset !== bytes.length) reader.fail(`${bytes.length - reader.offset} trailing bytes`);
  return value;
}

function decodeLww(reader: Reader): VersionedValue {
  reader.need(HLC_ENCODED_BYTES, 'timestamp');
  const timestamp = guarded(reader, 'timestamp', () => decodeHlc(reader.bytes, reader.offset));
  reader.offset += HLC_ENCODED_BYTES;
  const writer = reader.actor('writer');
  return { mode: 'lww', timestamp, writer, payload: reader.payload() };
}

function decodeDvv(reader: Reader): VersionedValue {
  const count = reader.u16('entry count');
  if (count > MAX_VERSION_VECTOR_ACTORS) reader.fail(`${count} actors exceed ${MAX_VERSION_VECTOR_ACTORS}`);
  const entries: DvvEntry<Payload>[] = [];
  let siblings = 0;
  let previous: string | undefined;
  for (let i = 0; i < count; i++) {
    const actor = reader.actor('actor');
    if (previous !== undefined && compareActors(previous, actor) >= 0) reader.fail(`actors not sorted and unique at ${JSON.stringify(actor)}`);
    previous = actor;
    const counter = reader.u64('counter');
    if (counter < 1 || counter > MAX_ACTOR_COUNTER) reader.fail(`counter ${counter} of ${JSON.stringify(actor)} out of range`);
    const valueCount = reader.u32('value count');
    if (valueCount > counter) reader.fail(`${valueCount} values for counter ${counter} of ${JSON.stringify(actor)}`);
    siblings += valueCount;
    if (siblings > MAX_STORED_SIBLINGS) reader.fail(`more than ${MAX_STORED_SIBLINGS} siblings`);
    const values: Payload[] = [];
    for (let j = 0; j < valueCount; j++) values.push(reader.payload());
    entries.push({ actor, counter, values });
  }
  return { mode: 'dvv', siblings: { entries } };
}
