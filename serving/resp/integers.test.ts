import { describe, expect, it } from '@jest/globals';
import { parseScanCursor, string2ll, string2llNumber } from './integers.js';

const parse = (text: string) => string2ll(Buffer.from(text, 'latin1'));

describe("Redis's integer parsing", () => {
  it.each([
    ['0', 0n],
    ['-1', -1n],
    ['42', 42n],
    ['9223372036854775807', 9223372036854775807n],
    ['-9223372036854775808', -9223372036854775808n],
  ])('string2ll accepts %j', (input, value) => expect(parse(input)).toBe(value));

  it.each(['', '-', '-0', '01', '+1', ' 1', '1 ', '1.0', '0x1', '9223372036854775808', '-9223372036854775809', '000000000000000000001', '1\0'])('string2ll refuses %j', (input) => {
    expect(parse(input)).toBeUndefined();
  });

  it('string2llNumber is exact for short numbers and reports long valid ones as infinite', () => {
    const bytes = (text: string) => Buffer.from(text);
    expect(string2llNumber(bytes('123456789012345'), 0, 15)).toBe(123456789012345);
    expect(string2llNumber(bytes('1234567890123456'), 0, 16)).toBe(Infinity);
    expect(string2llNumber(bytes('-1234567890123456'), 0, 17)).toBe(-Infinity);
    expect(string2llNumber(bytes('99999999999999999999'), 0, 20)).toBeUndefined();
  });

  it.each([
    ['0', 0n],
    ['', 0n],
    ['+5', 5n],
    ['-1', 18446744073709551615n],
    ['007', 7n],
    ['18446744073709551615', 18446744073709551615n],
    ['12\0junk', 12n],
  ])('parses SCAN cursor %j as strtoul does', (input, value) => expect(parseScanCursor(Buffer.from(input, 'latin1'))).toBe(value));

  it.each([' 1', '1 ', 'abc', '-', '18446744073709551616', '1.5'])('refuses SCAN cursor %j', (input) => {
    expect(parseScanCursor(Buffer.from(input))).toBeUndefined();
  });
});
