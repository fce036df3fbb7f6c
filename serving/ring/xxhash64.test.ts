import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { xxhash64, xxhash64Key } from './xxhash64.js';

/** Computed with the reference C library (libxxhash 0.8.1, XXH64) over bytes (i * 31 + 7) mod 256,
 * for seeds 0, 1 and 0x9E3779B97F4A7C15: every code path (short tails, 4-byte tail, stripes). */
const REFERENCE: readonly (readonly [number, readonly [bigint, bigint, bigint]])[] = [
  [0, [0xef46db3751d8e999n, 0xd5afba1336a3be4bn, 0xc4349fc93c010000n]],
  [1, [0xa96c7f0ce858bbb7n, 0x766883a0a47a96an, 0x585882422a6165e7n]],
  [3, [0x56e6957632a487f9n, 0x598afe4fbb09d9f6n, 0x5acb303e78133c22n]],
  [4, [0xc60d15b1e3ff8f04n, 0x5e9f99aa13de2d02n, 0x7d51d5e2461732b3n]],
  [5, [0x808815858624dd4en, 0xb15c817d13965acfn, 0x7f8b72856a42bb63n]],
  [7, [0xafbefc3d6c6f9a8en, 0xbd99f1fa0de7b9a4n, 0x2ce9adec2b2c8104n]],
  [8, [0x3da5c7aa269683e0n, 0x1b4e043a4021aa18n, 0x758848f033fa76a2n]],
  [9, [0x4b17a9ba9e215c09n, 0x2a77c6e783fb18b1n, 0xd4576cf554b7d929n]],
  [12, [0x8fe8ab1c1fd0666en, 0xaaf19ec96e7722cdn, 0xeaa6d4d803d21fd7n]],
  [15, [0xae2a37eb9357caa7n, 0xc88bd84841af8ac9n, 0xa18d5c90d722cee3n]],
  [16, [0xa19ad429b02bc413n, 0x78b588afc3e5e956n, 0xe3594f9058b426e7n]],
  [31, [0x4a74f3a1a39ad4a1n, 0xd7ac4f4bea4e460an, 0x8137041f5af88413n]],
  [32, [0x8d57d6a4671cc43dn, 0x8f666909cfd00cc8n, 0x184ebcf3745cd46cn]],
  [33, [0x62c9fd21ed857664n, 0xb1575979b72c805an, 0x52fac3c981f3cc2en]],
  [40, [0x49b45332e280f187n, 0x4ea2e43cf7f9bda8n, 0x36758d31812c0e57n]],
  [63, [0x5c320a0d2707057fn, 0x61b9cb220da77a86n, 0x64ef99a2e94cc7bdn]],
  [64, [0x7bbabbc45729d17en, 0xee10eee981202ce9n, 0xf7f22435fe1ab128n]],
  [65, [0xf3980c34bae65dc1n, 0xb99a8864d5005b72n, 0x7a0b76a812617c73n]],
  [100, [0xefa0ad2d3e70c151n, 0xcd8103aecd2ed5cfn, 0xbc7ab33be7528c18n]],
  [257, [0x6ff15897658784e0n, 0x8dd5be8d13914c22n, 0x6d1a60579e75f807n]],
];
const SEEDS = [0n, 1n, 0x9e3779b97f4a7c15n] as const;

describe('xxhash64', () => {
  it('matches the reference implementation for every length class and seed', () => {
    for (const [length, expected] of REFERENCE) {
      const data = Uint8Array.from({ length }, (_, i) => (i * 31 + 7) & 0xff);
      SEEDS.forEach((seed, i) => expect([length, seed, xxhash64(data, seed)]).toEqual([length, seed, expected[i]]));
    }
  });

  it('hashes strings as UTF-8', () => {
    expect(xxhash64Key('')).toBe(0xef46db3751d8e999n);
    expect(xxhash64Key('a')).toBe(0xd24ec4f1a98c6e5bn);
    expect(xxhash64Key('abc')).toBe(0x44bc2cf5ad770999n);
    expect(xxhash64Key('message digest')).toBe(0x066ed728fceeb3ben);
    expect(xxhash64Key('héllo wörld')).toBe(0x60041bfec530413cn);
  });

  it('depends only on the bytes, not on where they sit in their buffer', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), fc.nat({ max: 7 }), (data, shift) => {
        const padded = new Uint8Array(data.length + shift);
        padded.set(data, shift);
        const hash = xxhash64(padded.subarray(shift));
        expect(hash).toBe(xxhash64(data));
        expect(hash >= 0n && hash < 1n << 64n).toBe(true);
      }),
    );
  });

  it('spreads keys evenly over the top bits (the ring partitions by them)', () => {
    const buckets = new Array<number>(16).fill(0);
    const keys = 16_000;
    for (let i = 0; i < keys; i++) {
      const bucket = Number(xxhash64Key(`user:${i}`) >> 60n);
      buckets[bucket] = (buckets[bucket] ?? 0) + 1;
    }
    for (const count of buckets) expect(Math.abs(count - keys / 16) / (keys / 16)).toBeLessThan(0.1);
  });
});
