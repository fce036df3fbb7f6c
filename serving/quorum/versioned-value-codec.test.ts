import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { QuorumError, UnsupportedValueFormatError } from './errors.js';
import { VERSIONED_VALUE_FORMAT_VERSION } from './limits.js';
import { dvvHistoryArbitrary, lwwArbitrary } from './test-support.js';
import { decode, encode, encodedSize } from './versioned-value-codec.js';
import { equals, liveValue, lwwWrite, tombstone, type VersionedValue } from './versioned-value.js';

const anyValue: fc.Arbitrary<VersionedValue> = fc.oneof(
  lwwArbitrary,
  fc.tuple(dvvHistoryArbitrary, fc.nat()).map(([seen, i]) => seen[i % seen.length] as VersionedValue),
);

function decodeOrTypedError(bytes: Uint8Array): void {
  try {
    decode(bytes);
  } catch (error) {
    expect(error).toBeInstanceOf(QuorumError);
  }
}

describe('versioned value codec', () => {
  it('round-trips every value canonically, at the size it announces', () => {
    fc.assert(
      fc.property(anyValue, (value) => {
        const bytes = encode(value);
        expect(bytes.length).toBe(encodedSize(value));
        const decoded = decode(bytes);
        expect(equals(decoded, value)).toBe(true);
        expect(encode(decoded).equals(bytes)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('encodes a small LWW value compactly', () => {
    const value = lwwWrite({ wallMs: 1_700_000_000_000, logical: 3 }, 'node-1', liveValue(Buffer.from('hello')));
    // version, mode, 12-byte timestamp, 2+6 writer, kind, flags, 4+5 value
    expect(encode(value).length).toBe(2 + 12 + 8 + 2 + 9);
    expect(decode(encode(lwwWrite({ wallMs: 1, logical: 0 }, 'n', tombstone(7))))).toMatchObject({ payload: { kind: 'tombstone', expiresAtMs: 7 } });
  });

  it('refuses an unknown format version with its own error', () => {
    const bytes = encode(lwwWrite({ wallMs: 1, logical: 0 }, 'n', tombstone(7)));
    bytes[0] = VERSIONED_VALUE_FORMAT_VERSION + 1;
    expect(() => decode(bytes)).toThrow(UnsupportedValueFormatError);
  });

  it('refuses truncation, trailing bytes and unsorted actors with MalformedVersionedValueError', () => {
    const bytes = encode(lwwWrite({ wallMs: 1, logical: 0 }, 'n', liveValue(Buffer.from('abc'))));
    expect(() => decode(bytes.subarray(0, bytes.length - 1))).toThrow(/truncated value/);
    expect(() => decode(Buffer.concat([bytes, Buffer.from([0])]))).toThrow(/trailing/);
    // dvv with actors "b" then "a"
    const unsorted = Buffer.from([VERSIONED_VALUE_FORMAT_VERSION, 2, 0, 2, 0, 1, 98, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 97, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0]);
    expect(() => decode(unsorted)).toThrow(/not sorted/);
  });

  it('never throws anything but a typed error on garbage or on mutated valid bytes (fuzz)', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => decodeOrTypedError(bytes)), { numRuns: 500 });
    fc.assert(
      fc.property(anyValue, fc.nat(), fc.integer({ min: 0, max: 255 }), fc.nat(), (value, position, byte, cut) => {
        const bytes = Buffer.from(encode(value));
        bytes[position % bytes.length] = byte;
        decodeOrTypedError(bytes);
        decodeOrTypedError(bytes.subarray(0, cut % (bytes.length + 1)));
      }),
      { numRuns: 500 },
    );
  });
});
