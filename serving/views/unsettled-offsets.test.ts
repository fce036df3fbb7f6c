import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { decodeOffsetsAbove, encodeOffsetsAbove, hasOffset, insertOffset, offsetsAbove } from './unsettled-offsets.js';

describe('unsettled offsets', () => {
  it('keeps offsets ascending, finds them and drops those at or below a floor', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(1000)), fc.integer({ min: -1, max: 1000 }), (inserted, floor) => {
        const offsets: number[] = [];
        for (const offset of new Set(inserted)) insertOffset(offsets, offset);
        const expected = [...new Set(inserted)].sort((a, b) => a - b);
        expect(offsets).toEqual(expected);
        for (const probe of [...inserted, floor, floor + 1]) expect(hasOffset(offsets, probe)).toBe(expected.includes(probe));
        expect(offsetsAbove(offsets, floor)).toEqual(expected.filter((offset) => offset > floor));
      }),
    );
  });

  it('round-trips gaps of any size through its encoding, most gaps in one byte', () => {
    const gaps = fc.array(fc.oneof(fc.integer({ min: 1, max: 127 }), fc.integer({ min: 1, max: 2 ** 40 })), { maxLength: 40 });
    fc.assert(
      fc.property(fc.integer({ min: -1, max: 2 ** 40 }), gaps, (floor, steps) => {
        let previous = floor;
        const offsets = steps.map((gap) => (previous += gap));
        expect(decodeOffsetsAbove(floor, encodeOffsetsAbove(floor, offsets))).toEqual(offsets);
      }),
    );
    expect(Buffer.from(encodeOffsetsAbove(9, [10, 12, 13, 140]), 'base64')).toEqual(Buffer.from([1, 2, 1, 127]));
  });

  it('reports gaps that are zero, truncated or beyond safe integers', () => {
    const text = (...bytes: number[]) => Buffer.from(bytes).toString('base64');
    expect(decodeOffsetsAbove(0, text(0))).toBe('offsets not increasing');
    expect(decodeOffsetsAbove(0, text(0x80))).toBe('truncated offset gap');
    expect(decodeOffsetsAbove(0, text(...Array.from({ length: 9 }, () => 0xff), 1))).toMatch(/beyond a safe integer/);
  });
});
