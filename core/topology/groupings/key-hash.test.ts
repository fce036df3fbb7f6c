import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { UnencodableKeyError } from './errors.js';
import { canonicalKey, hashCanonicalKey, hashKey } from './key-hash.js';

/** MurmurHash3's finaliser, restated for the reference hash. */
function fmix(hash: number): number {
  let mixed = hash ^ (hash >>> 16);
  mixed = Math.imul(mixed, 0x85eb_ca6b);
  mixed ^= mixed >>> 13;
  mixed = Math.imul(mixed, 0xc2b2_ae35);
  mixed ^= mixed >>> 16;
  return mixed >>> 0;
}
import { targetOf } from './test-targets.js';

const where = targetOf([1]);

describe('key hash', () => {
  it('is pinned: changing it would re-route every key of a running topology', () => {
    expect(canonicalKey(['the', 1, null, [true]], where)).toBe('[4:s3:thed1;n[1:t]]');
    expect(hashKey(['the'], where)).toBe(hashKey(['the'], where));
    expect(hashKey(['the'], where)).toBe(2_281_744_283);
  });

  it('hashes the UTF-8 bytes of the canonical key, surrogate pairs and lone surrogates included', () => {
    const reference = (key: string): number => {
      let hash = 0x811c_9dc5;
      for (const byte of new TextEncoder().encode(key)) hash = Math.imul(hash ^ byte, 0x0100_0193);
      return hash >>> 0;
    };
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.string()), (text) => {
        expect(hashCanonicalKey(text)).toBe(fmix(reference(text)));
      }),
    );
    for (const text of ['\ud800', 'a\udc00b', '\ud83d\ude00', 'ß€𝄞']) expect(hashCanonicalKey(text)).toBe(fmix(reference(text)));
  });

  it('encodes equal keys equally whatever the object key order or the sign of zero', () => {
    expect(canonicalKey([{ a: 1, b: 2 }], where)).toBe(canonicalKey([{ b: 2, a: 1 }], where));
    expect(hashKey([-0], where)).toBe(hashKey([0], where));
    expect(hashKey([Buffer.from('ab')], where)).toBe(hashKey([new Uint8Array([97, 98])], where));
  });

  it('never confuses keys that only concatenate alike, or values of different types', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), fc.string(), (a, b, c, d) => {
        fc.pre(a !== c || b !== d);
        expect(canonicalKey([a, b], where)).not.toBe(canonicalKey([c, d], where));
      }),
    );
    expect(canonicalKey(['1'], where)).not.toBe(canonicalKey([1], where));
    expect(canonicalKey([1], where)).not.toBe(canonicalKey([1n], where));
    expect(canonicalKey([null], where)).not.toBe(canonicalKey([undefined], where));
  });

  it('refuses values without a canonical encoding, naming the subscription', () => {
    const cyclic: unknown[] = [];
    cyclic.push(cyclic);
    expect(() => canonicalKey([() => 1], where)).toThrow(UnencodableKeyError);
    expect(() => canonicalKey([new Map()], where)).toThrow(/'counter' subscribing to stream 'default' of 'splitter'.*Map/);
    expect(() => canonicalKey([cyclic], where)).toThrow(/deeper/);
  });
});
