import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { KafkaDecodeError } from './decode-error.js';
import { KafkaReader } from './reader.js';
import { KafkaWriter } from './writer.js';

function roundTrip<T>(write: (writer: KafkaWriter, value: T) => void, read: (reader: KafkaReader) => T, value: T): T {
  const writer = new KafkaWriter(1);
  write(writer, value);
  const reader = new KafkaReader(writer.toBuffer());
  const decoded = read(reader);
  reader.expectEnd('test value');
  return decoded;
}

function bytesOf(write: (writer: KafkaWriter) => void): number[] {
  const writer = new KafkaWriter();
  write(writer);
  return [...writer.toBuffer()];
}

const int32 = fc.integer({ min: -0x80000000, max: 0x7fffffff });
const int64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
const uint32 = fc.integer({ min: 0, max: 0xffffffff });
const varintEdges = fc.constantFrom(0, 1, -1, 63, -64, 64, -65, 127, 128, 8191, 8192, 0x7fffffff, -0x80000000);
const varlongEdges = fc.constantFrom(0n, 1n, -1n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 31n, -(2n ** 31n) - 1n);

describe('primitives: fixed-width integers', () => {
  it('round-trips int8, int16, int32, uint32 and int64 big-endian', () => {
    fc.assert(fc.property(fc.integer({ min: -128, max: 127 }), (value) => expect(roundTrip((w, v) => w.writeInt8(v), (r) => r.readInt8(), value)).toBe(value)));
    fc.assert(fc.property(fc.integer({ min: -32768, max: 32767 }), (value) => expect(roundTrip((w, v) => w.writeInt16(v), (r) => r.readInt16(), value)).toBe(value)));
    fc.assert(fc.property(int32, (value) => expect(roundTrip((w, v) => w.writeInt32(v), (r) => r.readInt32(), value)).toBe(value)));
    fc.assert(fc.property(uint32, (value) => expect(roundTrip((w, v) => w.writeUInt32(v), (r) => r.readUInt32(), value)).toBe(value)));
    fc.assert(fc.property(int64, (value) => expect(roundTrip((w, v) => w.writeInt64(v), (r) => r.readInt64(), value)).toBe(value)));
    expect(bytesOf((w) => w.writeInt32(0x01020304))).toEqual([1, 2, 3, 4]);
  });

  it('round-trips booleans and uuids', () => {
    fc.assert(fc.property(fc.boolean(), (value) => expect(roundTrip((w, v) => w.writeBoolean(v), (r) => r.readBoolean(), value)).toBe(value)));
    fc.assert(fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (bytes) => {
      const uuid: Buffer = Buffer.from(bytes);
      expect(roundTrip((w, v) => w.writeUuid(v), (r) => r.readUuid(), uuid).equals(uuid)).toBe(true);
    }));
  });
});

describe('primitives: varints', () => {
  it('encodes known values as Kafka (protobuf-style zigzag) does', () => {
    expect(bytesOf((w) => w.writeVarInt(0))).toEqual([0x00]);
    expect(bytesOf((w) => w.writeVarInt(-1))).toEqual([0x01]);
    expect(bytesOf((w) => w.writeVarInt(1))).toEqual([0x02]);
    expect(bytesOf((w) => w.writeVarInt(-64))).toEqual([0x7f]);
    expect(bytesOf((w) => w.writeVarInt(64))).toEqual([0x80, 0x01]);
    expect(bytesOf((w) => w.writeUnsignedVarInt(300))).toEqual([0xac, 0x02]);
    expect(bytesOf((w) => w.writeUnsignedVarInt(0xffffffff))).toEqual([0xff, 0xff, 0xff, 0xff, 0x0f]);
    expect(bytesOf((w) => w.writeVarInt(-0x80000000))).toEqual([0xff, 0xff, 0xff, 0xff, 0x0f]);
    expect(bytesOf((w) => w.writeVarLong(-(2n ** 63n)))).toEqual([...Array(9).fill(0xff), 0x01]);
  });

  it('round-trips signed varints, unsigned varints and varlongs including the extremes', () => {
    fc.assert(fc.property(fc.oneof(int32, varintEdges), (value) => expect(roundTrip((w, v) => w.writeVarInt(v), (r) => r.readVarInt(), value)).toBe(value)));
    fc.assert(fc.property(fc.oneof(uint32, fc.constantFrom(0, 127, 128, 0xffffffff)), (value) =>
      expect(roundTrip((w, v) => w.writeUnsignedVarInt(v), (r) => r.readUnsignedVarInt(), value)).toBe(value)));
    fc.assert(fc.property(fc.oneof(int64, varlongEdges), (value) => expect(roundTrip((w, v) => w.writeVarLong(v), (r) => r.readVarLong(), value)).toBe(value)));
  });

  it('rejects varints longer than their type instead of wrapping around', () => {
    expect(() => new KafkaReader(Buffer.from([0xff, 0xff, 0xff, 0xff, 0x1f])).readUnsignedVarInt()).toThrow(KafkaDecodeError);
    expect(() => new KafkaReader(Buffer.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x01])).readUnsignedVarInt()).toThrow(KafkaDecodeError);
    expect(() => new KafkaReader(Buffer.from([...Array(10).fill(0xff), 0x01])).readVarLong()).toThrow(KafkaDecodeError);
    expect(() => new KafkaReader(Buffer.from([...Array(9).fill(0xff), 0x03])).readVarLong()).toThrow(KafkaDecodeError);
    expect(() => new KafkaReader(Buffer.from([0x80])).readVarInt()).toThrow(KafkaDecodeError);
  });

  it('refuses to write values outside the type', () => {
    expect(() => new KafkaWriter().writeUnsignedVarInt(-1)).toThrow(RangeError);
    expect(() => new KafkaWriter().writeVarInt(2 ** 31)).toThrow(RangeError);
    expect(() => new KafkaWriter().writeVarLong(2n ** 63n)).toThrow(RangeError);
  });
});

