/**
 * Bounds-checked reader for Kafka's primitive types (big-endian fixed-width integers, zigzag and
 * unsigned varints, classic and compact strings/bytes/arrays, tagged fields).
 *
 * Guarantee: every read either returns a value fully inside the buffer or throws
 * KafkaDecodeError — never a RangeError, never a value spliced from bytes beyond the end.
 * Array counts are checked against the bytes left before anything is allocated, so a forged
 * count of 2^31 cannot make the broker allocate a huge array.
 */
import { KafkaDecodeError } from './decode-error.js';

/** Unknown tagged fields, kept as raw bytes by tag so a proxy could forward them untouched. */
export type TaggedFields = ReadonlyMap<number, Buffer>;

const MAX_UNSIGNED_VARINT_BYTES = 5;
const MAX_VARLONG_BYTES = 10;

export class KafkaReader {
  private position: number;

  constructor(
    private readonly buffer: Buffer,
    offset = 0,
  ) {
    this.position = offset;
  }

  get offset(): number {
    return this.position;
  }

  get remaining(): number {
    return this.buffer.length - this.position;
  }

  /** Throws unless every byte has been consumed: trailing garbage means a mis-framed message. */
  expectEnd(what: string): void {
    if (this.remaining !== 0) {
      throw new KafkaDecodeError(what, this.position, `${this.remaining} unexpected trailing bytes`);
    }
  }

  private take(field: string, sizeBytes: number): number {
    if (sizeBytes > this.remaining) {
      throw new KafkaDecodeError(field, this.position, `needs ${sizeBytes} bytes, ${this.remaining} left`);
    }
    const start = this.position;
    this.position += sizeBytes;
    return start;
  }

  readInt8(): number {
    return this.buffer.readInt8(this.take('int8', 1));
  }

  readBoolean(): boolean {
    return this.buffer.readInt8(this.take('boolean', 1)) !== 0;
  }

  readInt16(): number {
    return this.buffer.readInt16BE(this.take('int16', 2));
  }

  readInt32(): number {
    return this.buffer.readInt32BE(this.take('int32', 4));
  }

  readUInt32(): number {
    return this.buffer.readUInt32BE(this.take('uint32', 4));
  }

  readInt64(): bigint {
    return this.buffer.readBigInt64BE(this.take('int64', 8));
  }

  readUuid(): Buffer {
    const start = this.take('uuid', 16);
    return Buffer.from(this.buffer.subarray(start, start + 16));
  }

  /** Unsigned LEB128, at most 32 bits (5 bytes). */
  readUnsignedVarInt(): number {
    const start = this.position;
    let value = 0;
    for (let index = 0; index < MAX_UNSIGNED_VARINT_BYTES; index++) {
      const byte = this.buffer[this.take('unsigned varint', 1)] as number;
      value += (byte & 0x7f) * 2 ** (7 * index);
      if ((byte & 0x80) === 0) {
        if (value > 0xffffffff) break;
        return value;
      }
    }
    throw new KafkaDecodeError('unsigned varint', start, 'longer than 32 bits');
  }

  /** Zigzag-encoded signed 32-bit varint. */
  readVarInt(): number {
    const unsigned = this.readUnsignedVarInt();
    return (unsigned >>> 1) ^ -(unsigned & 1);
  }

  /** Zigzag-encoded signed 64-bit varint. */
  readVarLong(): bigint {
    const start = this.position;
    let value = 0n;
    for (let index = 0; index < MAX_VARLONG_BYTES; index++) {
      const byte = this.buffer[this.take('varlong', 1)] as number;
      value |= BigInt(byte & 0x7f) << BigInt(7 * index);
      if ((byte & 0x80) === 0) {
        if (value > 0xffffffffffffffffn) break;
        return (value >> 1n) ^ -(value & 1n);
      }
    }
    throw new KafkaDecodeError('varlong', start, 'longer than 64 bits');
  }

  private readUtf8(field: string, length: number): string {
    const start = this.take(field, length);
    return this.buffer.toString('utf8', start, start + length);
  }

  /**
   * `length` bytes as a view of the packet, not a copy: record batches go to disk straight from
   * the request frame (the broker owns that frame; nothing else reads it afterwards).
   */
  readRaw(field: string, length: number): Buffer {
    const start = this.take(field, length);
    return this.buffer.subarray(start, start + length);
  }

