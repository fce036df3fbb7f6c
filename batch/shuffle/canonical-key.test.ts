import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { deserialize, serialize } from 'node:v8';
import { isDeepStrictEqual } from 'node:util';
import { canonicalKey, KeyedMap } from './canonical-key.js';
import { RecordNotSerializableError } from './errors.js';

const keyValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string({ maxLength: 4 }),
    fc.integer({ min: -5, max: 5 }),
    fc.double({ noDefaultInfinity: true }).filter((number) => !Object.is(number, -0)),
    fc.bigInt({ min: -5n, max: 5n }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 3 }), tie('value'), { maxKeys: 3 }),
  ),
})).value;

describe('canonical keys', () => {
  it('are equal for value-equal keys whatever the property or entry order', () => {
    expect(canonicalKey({ a: 1, b: [2, 'x'] })).toBe(canonicalKey({ b: [2, 'x'], a: 1 }));
    expect(canonicalKey(new Map([['a', 1], ['b', 2]]))).toBe(canonicalKey(new Map([['b', 2], ['a', 1]])));
    expect(canonicalKey(new Set([3, 1]))).toBe(canonicalKey(new Set([1, 3])));
    expect(canonicalKey(-0)).toBe(canonicalKey(0));
  });

  it('survive a trip through structured clone', () => {
    fc.assert(fc.property(keyValue, (key) => expect(canonicalKey(deserialize(serialize(key)))).toBe(canonicalKey(key))));
  });

  it('tell apart keys that are not deeply equal', () => {
    fc.assert(fc.property(keyValue, keyValue, (left, right) => {
      expect(canonicalKey(left) === canonicalKey(right)).toBe(isDeepStrictEqual(left, right));
    }));
    expect(canonicalKey('1')).not.toBe(canonicalKey(1));
    expect(canonicalKey(1)).not.toBe(canonicalKey(1n));
    expect(canonicalKey(['ab', 'c'])).not.toBe(canonicalKey(['a', 'bc']));
  });

  it('refuse functions and symbols with a typed error', () => {
    expect(() => canonicalKey({ f: () => 1 })).toThrow(RecordNotSerializableError);
    expect(() => canonicalKey(Symbol('s'))).toThrow(/symbol/);
  });
});

describe('KeyedMap', () => {
  it('finds object keys by value and never confuses a string with an encoding', () => {
    const map = new KeyedMap<unknown, string>();
    map.lookup(['a', 1]);
    map.insertAtLookup('tuple');
    map.lookup(canonicalKey(['a', 1]));
    map.insertAtLookup('string');
    expect(map.lookup(['a', 1])).toBe('tuple');
    expect(map.lookup(canonicalKey(['a', 1]))).toBe('string');
    expect(map.size).toBe(2);
    expect([...map.values()].sort()).toEqual(['string', 'tuple']);
  });
});
