/**
 * Growable writer for Kafka's primitive types; the mirror image of KafkaReader.
 *
 * Values out of a type's range are programming errors of the broker (not bad client input), so
 * they throw RangeError — from Buffer's own checks or from the assertions here — instead of
 * silently writing truncated bytes on the wire.
 */
const INITIAL_CAPACITY_BYTES = 256;

export class KafkaWriter {
  private buffer: Buffer;
  private length = 0;

  constructor(initialCapacityBytes = INITIAL_CAPACITY_BYTES) {
    this.buffer = Buffer.allocUnsafe(initialCapacityBytes);
  }

  get sizeBytes(): number {
    return this.length;
  }

  /** A copy-free view of the bytes written so far; do not write afterwards if you keep it. */
  toBuffer(): Buffer {
    return this.buffer.subarray(0, this.length);
  }

  /**
   * Grows the buffer and returns where to write. Callers must call it BEFORE reading
   * `this.buffer`: growing replaces the buffer object.
   */
  private reserve(sizeBytes: number): number {
    const needed = this.length + sizeBytes;
    if (needed > this.buffer.length) {
      const grown = Buffer.allocUnsafe(Math.max(needed, this.buffer.length * 2));
      this.buffer.copy(grown, 0, 0, this.length);
      this.buffer = grown;
    }
    const start = this.length;
    this.length = needed;
    return start;
  }

  writeInt8(value: number): this {
    const offset = this.reserve(1);
    this.buffer.writeInt8(value, offset);
    return this;
  }

  writeBoolean(value: boolean): this {
    return this.writeInt8(value ? 1 : 0);
  }

  writeInt16(value: number): this {
    const offset = this.reserve(2);
    this.buffer.writeInt16BE(value, offset);
    return this;
  }

  writeInt32(value: number): this {
    const offset = this.reserve(4);
    this.buffer.writeInt32BE(value, offset);
    return this;
  }

  writeUInt32(value: number): this {
    const offset = this.reserve(4);
    this.buffer.writeUInt32BE(value, offset);
    return this;
  }

  writeInt64(value: bigint): this {
    const offset = this.reserve(8);
    this.buffer.writeBigInt64BE(value, offset);
    return this;
  }

  writeUuid(value: Buffer): this {
    if (value.length !== 16) throw new RangeError(`a uuid is 16 bytes, got ${value.length}`);
    return this.writeRaw(value);
  }

  /** Raw bytes with no length prefix. */
  writeRaw(value: Buffer): this {
    const offset = this.reserve(value.length);
    value.copy(this.buffer, offset);
    return this;
  }

  writeUnsignedVarInt(value: number): this {
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
      throw new RangeError(`unsigned varint out of range: ${value}`);
    }
    let rest = value;
    while (rest >= 0x80) {
      this.writeByte((rest % 0x80) | 0x80);
      rest = Math.floor(rest / 0x80);
    }
    return this.writeByte(rest);
  }

  writeVarInt(value: number): this {
    if (!Number.isInteger(value) || value < -0x80000000 || value > 0x7fffffff) {
      throw new RangeError(`varint out of range: ${value}`);
    }
    return this.writeUnsignedVarInt(((value << 1) ^ (value >> 31)) >>> 0);
  }

  writeVarLong(value: bigint): this {
    if (value < -(2n ** 63n) || value >= 2n ** 63n) throw new RangeError(`varlong out of range: ${value}`);
    let rest = value >= 0n ? value << 1n : (-value << 1n) - 1n;
    while (rest >= 0x80n) {
      this.writeByte(Number(rest & 0x7fn) | 0x80);
      rest >>= 7n;
    }
    return this.writeByte(Number(rest));
  }

  private writeByte(value: number): this {
    const offset = this.reserve(1);
    this.buffer[offset] = value;
    return this;
  }

  writeNullableString(value: string | null): this {
    if (value === null) return this.writeInt16(-1);
    const bytes = Buffer.from(value, 'utf8');
    if (bytes.length > 0x7fff) throw new RangeError(`string of ${bytes.length} bytes exceeds int16 length`);
    return this.writeInt16(bytes.length).writeRaw(bytes);
  }

  writeString(value: string): this {
    return this.writeNullableString(value);
  }

  writeCompactNullableString(value: string | null): this {
    if (value === null) return this.writeUnsignedVarInt(0);
    const bytes = Buffer.from(value, 'utf8');
    return this.writeUnsignedVarInt(bytes.length + 1).writeRaw(bytes);
  }

  writeCompactString(value: string): this {
    return this.writeCompactNullableString(value);
  }

  writeNullableBytes(value: Buffer | null): this {
    if (value === null) return this.writeInt32(-1);
    return this.writeInt32(value.length).writeRaw(value);
  }

  writeBytes(value: Buffer): this {
    return this.writeNullableBytes(value);
  }

  writeCompactNullableBytes(value: Buffer | null): this {
    if (value === null) return this.writeUnsignedVarInt(0);
    return this.writeUnsignedVarInt(value.length + 1).writeRaw(value);
  }

  writeCompactBytes(value: Buffer): this {
    return this.writeCompactNullableBytes(value);
  }

  writeNullableArray<T>(values: readonly T[] | null, writeElement: (writer: KafkaWriter, value: T) => void): this {
    if (values === null) return this.writeInt32(-1);
    this.writeInt32(values.length);
    for (const value of values) writeElement(this, value);
    return this;
  }

  writeArray<T>(values: readonly T[], writeElement: (writer: KafkaWriter, value: T) => void): this {
    return this.writeNullableArray(values, writeElement);
  }

  writeCompactNullableArray<T>(
    values: readonly T[] | null,
    writeElement: (writer: KafkaWriter, value: T) => void,
  ): this {
    if (values === null) return this.writeUnsignedVarInt(0);
    this.writeUnsignedVarInt(values.length + 1);
    for (const value of values) writeElement(this, value);
    return this;
  }

  writeCompactArray<T>(values: readonly T[], writeElement: (writer: KafkaWriter, value: T) => void): this {
    return this.writeCompactNullableArray(values, writeElement);
  }

  /** Tagged fields are written in increasing tag order, as the protocol requires. */
  writeTaggedFields(fields: ReadonlyMap<number, Buffer> = new Map()): this {
    const tags = [...fields.keys()].sort((left, right) => left - right);
    this.writeUnsignedVarInt(tags.length);
    for (const tag of tags) {
      const value = fields.get(tag) as Buffer;
      this.writeUnsignedVarInt(tag).writeUnsignedVarInt(value.length).writeRaw(value);
    }
    return this;
  }
}