  readNullableString(): string | null {
    const start = this.position;
    const length = this.readInt16();
    if (length === -1) return null;
    if (length < -1) throw new KafkaDecodeError('string', start, `negative length ${length}`);
    return this.readUtf8('string', length);
  }

  readString(): string {
    const start = this.position;
    const value = this.readNullableString();
    if (value === null) throw new KafkaDecodeError('string', start, 'null where a string is required');
    return value;
  }

  /** Length is an unsigned varint of length + 1; 0 means null. */
  readCompactNullableString(): string | null {
    const lengthPlusOne = this.readUnsignedVarInt();
    if (lengthPlusOne === 0) return null;
    return this.readUtf8('compact string', lengthPlusOne - 1);
  }

  readCompactString(): string {
    const start = this.position;
    const value = this.readCompactNullableString();
    if (value === null) throw new KafkaDecodeError('compact string', start, 'null where a string is required');
    return value;
  }

  readNullableBytes(): Buffer | null {
    const start = this.position;
    const length = this.readInt32();
    if (length === -1) return null;
    if (length < -1) throw new KafkaDecodeError('bytes', start, `negative length ${length}`);
    return this.readRaw('bytes', length);
  }

  readBytes(): Buffer {
    const start = this.position;
    const value = this.readNullableBytes();
    if (value === null) throw new KafkaDecodeError('bytes', start, 'null where bytes are required');
    return value;
  }

  readCompactNullableBytes(): Buffer | null {
    const lengthPlusOne = this.readUnsignedVarInt();
    if (lengthPlusOne === 0) return null;
    return this.readRaw('compact bytes', lengthPlusOne - 1);
  }

  readCompactBytes(): Buffer {
    const start = this.position;
    const value = this.readCompactNullableBytes();
    if (value === null) throw new KafkaDecodeError('compact bytes', start, 'null where bytes are required');
    return value;
  }

  /** Every element takes at least one byte, so a count above the bytes left is a lie. */
  private checkCount(field: string, start: number, count: number): void {
    if (count > this.remaining) {
      throw new KafkaDecodeError(field, start, `count ${count} exceeds the ${this.remaining} bytes left`);
    }
  }

  readNullableArray<T>(readElement: (reader: KafkaReader) => T): T[] | null {
    const start = this.position;
    const count = this.readInt32();
    if (count === -1) return null;
    if (count < -1) throw new KafkaDecodeError('array', start, `negative count ${count}`);
    this.checkCount('array', start, count);
    return this.readElements(count, readElement);
  }

  readArray<T>(readElement: (reader: KafkaReader) => T): T[] {
    const start = this.position;
    const value = this.readNullableArray(readElement);
    if (value === null) throw new KafkaDecodeError('array', start, 'null where an array is required');
    return value;
  }

  readCompactNullableArray<T>(readElement: (reader: KafkaReader) => T): T[] | null {
    const start = this.position;
    const countPlusOne = this.readUnsignedVarInt();
    if (countPlusOne === 0) return null;
    this.checkCount('compact array', start, countPlusOne - 1);
    return this.readElements(countPlusOne - 1, readElement);
  }

  readCompactArray<T>(readElement: (reader: KafkaReader) => T): T[] {
    const start = this.position;
    const value = this.readCompactNullableArray(readElement);
    if (value === null) throw new KafkaDecodeError('compact array', start, 'null where an array is required');
    return value;
  }

  private readElements<T>(count: number, readElement: (reader: KafkaReader) => T): T[] {
    const elements: T[] = [];
    for (let index = 0; index < count; index++) elements.push(readElement(this));
    return elements;
  }

  /**
   * A tagged-field section: unsigned varint count, then per field an unsigned varint tag
   * (strictly increasing), an unsigned varint size and that many bytes.
   */
  readTaggedFields(): Map<number, Buffer> {
    const start = this.position;
    const count = this.readUnsignedVarInt();
    this.checkCount('tagged fields', start, count);
    const fields = new Map<number, Buffer>();
    let previousTag = -1;
    for (let index = 0; index < count; index++) {
      const tagStart = this.position;
      const tag = this.readUnsignedVarInt();
      if (tag <= previousTag) throw new KafkaDecodeError('tagged field', tagStart, `tag ${tag} out of order`);
      previousTag = tag;
      fields.set(tag, this.readRaw('tagged field', this.readUnsignedVarInt()));
    }
    return fields;
  }
}