describe('primitives: strings, bytes and arrays', () => {
  const text = fc.string({ unit: 'grapheme', maxLength: 40 });
  const nullableText = fc.option(text, { nil: null });
  const bytes: fc.Arbitrary<Buffer> = fc.uint8Array({ maxLength: 64 }).map((array) => Buffer.from(array));
  const nullableBytes = fc.option(bytes, { nil: null });

  it('round-trips classic and compact (nullable) strings', () => {
    fc.assert(fc.property(nullableText, (value) => {
      expect(roundTrip((w, v) => w.writeNullableString(v), (r) => r.readNullableString(), value)).toBe(value);
      expect(roundTrip((w, v) => w.writeCompactNullableString(v), (r) => r.readCompactNullableString(), value)).toBe(value);
    }));
    fc.assert(fc.property(text, (value) => {
      expect(roundTrip((w, v) => w.writeString(v), (r) => r.readString(), value)).toBe(value);
      expect(roundTrip((w, v) => w.writeCompactString(v), (r) => r.readCompactString(), value)).toBe(value);
    }));
    expect(bytesOf((w) => w.writeString('ab'))).toEqual([0, 2, 0x61, 0x62]);
    expect(bytesOf((w) => w.writeCompactString('ab'))).toEqual([3, 0x61, 0x62]);
    expect(bytesOf((w) => w.writeNullableString(null))).toEqual([0xff, 0xff]);
    expect(bytesOf((w) => w.writeCompactNullableString(null))).toEqual([0]);
  });

  it('round-trips classic and compact (nullable) bytes', () => {
    fc.assert(fc.property(nullableBytes, (value) => {
      expect(roundTrip((w, v) => w.writeNullableBytes(v), (r) => r.readNullableBytes(), value)).toEqual(value);
      expect(roundTrip((w, v) => w.writeCompactNullableBytes(v), (r) => r.readCompactNullableBytes(), value)).toEqual(value);
    }));
    fc.assert(fc.property(bytes, (value) => {
      expect(roundTrip((w, v) => w.writeBytes(v), (r) => r.readBytes(), value)).toEqual(value);
      expect(roundTrip((w, v) => w.writeCompactBytes(v), (r) => r.readCompactBytes(), value)).toEqual(value);
    }));
  });

  it('round-trips classic and compact (nullable) arrays', () => {
    const writeElement = (writer: KafkaWriter, value: number): void => void writer.writeInt32(value);
    const readElement = (reader: KafkaReader): number => reader.readInt32();
    fc.assert(fc.property(fc.option(fc.array(int32, { maxLength: 20 }), { nil: null }), (value) => {
      expect(roundTrip((w, v) => w.writeNullableArray(v, writeElement), (r) => r.readNullableArray(readElement), value)).toEqual(value);
      expect(roundTrip((w, v) => w.writeCompactNullableArray(v, writeElement), (r) => r.readCompactNullableArray(readElement), value)).toEqual(value);
    }));
  });

  it('round-trips tagged fields in increasing tag order and rejects out-of-order tags', () => {
    const fields = fc.dictionary(fc.integer({ min: 0, max: 100_000 }).map(String), bytes, { maxKeys: 5 });
    fc.assert(fc.property(fields, (record) => {
      const map = new Map([...Object.entries(record)].map(([tag, value]) => [Number(tag), value]));
      const decoded = roundTrip((w, v) => w.writeTaggedFields(v), (r) => r.readTaggedFields(), map);
      expect([...decoded.keys()]).toEqual([...map.keys()].sort((left, right) => left - right));
      for (const [tag, value] of map) expect(decoded.get(tag)).toEqual(value);
    }));
    expect(() => new KafkaReader(Buffer.from([2, 5, 0, 3, 0])).readTaggedFields()).toThrow(KafkaDecodeError);
  });

  it('throws KafkaDecodeError, never RangeError, on truncated or lying lengths', () => {
    expect(() => new KafkaReader(Buffer.from([0, 5, 0x61])).readString()).toThrow(KafkaDecodeError);
    expect(() => new KafkaReader(Buffer.from([0xff, 0xff])).readString()).toThrow(KafkaDecodeError);
    expect(() => new KafkaReader(Buffer.from([0xff, 0xfe])).readNullableString()).toThrow(KafkaDecodeError);
    expect(() => new KafkaReader(Buffer.from([0x7f, 0xff, 0xff, 0xff])).readArray((r) => r.readInt8())).toThrow(KafkaDecodeError);
    expect(() => new KafkaReader(Buffer.from([0, 0, 0])).readInt32()).toThrow(KafkaDecodeError);
    expect(() => new KafkaReader(Buffer.from([1])).expectEnd('x')).toThrow(KafkaDecodeError);
  });
});
